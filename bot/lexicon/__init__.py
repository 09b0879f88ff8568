"""The one lexicon: word lists and tables that attribution, question analysis and evidence share.

Every list lives in a TOML file of this package and is named by an id, `<file>.<table>.<key>`
(`speech.verbs.pure`, `roles.organisations.heads`, `calendar.words.months`), so a rule can say
which list it reads and a list is changed in one place. Verbs are stored as lemmas; `inflect`
makes their forms, so "warn" covers warns, warned and warning everywhere.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any, TypeAlias


class LexiconError(KeyError):
    """An id that names no list of the lexicon."""


@cache
def digest() -> str:
    """A hash of every file of the lexicon: an index records it, since what it stores per sentence
    (speakers, their roles) is read through these lists, so a changed list means a rebuild."""
    h = hashlib.sha256()
    for f in sorted(resources.files(__package__).iterdir(), key=lambda f: f.name):
        if f.name.endswith((".toml", ".tsv")):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@cache
def _file(name: str) -> dict[str, Any]:
    try:
        raw = resources.files(__package__).joinpath(f"{name}.toml").read_bytes()
    except FileNotFoundError as exc:
        raise LexiconError(name) from exc
    return tomllib.loads(raw.decode("utf-8"))


def entry(list_id: str) -> Any:
    """The raw value an id names (a list, or a table for `speech.irregular`)."""
    name, _, path = list_id.partition(".")
    node: Any = _file(name)
    for part in path.split(".") if path else ():
        if not isinstance(node, dict) or part not in node:
            raise LexiconError(list_id)
        node = node[part]
    return node


@cache
def words(*list_ids: str) -> frozenset[str]:
    """The union of the word lists named, lower case."""
    out: set[str] = set()
    for list_id in list_ids:
        value = entry(list_id)
        if isinstance(value, dict):  # a table of lists: all of them
            for v in value.values():
                out.update(w.lower() for w in v if isinstance(w, str))
        else:
            out.update(w.lower() for w in value)
    return frozenset(out)


@cache
def table(list_id: str) -> dict[str, tuple[str, ...]]:
    """A table of lists (synonym classes, irregular forms) as tuples."""
    value = entry(list_id)
    if not isinstance(value, dict):
        raise LexiconError(f"{list_id} is a list, not a table")
    return {k: tuple(v) for k, v in value.items()}


_VOWELS = "aeiou"


_ONE_SYLLABLE_CVC = re.compile(r"[^aeiou]*[aeiou][bdgklmnprt]")


@cache
def inflect(lemma: str) -> tuple[str, ...]:
    """Every form of a verb lemma: base, third person, past, past participle, present participle.

    A phrasal verb ("point out") inflects its first word. Irregular forms and the longer verbs
    that double their last consonant ("admit" → "admitted") are data (`speech.irregular`,
    `speech.doubling.words`); the rest follow the regular English spelling rules, among them that
    a one-syllable verb ending in consonant–vowel–consonant doubles it ("slam" → "slammed").
    """
    head, sep, rest = lemma.partition(" ")
    tail = sep + rest
    irregular = table("speech.irregular")
    if head in irregular:
        forms = (head, *irregular[head])
    else:
        if head.endswith(("s", "x", "z", "ch", "sh", "o")):
            third = head + "es"
        elif head.endswith("y") and head[-2:-1] not in _VOWELS:
            third = head[:-1] + "ies"
        else:
            third = head + "s"
        if head.endswith("e"):
            past, ing = head + "d", (head[:-1] + "ing" if not head.endswith("ee") else head + "ing")
        elif head.endswith("y") and head[-2:-1] not in _VOWELS:
            past, ing = head[:-1] + "ied", head + "ing"
        elif head in words("speech.doubling.words") or _ONE_SYLLABLE_CVC.fullmatch(head):
            past, ing = head + head[-1] + "ed", head + head[-1] + "ing"
        else:
            past, ing = head + "ed", head + "ing"
        forms = (head, third, past, past, ing)
    return tuple(dict.fromkeys(f + tail for f in forms))


@cache
def synonyms() -> dict[str, tuple[str, ...]]:
    """`synonyms.tsv`: each word → the words its dominant WordNet senses may be written as
    (synonyms and derivations, generated once by tools/wordnet_synonyms.py; no corpus is read). A
    two-word verb is one word written with "_" ("call_off")."""
    raw = resources.files(__package__).joinpath("synonyms.tsv").read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            word, _, alts = line.partition("\t")
            out[word] = tuple(alts.split())
    return out


@cache
def speech_verb_forms(*list_ids: str) -> frozenset[str]:
    """Every inflected form of the verbs in the lists named (default: all speech verbs)."""
    ids = list_ids or ("speech.verbs.pure", "speech.verbs.act")
    return frozenset(f for lemma in words(*ids) for f in inflect(lemma))


@cache
def lemma_of(form: str) -> str | None:
    """The speech-verb lemma a form belongs to ("warned" → "warn"), or None."""
    form = form.lower()
    for lemma in sorted(words("speech.verbs.pure", "speech.verbs.act")):
        if form in inflect(lemma):
            return lemma
    return None


#: A character trie of phrases: each key one character ("" marks a phrase's end).
_Trie: TypeAlias = dict[str, "_Trie"]


def alternation(forms: frozenset[str] | set[str]) -> str:
    """A regex matching any of the phrases (spaces match any whitespace), shaped as a trie.

    Python's `re` tries the branches of `a|b|c` one after the other at every position; with
    hundreds of verb forms that is most of the matching time. Factoring common prefixes
    (`sa(?:id|ys|y)`) makes the match a walk down the trie instead. Longer phrases win.
    """
    trie: _Trie = {}
    for f in forms:
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: _Trie) -> str:
    branches = []
    end = "" in node
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        branches.append(piece + _trie_regex(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:  # a phrase ends here, and longer ones continue: try the longer first
        return "(?:" + body + ")?"
    return body
