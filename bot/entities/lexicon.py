"""The entity layer's view of the shared lexicon: role synonym classes, role words, countries.

Countries come from pycountry (names, common and official names) plus the small demonym table in
`bot/lexicon/demonyms.toml`, so "Iran's president", "Iranian President" and "President of Iran"
all carry the role key `president` and the country key `country:IR`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pycountry

from bot.text import fold

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
