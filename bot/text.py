"""Text folding and tokenizing for retrieval: one tokenizer for the index and for questions.

Folding maps case and accents away (`Çavuşoğlu`, `çavuşoğlu` and `Cavusoglu` all become
`cavusoglu`; Turkish dotless `ı` becomes `i`), so people's names meet however they are typed.
The tokenizer's name and settings are stored in the index manifest: an index built with
other settings is refused and rebuilt rather than silently mis-scored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import Stemmer
from unidecode import unidecode

from bot import lexicon

TOKENIZER_NAME = "citebot-fold-snowball-en"
TOKENIZER_VERSION = 6  # 6: "tonnes" is "tons"; 5: "won" is a word (the past of "win"), "won't" "will not"
ANALYSIS_VERSION = 12

# Snowball's English stop word list (the one its stemmer is designed with), plus
# clitics left over after splitting on apostrophes; not "won", which is a word ("who won the
# election"): "won't" is read as "will not" (`_WONT`).
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she
    her hers herself it its itself they them their theirs themselves what which who whom this that
    these those am is are was were be been being have has had having do does did doing would should
    could ought a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over under
    again further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don shouldn now d ll m o re ve
    y ain aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan wasn weren wouldn
    also
    """.split()
)

_WONT = re.compile(r"\bwon[’']t\b", re.I)
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")
_stemmer = Stemmer.Stemmer("english")


class _Transliteration(dict[int, str]):
    """Code point → its unidecode transliteration, looked up once per character ever seen.

    unidecode transliterates character by character in Python; `str.translate` through this
    table gives the same text several times faster (a news sentence with curly quotes is not
    ASCII, and answering folds hundreds of them)."""

    def __missing__(self, codepoint: int) -> str:
        out = self[codepoint] = unidecode(chr(codepoint))
        return out


_TRANSLITERATION = _Transliteration()


def fold(text: str) -> str:
    """Lower-case ASCII transliteration: the form in which names are compared."""
    if text.isascii():
        return text.lower()
    return text.replace("ı", "i").replace("İ", "I").translate(_TRANSLITERATION).lower()


def words(text: str) -> list[str]:
    """Folded word tokens, no stemming and no stop word removal (for names and patterns)."""
    return [_normalize_number(t) for t in _TOKEN_RE.findall(fold(text))]


def _normalize_number(token: str) -> str:
    if token[0].isdigit():
        return token.replace(",", "")
    return token


_SPELLING_FOLDS = [(re.compile(p), r) for p, r in lexicon.entry("spelling.folds.rules")]
_SPELLING_WORDS: dict[str, str] = dict(lexicon.entry("spelling.folds.words")) | dict(
    lexicon.entry("spelling.folds.ordinals")
)


@lru_cache(maxsize=200_000)
def _american(word: str) -> str:
    """A folded word in American spelling (`spelling.folds`): one term for "defence" and "defense"."""
    got = _SPELLING_WORDS.get(word)
    if got is not None:
        return got
    for pattern, repl in _SPELLING_FOLDS:
        word = pattern.sub(repl, word)
    return word


def stem(word: str) -> str:
    stemmed: str = _stemmer.stemWord(_american(word))
    return stemmed


_PREFIXES = lexicon.alternation(lexicon.words("spelling.folds.hyphen_prefixes"))
_HYPHENED = re.compile(rf"\b({_PREFIXES})-([a-z]+)")


def tokenize(text: str) -> list[str]:
    """Index terms: folded, stop words dropped, spelt the American way, stemmed; a hyphenated
    prefix's word also written solid (`spelling.folds.hyphen_prefixes`)."""
    if ("'t" in text or "’t" in text) and _WONT.search(text):
        text = _WONT.sub("will not", text)
    toks = [_american(t) for t in words(text) if t not in STOP_WORDS]
    if "-" in text:
        toks += [_american(p + w) for p, w in _HYPHENED.findall(fold(text))]
    stems: list[str] = _stemmer.stemWords(toks)
    return stems


def tokenizer_settings() -> dict[str, Any]:
    """What an index records so that a different tokenizer is never mixed with it."""
    return {
        "name": TOKENIZER_NAME,
        "version": TOKENIZER_VERSION,
        "stemmer": "snowball-english",
        "stop_words": len(STOP_WORDS),
        "fold": "unidecode+lower",
        # Bump when sentence splitting or speaker attribution rules change: what an index stores
        # per sentence depends on them, so an index built by older rules must be rebuilt.
        "analysis": ANALYSIS_VERSION,
    }


def by_initial(terms: Iterable[str]) -> dict[str, list[str]]:
    """Words grouped by their first letter: the pool a misspelt word is matched in, since a
    misspelling nearly always keeps its first letter."""
    out: dict[str, list[str]] = {}
    for w in terms:
        out.setdefault(w[:1], []).append(w)
    return out


@lru_cache(maxsize=1 << 18)
def name_key(word: str) -> str:
    """Folded form of a name word that meets its transliterations (Zelensky/Zelenskyy/Zelenskiy):
    the one key attribution, the entity table and linking compare names by.

    Memoised: who-is reads every word of 200 sentences through it, and words repeat."""
    w = fold(word).strip(".’'-")
    w = re.sub(r"(?:iy|yy|ii|y|i)$", "y", w) if len(w) > 4 else w
    return re.sub(r"(.)\1+", r"\1", w)
