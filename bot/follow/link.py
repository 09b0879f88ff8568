"""A typed name ("Blinken", "antony blinken", "Blinkin") → a speaker of the index, and back again.

Names are linked through the entity layer (`bot.entities`: surnames, case, accents, typos,
roles), which clusters the index's speaker rows into people. A subscription keeps the person's
display name and folded name words, not an entity number (renumbered by every rebuild); each
new index finds the person again: the speaker rows that share the surname and whose names
contain, or are contained in, the followed name, plus the rest of their entities' rows
("Blinken", "Antony Blinken", "Antony J. Blinken").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from bot.attribution import name_key
from bot.entities import EntityTable, SubjectLinker, build_entities
from bot.index import CorpusIndex
from bot.lexicon import words as lexicon_words
from bot.text import fold, tokenize

MAX_DESCRIBED_ARTICLES = 200  # articles read for how the corpus describes someone
_CONNECTORS = {"of", "the", "and", "for"}
_WORD = re.compile(r"[\w.’'-]+")


@dataclass(frozen=True)
class LinkedSpeaker:
    """Whom a typed name resolved to: the display name, its folded name words, a role to show."""

    display: str
    names: tuple[str, ...]
    description: str | None = None
    corrected: bool = False  # the typed name was misspelt and taken for this one


_tables: dict[str, EntityTable] = {}


def entities(index: CorpusIndex) -> EntityTable:
    """The index's entity table: saved beside it when the build saved one, else built (and kept)."""
    key = str(index.path) if index.path else ""
    table = _tables.get(key) if key else None
    if table is None:
        table = index.entity_table or build_entities(index)
        if key:
            if len(_tables) >= 4:  # the live index and the one before it, with room to spare
                _tables.clear()
            _tables[key] = table
    return table


def _keys(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    return frozenset(name_key(n) for n in names if n)


def same_person(followed: frozenset[str], names: list[str]) -> bool:
    """A speaker row is the followed person: same surname, and one name is part of the other."""
    keys = _keys(names)
    if not keys or not followed:
        return False
    return name_key(names[-1]) in followed and (keys <= followed or followed <= keys)


def speaker_rows(index: CorpusIndex, names: list[str] | tuple[str, ...]) -> list[int]:
    """The speaker table rows of `index` that are the person with these folded name words."""
    followed = _keys(names)
    rows = {i for i, spk in enumerate(index.speakers) if same_person(followed, spk["names"])}
    table = entities(index)
    ents = {table.speaker_entity[r] for r in rows if table.speaker_entity[r] >= 0}
    rows |= {r for e in ents for r in table.entities[e].speakers}
    return sorted(rows)


def sentences_of(index: CorpusIndex, rows: list[int]) -> np.ndarray:
    """Sentence numbers attributed to any of `rows`, in index order."""
    if not rows:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(np.asarray(index.sent_speaker), rows))


def on_topic(index: CorpusIndex, sents: np.ndarray, about: list[str]) -> np.ndarray:
    """The sentences whose terms (title included, as the index counts them) hold every topic term.

    Read from the term-major postings (the sentences holding each term), so a speaker with a
    hundred thousand sentences costs a few array intersections.
    """
    terms = tokenize(" ".join(about))
    if not terms:
        return sents
    keep = np.asarray(sents, dtype=np.int64)
    for t in dict.fromkeys(terms):
        tid = index.term_ids.get(t)
        if tid is None:
            return keep[:0]
        lo, hi = int(index.bm25_ptr[tid]), int(index.bm25_ptr[tid + 1])
        keep = keep[np.isin(keep, np.asarray(index.bm25_rows[lo:hi]))]
    return keep


def link(index: CorpusIndex, name: str) -> LinkedSpeaker | None:
    """Resolve a typed name to the person it most likely means, or None.

    The entity layer's subject linker does the matching (case, accents, surname, misspelling,
    a role such as "the foreign minister"); of several people it links, the strongest (the most
    quoted, on a tie) is followed, since a newsroom following "Biden" means him.
    """
    table = entities(index)
    found = SubjectLinker(table).link(name)
    best = found.best if found.best is not None else _by_speaker_names(index, table, name)
    if best is None:
        return None
    ent = table.entities[best]
    rows = ent.speakers or []
    if not rows:
        return None
    spk_of = np.asarray(index.sent_speaker)
    counts = np.bincount(spk_of[spk_of >= 0], minlength=len(index.speakers))
    fullest = index.speakers[max(rows, key=lambda r: (len(index.speakers[r]["names"]), int(counts[r])))]
    return LinkedSpeaker(
        display=ent.display,
        names=tuple(fullest["names"]),
        description=describe(
            index, [ent.display] + [index.speakers[r]["display"] for r in rows], sentences_of(index, rows)
        ),
        corrected=bool(found.corrected),
    )


def _by_speaker_names(index: CorpusIndex, table: EntityTable, name: str) -> int | None:
    """The entity of the most quoted speaker row holding every typed name word, when the linker
    found none (it splits hyphenated names such as "Jean-Pierre" into two words)."""
    typed = _keys([w.strip(".,’'\"") for w in fold(name).split()])
    if not typed:
        return None
    spk_of = np.asarray(index.sent_speaker)
    counts = np.bincount(spk_of[spk_of >= 0], minlength=len(index.speakers))
    rows = [r for r, spk in enumerate(index.speakers) if typed <= _keys(spk["names"])]
    rows = [r for r in rows if table.speaker_entity[r] >= 0]
    if not rows:
        return None
    return table.speaker_entity[max(rows, key=lambda r: int(counts[r]))]


def describe(index: CorpusIndex, names: list[str], sents: np.ndarray) -> str | None:
    """How the corpus most often introduces someone: the role words written just before one of
    their names ("Turkish Foreign Minister Mevlüt Çavuşoğlu" → "Turkish Foreign Minister"), or None.

    Read in the articles they speak in (at most `MAX_DESCRIBED_ARTICLES`), a few words before
    each occurrence of a full name (two words or more).
    """
    roles = lexicon_words("roles.words", "roles.classes", "roles.organisations")
    calendar = lexicon_words("calendar.words")
    full = [n for n in dict.fromkeys(names) if len(n.split()) >= 2]
    seen: Counter[str] = Counter()
    articles = list(dict.fromkeys(np.asarray(index.sent_article)[sents].tolist()))
    for a in articles[:MAX_DESCRIBED_ARTICLES]:
        body = index.body(int(a))
        for name in full:
            at = body.find(name)
            while at >= 0:
                before = _WORD.findall(body[max(0, at - 120) : at])[-7:]
                phrase = _role_run(before, body[max(0, at - 120) : at], roles, calendar)
                if phrase:
                    seen[phrase] += 1
                at = body.find(name, at + len(name))
    if not seen:
        return None
    return max(seen, key=lambda p: (seen[p], len(p)))


def _role_run(before: list[str], text: str, roles: frozenset[str], calendar: frozenset[str]) -> str | None:
    """The words right before a name that say what the person is: role and organisation words,
    countries and nationalities, capitalised words leading into them; None without a role word.
    A run stops at punctuation (`text` is what precedes the name, `before` its last words)."""
    from bot.entities.lexicon import country_of

    if text.rstrip() != text[: len(text.rstrip())] or not text.endswith(" "):
        return None  # the name is not a separate word here
    run: list[str] = []
    tail = text.rstrip()
    for w in reversed(before):
        if not tail.endswith(w):
            break  # punctuation between this word and the next
        tail = tail[: -len(w)].rstrip()
        f = fold(w).strip(".’'")
        if f in calendar:
            break
        if f in roles or country_of(f) or f in _CONNECTORS or (w[:1].isupper() and run):
            run.insert(0, w)
            continue
        break
    while run and fold(run[0]) in _CONNECTORS:
        run.pop(0)
    if not run or not run[0][:1].isupper() or not any(fold(w).strip(".") in roles for w in run):
        return None  # "my colleague John Kirby" is no description; "Energy minister Tomas Lind" is
    return " ".join(run)
