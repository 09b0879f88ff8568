"""The entity layer's view of the shared lexicon: role synonym classes, role words, countries.

Countries come from pycountry (names, common and official names) plus the small demonym table in
`bot/lexicon/demonyms.toml`, so "Iran's president", "Iranian President" and "President of Iran"
all carry the role key `president` and the country key `country:IR`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pycountry

from bot.lexicon import words as lexicon_words
from bot.text import STOP_WORDS, fold

LEXICON = Path(__file__).resolve().parents[1] / "lexicon"


@cache
def _toml(name: str) -> dict[str, Any]:
    return tomllib.loads((LEXICON / name).read_text(encoding="utf-8"))


@cache
def role_classes() -> dict[str, str]:
    """Role word or phrase (folded) → its synonym class ("chief" → "leader")."""
    out: dict[str, str] = {}
    for cls, members in _toml("roles.toml").get("classes", {}).items():
        for m in members:
            out.setdefault(fold(m), cls)
    return out


@cache
def role_words() -> frozenset[str]:
    """Words that say what someone is, not who (single folded words)."""
    words = _toml("roles.toml").get("words", {})
    return frozenset(fold(w) for group in words.values() for w in group if " " not in w)


@cache
def not_held_words() -> frozenset[str]:
    """Words saying a stated role is not held at the article's date ("former", "elect")."""
    return frozenset(fold(w) for w in _toml("roles.toml").get("tenure", {}).get("not_held", []))


@cache
def lesser_words() -> frozenset[str]:
    """Words making a post a lesser one ("vice", "deputy")."""
    return frozenset(fold(w) for w in _toml("roles.toml").get("tenure", {}).get("lesser", []))


@cache
def countries() -> dict[str, str]:
    """Folded country name, demonym or possessive-less short form → ISO alpha-2 code."""
    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                out.setdefault(fold(value), c.alpha_2)
    for code, forms in _toml("demonyms.toml").get("demonyms", {}).items():
        for f in forms:
            out[fold(f)] = code
    return out


@cache
def role_phrases() -> tuple[str, ...]:
    """Role classes' members of several words ("press secretary", "head of state"), longest first."""
    return tuple(sorted((p for p in role_classes() if " " in p), key=lambda p: -len(p.split())))


def country_of(phrase: str) -> str | None:
    """The country a word or phrase names ("russia's" → RU, "kazakh" → KZ), else None."""
    f = fold(phrase).strip(" .")
    if f.endswith(("'s", "’s")):
        f = f[:-2]
    return countries().get(f)


def role_key(word: str) -> str:
    """A role word's class, or the word itself: the key roles are matched on."""
    f = fold(word)
    return role_classes().get(f, f)


@cache
def country_phrases() -> tuple[tuple[frozenset[str], str], ...]:
    """Country forms of several words, as word sets with their code ("white house" → US), for roles
    stated as a bag of words."""
    return tuple((frozenset(f.split()), code) for f, code in countries().items() if " " in f)


_POSSESSIVE = re.compile(r"[’']s$")
_ROLE_FILLERS = frozenset({"the", "of", "and", "a", "an", "for"})


def role_keys(stated: Iterable[str], *, every_word: bool = False) -> frozenset[str]:
    """Role words as keys that mean the same whichever way a text writes them: a country, its
    demonym or its state's long name as `country:XX` ("french", "france", "french republic"), a role
    by its synonym class ("premier" = "prime minister"); a state's own head word ("republic",
    "federation") is dropped next to its country. The one reader of role words, for attribution's
    memory of who was named and for the entity table.

    `every_word` is the entity table's reading of a speaker record's stated words: each word keeps
    its own key beside the class of a phrase it is part of ("press secretary" → press, secretary's
    class and spokesperson), and stop words are dropped rather than only the fillers."""
    if every_word:
        return _stated_keys(tuple(stated))
    return _role_keys(frozenset(stated))


@lru_cache(maxsize=65536)
def _role_keys(roles: frozenset[str]) -> frozenset[str]:
    ws = {_POSSESSIVE.sub("", w) for w in roles} - _ROLE_FILLERS  # "the Mayor's Office"
    out: set[str] = set()
    for bag, code in country_phrases():
        if bag <= ws:
            out.add(f"country:{code}")
            ws -= bag
    for w in sorted(ws):
        of_word = country_of(w)
        if of_word:
            out.add(f"country:{of_word}")
    country = bool(out)
    for p in role_phrases():  # "prime minister", "head of state": the class, as one key
        words_of = set(p.split()) - _ROLE_FILLERS
        if words_of <= ws:
            out.add(role_key(p))
            ws -= words_of
    for w in ws:
        if country_of(w):
            continue
        if country and w in _place_heads():
            continue  # "Republic" of "the French Republic"
        out.add(role_key(w))
    return frozenset(out)


@lru_cache(maxsize=1 << 14)
def _stated_keys(stated_words: tuple[str, ...]) -> frozenset[str]:
    """Memoised: most articles state a few same roles."""
    stated = [fold(w).replace("’", "'").removesuffix("'s") for w in stated_words]
    stated = [w for w in stated if w and w not in STOP_WORDS]
    keys = {f"country:{country_of(w)}" if country_of(w) else role_key(w) for w in stated}
    keys |= {role_key(p) for p in role_phrases() if set(p.split()) - STOP_WORDS <= set(stated)}
    keys |= {f"country:{code}" for ws, code in country_phrases() if ws <= set(stated)}
    return frozenset(keys)


@cache
def _place_heads() -> frozenset[str]:
    return lexicon_words("attribution.words.place_heads")
