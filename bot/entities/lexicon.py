"""The entity layer's view of the shared lexicon: role synonym classes, role words, countries.

Countries come from pycountry (names, common and official names) plus the small demonym table in
`bot/lexicon/demonyms.toml`, so "Iran's president", "Iranian President" and "President of Iran"
all carry the role key `president` and the country key `country:IR`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
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
    for form, code in derived_demonyms().items():
        out.setdefault(form, code)
    return out


@cache
def derived_demonyms() -> dict[str, str]:
    """Demonyms made from country names by their ending (`demonyms.derived`): "albanian"
    → AL. A form two countries would make alike is left out: it names neither for sure."""
    derived = _toml("demonyms.toml").get("derived", {})
    rules = [(fold(end), fold(repl)) for end, repl in derived.get("rules", [])]
    made: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            name = fold(getattr(c, attr, None) or "")
            if not name.replace(" ", "").isalpha():
                continue
            for end, repl in rules:
                if name.endswith(end) and len(name) > len(end) + 2:
                    made.setdefault(name[: -len(end)] + repl, set()).add(c.alpha_2)
    return {form: next(iter(codes)) for form, codes in made.items() if len(codes) == 1}


@cache
def everyday_country_forms() -> frozenset[str]:
    """Country forms that are everyday words too (`demonyms.everyday.forms`: "us")."""
    return frozenset(fold(f) for f in _toml("demonyms.toml").get("everyday", {}).get("forms", []))


_DOTTED = re.compile(r"(?<![\w.])([^\W\d_])((?:\.[^\W\d_])+)\.?(?![\w.])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _undotted(m: re.Match[str]) -> str:
    """An abbreviation's letters; in capitals when typed so, or when they spell a country ("u.s.")."""
    letters = m.group(1) + m.group(2).replace(".", "")
    return letters.upper() if letters.isupper() or fold(letters) in countries() else letters


def spelt_countries(phrase: str) -> str:
    """A question's phrase with its abbreviations undotted ("U.S." → "US", "U.N." → "UN") and a
    country form that is an everyday word ("us") spelt as its country's name where it names one:
    typed in capitals in a phrase that is not all capitals, or right before a role word ("the us
    president", "the US President" and "the U.S. president" all read "the United States
    president"; "tell us" stays)."""
    phrase = _DOTTED.sub(_undotted, phrase)
    everyday = everyday_country_forms()
    if not everyday:
        return phrase
    found = list(_WORD.finditer(phrase))
    shouting = phrase.upper() == phrase
    out: list[str] = []
    last = 0
    for k, m in enumerate(found):
        w = m.group(0)
        if fold(w) not in everyday:
            continue
        typed_caps = len(w) > 1 and w.isupper() and not shouting
        before_role = k + 1 < len(found) and fold(found[k + 1].group(0)) in role_words()
        code = countries().get(fold(w))
        country = pycountry.countries.get(alpha_2=code) if code else None
        if country is None or not (typed_caps or before_role):
            continue
        out += [phrase[last : m.start()], country.name]
        last = m.end()
    return "".join(out) + phrase[last:] if out else phrase


@cache
def role_phrases() -> tuple[str, ...]:
    """Role classes' members of several words ("press secretary", "head of state"), longest first."""
    return tuple(sorted((p for p in role_classes() if " " in p), key=lambda p: -len(p.split())))


def country_of(phrase: str) -> str | None:
    """The country a word or phrase names ("russia's" → RU, "kazakh" → KZ, "U.S." and the "u.s" a
    stated role keeps of it → US), else None."""
    f = fold(phrase).strip(" .")
    if f.endswith(("'s", "’s")):
        f = f[:-2]
    got = countries().get(f)
    if got is None and "." in f:  # a dotted abbreviation without its last dot
        got = countries().get(f + ".")
    return got


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
_OWNER_FILLERS = _ROLE_FILLERS | {"to"}


def role_keys(stated: Iterable[str], *, every_word: bool = False) -> frozenset[str]:
    """Role words as keys that mean the same whichever way a text writes them: a country, its
    demonym or its state's long name as `country:XX` ("french", "france", "french republic"), a role
    by its synonym class ("premier" = "prime minister"); a state's own head word ("republic",
    "federation") is dropped next to its country. The one reader of role words, for attribution's
    memory of who was named, for the entity table and for a question's role phrase.

    A role is a HEAD (the office) and an OWNER (whose it is): a possessive word ("the President's
    Office", or "of the President" as `mark_owners` writes it) is an owner key `owner:<class>`, not
    a head ("Head of the President's Office" is no president); a country owner stays `country:XX`.
    A head and body of a holder's own office is its post too (`roles.posts`: head of office →
    chief_of_staff), when an owner is stated.

    `every_word` is the entity table's reading of a speaker record's stated words: each word keeps
    its own key beside the class of a phrase it is part of ("press secretary" → press, secretary's
    class and spokesperson), and stop words are dropped rather than only the fillers."""
    bag = tuple(stated)
    owned = tuple(w for w in bag if _POSSESSIVE.search(w))
    if not owned:
        keys = _stated_keys(bag) if every_word else _role_keys(frozenset(bag))
    else:
        keys = _owned_keys(frozenset(bag), every_word)
    seats = _seat_keys(frozenset(bag))
    return keys | seats if seats else keys


@cache
def _seats() -> tuple[tuple[tuple[str, ...], str], ...]:
    """`roles.owners.seats` as word tuples with their owner key ("white house" → owner:white house)."""
    seats = _toml("roles.toml").get("owners", {}).get("seats", [])
    return tuple((tuple(fold(x).split()), f"owner:{fold(x)}") for x in seats)


@lru_cache(maxsize=1 << 14)
def _seat_keys(bag: frozenset[str]) -> frozenset[str]:
    """ "Kremlin spokesman", "White House press secretary": a seat of government stated with a role
    owns it (`owner:kremlin`, beside its country)."""
    ws = {_POSSESSIVE.sub("", fold(w).replace("’", "'")) for w in bag}
    out = set()
    for seat, key in _seats():
        if set(seat) <= ws and (ws - set(seat)) & role_words():
            out.add(key)
    return frozenset(out)


def seats_in(phrase: str) -> list[tuple[tuple[str, ...], str]]:
    """The seats of government a phrase names, as words and owner key ("the kremlin" → owner:kremlin)."""
    folded = " " + " ".join(_OWNER_TOKEN.findall(fold(phrase).replace("’", "'"))) + " "
    return [(seat, key) for seat, key in _seats() if f" {' '.join(seat)} " in folded.replace("'s ", " ")]


@lru_cache(maxsize=1 << 14)
def _owned_keys(bag: frozenset[str], every_word: bool) -> frozenset[str]:
    heads = tuple(sorted(w for w in bag if not _POSSESSIVE.search(w)))
    owner_words = frozenset(
        _POSSESSIVE.sub("", fold(w).replace("’", "'")) for w in bag if _POSSESSIVE.search(w)
    )
    head_keys = _stated_keys(heads) if every_word else _role_keys(frozenset(heads))
    owners = {k if k.startswith("country:") else f"owner:{k}" for k in _role_keys(owner_words)}
    out = set(head_keys) | owners
    for post, parts in _posts():
        if any(p <= head_keys for p in parts):
            out.add(post)
    return frozenset(out)


@cache
def _posts() -> tuple[tuple[str, tuple[frozenset[str], ...]], ...]:
    """`roles.posts`: each post's class with the keys of the phrases naming it."""
    table = _toml("roles.toml").get("posts", {})
    return tuple(
        (cls, tuple(frozenset(role_key(w) for w in fold(p).split() if w not in _ROLE_FILLERS) for p in ps))
        for cls, ps in table.items()
    )


@cache
def _holders() -> tuple[tuple[str, ...], ...]:
    """`roles.owners.holders` as word tuples, longest first."""
    hs = _toml("roles.toml").get("owners", {}).get("holders", [])
    return tuple(sorted((tuple(fold(h).split()) for h in hs), key=lambda h: -len(h)))


@cache
def _owner_adjectives() -> dict[str, str]:
    """`roles.owners.adjectives`: an adjective of a holder ("presidential") → the holder it stands for."""
    table = _toml("roles.toml").get("owners", {}).get("adjectives", {})
    return {fold(k): fold(v) for k, v in table.items()}


@cache
def _joins() -> frozenset[str]:
    return frozenset(fold(w) for w in _toml("roles.toml").get("owners", {}).get("joins", []))


@cache
def _before_owner() -> frozenset[str]:
    """Words after which of/for/to may name an owner: role words and bodies' head words."""
    return role_words() | lexicon_words("roles.organisations.heads")


def mark_owners(folded: Sequence[str]) -> list[str]:
    """A role phrase's folded words in order, with a holder it belongs to written possessive:
    "head of the office of the president" → …, "president's"; "spokesman for the vice president" →
    "vice's", "president's". A holder (`roles.owners.holders`, with a lesser word before it) right
    after of/for/to after a role or body word owns the role, with the rest of the phrase ("…of
    Ukraine"); so does a holder of several words ending in a possessive ("prime minister's"). A place,
    body or portfolio after "of" is left as it is ("Head of the Office", "Minister of Defence")."""
    out = list(folded)
    joins, before = _joins(), _before_owner()
    adjectives, bodies = _owner_adjectives(), lexicon_words("roles.organisations.heads")
    for k, w in enumerate(folded[:-1]):  # "the Presidential (Executive) Office": the president's office
        nxt = folded[k + 1 : k + 3]
        if w in adjectives and (nxt[0] in bodies or (len(nxt) == 2 and nxt[1] in bodies)):
            out[k] = adjectives[w] + "'s"
    for k, w in enumerate(folded):  # "the Prime Minister's Office": the whole holder is the owner
        if _POSSESSIVE.search(w):
            base = _POSSESSIVE.sub("", w)
            for whole in _holders():
                lo = k + 1 - len(whole)
                if len(whole) > 1 and lo >= 0 and (*folded[lo:k], base) == whole:
                    for m in range(lo, k):
                        out[m] = folded[m] + "'s"
                    break
    for k in range(len(out) - 1):
        # "chief of staff to the president": any role or body word before the join; or none, where
        # the phrase read is what follows a role ("to the Head of the President's Office").
        if out[k] not in joins or (k and not any(_POSSESSIVE.sub("", w) in before for w in out[:k])):
            continue
        j = k + 1
        while j < len(out) and out[j] in ("the", "a", "an"):
            j += 1
        start = j
        while j < len(out):
            h: tuple[str, ...] | None = next((h for h in _holders() if tuple(out[j : j + len(h)]) == h), None)
            if h is not None:
                # The rest of the phrase is the owner: "Adviser to the Head of the President's Office"
                # is an adviser, owned by the head of that office.
                for m in range(start, len(out)):
                    if out[m] not in _OWNER_FILLERS and not _POSSESSIVE.search(out[m]):
                        out[m] = out[m] + "'s"
                return out
            if out[j] not in lesser_words() | {"first"}:
                break
            j += 1
    return out


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


_OWNER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:'s)?")


def split_owners(phrase: str) -> tuple[list[str], list[str]]:
    """A question's role phrase read as a speaker's is: its words less the holders it says the role
    belongs to, and those holders' owner keys ("the president's chief of staff" → [the, chief, of,
    staff], [owner:president]). A name or country with a possessive stays a word ("zelensky's"); a
    seat of government stays a word (its country) and owns the role too ("the kremlin spokesman")."""
    toks = _OWNER_TOKEN.findall(fold(phrase).replace("’", "'"))
    keep: list[str] = []
    owned: list[str] = []
    for t in mark_owners(toks):
        base = _POSSESSIVE.sub("", t)
        if base != t and base in role_words():
            owned.append(t)
        else:
            keep.append(base)
    keys = sorted(k for k in role_keys(owned) if k.startswith("owner:")) if owned else []
    keys += [key for _, key in seats_in(phrase) if key not in keys]  # "the kremlin (spokesman)"
    return keep, keys
