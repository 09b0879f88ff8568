"""A typed name ("Blinken", "antony blinken", "Blinkin") → a speaker of the index, and back again.

The subscription keeps the speaker's folded name words; each new index is searched for the
speakers with those words again (its rows are renumbered by every rebuild). The speaker table
rows that share the surname and whose names contain, or are contained in, the followed name are
one person ("Blinken", "Antony Blinken", "Antony J. Blinken").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.attribution import name_key
from bot.index import CorpusIndex
from bot.text import fold, tokenize

_FILLER = {"the", "mr", "mrs", "ms", "dr"}
TYPO_SCORE = 85  # rapidfuzz ratio (0-100) for a misspelt name to count as the known one


@dataclass(frozen=True)
class LinkedSpeaker:
    """Whom a typed name resolved to: the display name, its folded name words, a role to show."""

    display: str
    names: tuple[str, ...]
    description: str | None = None
    corrected: bool = False  # the typed name was misspelt and taken for this one


def _keys(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(n) for n in names if n)


def same_person(followed: frozenset[str], names: list[str]) -> bool:
    """A speaker row is the followed person: same surname, and one name is part of the other."""
    keys = _keys(names)
    if not keys or not followed:
        return False
    surname = name_key(names[-1]) if names else ""
    return surname in followed and (keys <= followed or followed <= keys)


def speaker_rows(index: CorpusIndex, names: list[str] | tuple[str, ...]) -> list[int]:
    """The speaker table rows of `index` that are the person with these folded name words."""
    followed = _keys(names)
    return [i for i, spk in enumerate(index.speakers) if same_person(followed, spk["names"])]


def sentences_of(index: CorpusIndex, rows: list[int]) -> np.ndarray:
    """Sentence numbers attributed to any of `rows`, in index order."""
    if not rows:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(np.asarray(index.sent_speaker), rows))


def on_topic(index: CorpusIndex, sents: np.ndarray, about: list[str]) -> np.ndarray:
    """The sentences whose terms (title included, as the index counts them) hold every topic term."""
    terms = tokenize(" ".join(about))
    if not terms:
        return sents
    ids = [index.term_ids.get(t) for t in terms]
    if any(i is None for i in ids):
        return sents[:0]
    wanted = set(ids)
    keep = [s for s in sents.tolist() if wanted <= set(index.sentence_terms(s)[0].tolist())]
    return np.asarray(keep, dtype=np.int64)


def link(index: CorpusIndex, name: str) -> LinkedSpeaker | None:
    """Resolve a typed name to the speaker it most likely means, or None.

    Case and accents do not matter; a surname finds the full name; a misspelling finds the
    nearest speaker's name. Of several people who match ("Biden": Joe, Hunter), the one quoted
    most wins, since a newsroom following "Biden" means him.
    """
    words = [w.strip(".,’'\"") for w in fold(name).split()]
    words = [w for w in words if w and w not in _FILLER]
    if not words:
        return None
    query = _keys(words)
    spk_of = np.asarray(index.sent_speaker)
    counts = np.bincount(spk_of[spk_of >= 0], minlength=len(index.speakers))
    best: tuple[int, int] | None = None  # (sentences, row)
    for i, spk in enumerate(index.speakers):
        if spk.get("org") or not spk["names"]:
            continue
        if query <= _keys(spk["names"]) and (best is None or counts[i] > best[0]):
            best = (int(counts[i]), i)
    corrected = False
    if best is None:
        best = _nearest(index, words, counts)
        corrected = best is not None
    if best is None:
        return None
    row = index.speakers[best[1]]
    # The fullest display among the rows that are this person: "Antony Blinken", not "Blinken".
    rows = speaker_rows(index, row["names"])
    top = max(rows or [best[1]], key=lambda r: (len(index.speakers[r]["names"]), int(counts[r])))
    fullest = index.speakers[top]
    return LinkedSpeaker(display=fullest["display"], names=tuple(fullest["names"]), corrected=corrected)


def _nearest(index: CorpusIndex, words: list[str], counts: np.ndarray) -> tuple[int, int] | None:
    """The speaker whose name (or surname) is closest to a misspelt one, if close enough."""
    from rapidfuzz import fuzz, process

    typed = " ".join(words)
    choices: dict[int, str] = {}
    for i, spk in enumerate(index.speakers):
        if spk.get("org") or not spk["names"]:
            continue
        names = spk["names"]
        choices[i] = " ".join(names) if len(words) > 1 else names[-1]
    hits = process.extract(typed, choices, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE, limit=10)
    if not hits:
        return None
    top = max(h[1] for h in hits)
    row = max((h[2] for h in hits if h[1] == top), key=lambda r: counts[r])
    return int(counts[row]), int(row)
