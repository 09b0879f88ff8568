"""The entity table: every person and organisation the corpus attributes words to, built at index time.

An entity clusters the index's speaker rows that are one person ("Putin", "Vladimir Putin",
"Vladimir Vladimirovich Putin"), with its surface forms (folded name keys, so transliterations
meet), its roles as the corpus states them (synonym classes and countries, each with the first and
last article date stating it, and when it holds each: not where an article says "former"), and the
acronyms the corpus defines ("the World Health Organization (WHO)"). It is saved beside the index as
`entities.json` and loaded with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.entities.lexicon import (
    country_of,
    lesser_words,
    not_held_words,
    role_classes,
    role_keys,
    role_words,
)
from bot.lexicon import words as lexicon_words
from bot.text import STOP_WORDS, fold, name_key

if TYPE_CHECKING:
    from bot.index import CorpusIndex
    from bot.records import SpeakerRecord

ENTITIES_FILE = "entities.json"
# 8: a dotted country ("U.S.") is its country; 7: a label of initials and a surname joins its full
# name; 6: owner keys (owner:president) and posts; 5: a surname alone joins the full name stated
# with its roles; 4: roles dated; 9: demonyms derived from country names ("albanian")
ENTITIES_VERSION = 9
INFERRED_SHARE = 0.75  # of the country votes of those it speaks beside, the one taken must hold this
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_CAP_WORDS = re.compile(r"[A-Z][\w’'.&-]*|of|for|and|the|on|in|de|du")
_FILLERS = {"of", "for", "and", "the", "on", "in", "de", "du"}


@dataclass
class Entity:
    id: int
    display: str  # the fullest name the corpus gives
    org: bool
    speakers: list[int]  # rows of the index's speaker table
    names: list[str]  # name keys of every surface form
    roles: dict[str, list[str]] = field(default_factory=dict)  # role/country key → [first, last] ISO date
    acronyms: list[str] = field(default_factory=list)
    sentences: int = 0  # sentences attributed to it
    # Role key → [first, last] ISO dates of each run of articles stating it holds the role, and of
    # each stretch in which the corpus says it does not ("former Vice President", or "President" alone
    # where it had said "Vice President"; "" ends an open one). Undated articles say neither.
    held: dict[str, list[list[str]]] = field(default_factory=dict)
    out: dict[str, list[list[str]]] = field(default_factory=dict)

    def holds(self, key: str, on: date | None = None) -> bool:
        """Whether the corpus states this role (or country) for it, at `on` if given (by article dates)."""
        span = self.roles.get(key)
        if span is None:
            return False
        if on is None or not span[0]:
            return True
        return span[0] <= on.isoformat() <= span[1]

    def held_runs(self, key: str) -> list[list[str] | None]:
        """When it holds a role: its runs of articles holding it, where the corpus dates its tenure,
        else the span of the articles stating it ("former Vice President" in 2020 is no vice
        president of 2020)."""
        if key in self.held or key in self.out:
            return list(self.held.get(key, []))
        return [self.roles.get(key)]

    def held_span(self, keys: list[str]) -> tuple[str, str] | None:
        """The first and last article dates (ISO) at which the corpus states it holding every one of the
        roles; None when it never does with dates, or says it left them after that ("former")."""
        if not keys:
            return None
        starts, ends = [], []
        for k in keys:
            runs = self.held.get(k) or []
            if not runs:
                return None
            starts.append(min(lo for lo, _ in runs))
            ends.append(max(hi or lo for lo, hi in runs))
        until = min(ends)
        if any(lo > until for k in keys for lo, _ in self.out.get(k, ())):
            return None
        return max(starts), until

    def holding(self, keys: list[str]) -> list[tuple[int, int]]:
        """Day ordinals [first, last] of each stretch in which the corpus states it holding every one
        of the roles (its dated runs, intersected over the keys); none where it never dates them."""
        spans: list[tuple[int, int]] | None = None
        for key in keys:
            runs = [
                (date.fromisoformat(r[0]).toordinal(), date.fromisoformat(r[1] or r[0]).toordinal())
                for r in self.held_runs(key)
                if r and r[0]
            ]
            spans = sorted(runs) if spans is None else _intersect(spans, sorted(runs))
            if not spans:
                return []
        return spans or []

    def active_days(self) -> int:
        """Days from the first to the last article date stating any role of it (1 at least)."""
        dated = [span for span in self.roles.values() if span and span[0]]
        if not dated:
            return 1
        lo = min(date.fromisoformat(s[0]) for s in dated)
        hi = max(date.fromisoformat(s[1] or s[0]) for s in dated)
        return max((hi - lo).days + 1, 1)

    def out_of(self, keys: list[str]) -> list[tuple[int, int]]:
        """Day ordinals [first, last] in which the corpus says it holds not every one of the roles."""
        spans = []
        for key in keys:
            for lo, hi in self.out.get(key, ()):
                end = date.fromisoformat(hi).toordinal() if hi else date.max.toordinal()
                spans.append((date.fromisoformat(lo).toordinal(), end))
        return spans


def _intersect(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The days two sorted lists of [first, last] stretches share."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def span_days(spans: list[tuple[int, int]]) -> int:
    return sum(hi - lo + 1 for lo, hi in spans)


@dataclass
class EntityTable:
    entities: list[Entity]
    acronyms: dict[str, str]  # folded acronym → its expansion as the corpus writes it
    speaker_entity: list[int]  # speaker row → entity id (-1: not a person or organisation)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": ENTITIES_VERSION,
            "entities": [asdict(e) for e in self.entities],
            "acronyms": self.acronyms,
            "speaker_entity": self.speaker_entity,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EntityTable:
        return cls([Entity(**e) for e in data["entities"]], data["acronyms"], data["speaker_entity"])

    def save(self, folder: Path) -> None:
        (folder / ENTITIES_FILE).write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> EntityTable | None:
        """The saved table, or None when the index has none (or an older one): build it then."""
        try:
            data = json.loads((folder / ENTITIES_FILE).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != ENTITIES_VERSION:
            return None
        return cls.from_json(data)


def build_entities(index: CorpusIndex) -> EntityTable:
    """Cluster the index's speakers into entities and read their roles, dates and acronyms."""
    speakers = index.speakers
    spk = np.asarray(index.sent_speaker)
    said = spk >= 0
    counts = np.bincount(spk[said], minlength=len(speakers)) if len(speakers) else np.zeros(0, np.int64)
    first, last = _speaker_dates(index, spk, said, len(speakers))
    published = {a["article_id"]: _ordinal(a.get("published")) for a in index.articles}

    # One person: the same last name key and compatible first names; "Putin" alone joins the
    # most quoted full name ending in Putin.
    titles = role_words()
    name_keys = [_keys(s, titles) for s in speakers]  # read once: the clustering compares them often
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(speakers):
        keys = name_keys[i]
        if keys:
            groups.setdefault(("org:" if s.get("org") else "") + keys[-1], []).append(i)
    speaker_entity = [-1] * len(speakers)
    entities: list[Entity] = []
    for rows in groups.values():
        rows.sort(
            key=lambda r: (
                _label_initials(speakers[r], name_keys[r]),  # after the full names
                -len(name_keys[r]),
                # a bare "Berg" joins the full name before a "Mr. Berg" of the other gender stands alone
                len(name_keys[r]) == 1 and bool(speakers[r].get("gender")),
                -int(counts[r]),
            )
        )
        clusters: list[list[int]] = []
        held: list[set[str]] = []  # per cluster: the role keys its full-name records state
        for r in rows:
            keys = name_keys[r]
            at = next((i for i, c in enumerate(clusters) if _compatible(keys, name_keys[c[0]])), None)
            if at is None and clusters and (len(keys) == 1 or _label_initials(speakers[r], keys)):
                # "Biden" alone as "the President": the full name stated with that role (Joe Biden, not
                # the First Lady, quoted often too), else the most quoted.
                mine = _held_keys(speakers[r])
                # "MR. ANDERSON" is no Magdalena Andersson: never a cluster of the other gender only
                fits = [
                    i for i, c in enumerate(clusters) if _gender_fits(speakers[r], [speakers[x] for x in c])
                ]
                at = max(
                    fits, key=lambda i: (len(mine & held[i]), int(counts[clusters[i]].sum())), default=None
                )
            if at is None:
                clusters.append([r])
                held.append(set(_held_keys(speakers[r])) if len(keys) > 1 else set())
            else:
                clusters[at].append(r)
                if len(keys) > 1:
                    held[at] |= _held_keys(speakers[r])
        for c in clusters:
            entities.append(_entity(len(entities), c, speakers, counts, first, last, published))
            for r in c:
                speaker_entity[r] = entities[-1].id
    _link_office_holders(speakers, name_keys, speaker_entity, entities, counts, first, last)
    _infer_countries(index, entities, speaker_entity, spk, said, first, last)
    acronyms = _acronyms(index)
    by_display = {fold(e.display): e for e in entities}
    for acr, expansion in acronyms.items():
        e = by_display.get(fold(expansion))
        if e is not None and acr not in e.acronyms:
            e.acronyms.append(acr)
    return EntityTable(entities, acronyms, speaker_entity)


def _gender_fits(row: SpeakerRecord, cluster: list[SpeakerRecord]) -> bool:
    """Whether a surname's row ("Mr. Lind") may be a cluster's person: its gender, if it states one,
    is not the opposite of every gender the cluster's rows state."""
    mine = row.get("gender")
    theirs = {c.get("gender") for c in cluster} - {None, ""}
    return not mine or not theirs or mine in theirs


def _link_office_holders(
    speakers: list[SpeakerRecord],
    name_keys: list[list[str]],
    speaker_entity: list[int],
    entities: list[Entity],
    counts: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
) -> None:
    """An unnamed speaker that is one country's single office ("the President of Russia", a release
    "address by the President of Ukraine") is the one person the corpus names holding that office
    over all of the speaker's dates; several or none: it stays unnamed."""
    single = role_keys(lexicon_words("roles.offices.single"))
    not_held = not_held_words() | lesser_words()
    people = [e for e in entities if not e.org]
    for r, s in enumerate(speakers):
        if speaker_entity[r] >= 0 or name_keys[r] or s.get("org") or not first[r]:
            continue
        stated = [fold(w) for w in s.get("roles", [])]
        if not_held & set(stated):
            continue  # "the former President of Ukraine"
        want = role_keys(stated)
        countries = {k for k in want if k.startswith("country:")}
        posts = want - countries
        if len(countries) != 1 or not posts or not posts <= single:
            continue
        lo, hi = date.fromordinal(int(first[r])), date.fromordinal(int(last[r]))
        fits = [e for e in people if all(e.holds(k, lo) and e.holds(k, hi) for k in want)]
        if len(fits) == 1:
            speaker_entity[r] = fits[0].id
            fits[0].speakers.append(r)
            fits[0].sentences += int(counts[r]) if len(counts) else 0


def _label_initials(speaker: SpeakerRecord, keys: list[str]) -> bool:
    """A transcript label of initials and a surname that no full name of the surname matches
    ("S. PSAKI:", a "MS." the page lost its M of): read as the bare surname, so it joins the
    person of that surname the corpus names in full rather than standing as a person of its own."""
    display = str(speaker.get("display", ""))
    return display.isupper() and len(keys) >= 2 and all(len(k) == 1 for k in keys[:-1])


def _held_keys(speaker: SpeakerRecord) -> frozenset[str]:
    """The role keys a speaker record states, less countries (which many people share)."""
    keys = role_keys(speaker.get("roles", []), every_word=True)
    return frozenset(k for k in keys if not k.startswith("country:"))


def _keys(speaker: SpeakerRecord, titles: frozenset[str]) -> list[str]:
    """A speaker's name keys without titles or countries ("Mr Putin" → putin, "Belarus Alexander
    Lukashenko" → alexander lukashenko)."""
    return [
        name_key(n) for n in speaker.get("names", []) if n and fold(n) not in titles and not country_of(n)
    ]


def _compatible(keys: list[str], other: list[str]) -> bool:
    """Same person by name: the same surname and first names equal, one the other's initial, or one
    name the tail of the other ("Large Construction Volodymyr Zelenskyy" ends in "Volodymyr Zelenskyy")."""
    if not keys or not other or keys[-1] != other[-1]:
        return False
    if len(keys) == 1 or len(other) == 1:
        return len(keys) == len(other)
    short, long_ = sorted((keys, other), key=len)
    if long_[-len(short) :] == short:
        return True
    a, b = keys[0], other[0]
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _entity(
    eid: int,
    rows: list[int],
    speakers: list[SpeakerRecord],
    counts: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
    published: dict[str, int],
) -> Entity:
    # Role and country words inside a speaker's "name" ("Head of the President's Office") are roles.
    titles = role_words()
    names = sorted(
        {
            name_key(n)
            for r in rows
            for n in speakers[r]["names"]
            if fold(n) not in titles and fold(n) not in STOP_WORDS and not country_of(n)
        }
    )
    roles: dict[str, list[str]] = {}

    def state(keys: frozenset[str], lo: str, hi: str) -> None:
        for key in keys:
            old = roles.get(key)
            if old is None:
                roles[key] = [lo, hi]
            elif lo:
                roles[key] = [min(old[0] or lo, lo), max(old[1], hi)]

    bags: list[tuple[int, frozenset[str], bool]] = []  # per article stating roles: its date, keys, "former"
    for r in rows:
        lo = date.fromordinal(int(first[r])).isoformat() if first[r] else ""
        hi = date.fromordinal(int(last[r])).isoformat() if last[r] else ""
        in_name = [fold(n) for n in speakers[r]["names"] if fold(n) in titles or country_of(n)]
        stated = speakers[r].get("stated")
        if stated is None:  # an index of before per-article roles: each role over the row's dates
            state(role_keys((*speakers[r].get("roles", []), *in_name), every_word=True), lo, hi)
            continue
        state(role_keys(in_name, every_word=True), lo, hi)  # the name's roles: over all the row's dates
        for article, words in stated.items():
            day = published.get(article)
            if day is None:  # an article the index no longer holds
                continue
            keys = role_keys((*words, *in_name), every_word=True)
            iso = date.fromordinal(day).isoformat() if day else ""
            state(keys, iso, iso)
            if day:
                bags.append((day, keys, bool(not_held_words() & {fold(w) for w in words})))
    held, out = _tenure(bags)
    # The name the corpus uses most for it, among its full (two-word or longer) forms.
    full = [r for r in rows if len(speakers[r].get("names", [])) >= 2] or rows
    full = [r for r in full if not _label_initials(speakers[r], _keys(speakers[r], titles))] or full
    display = speakers[max(full, key=lambda r: int(counts[r]) if len(counts) else 0)]["display"]
    return Entity(
        id=eid,
        display=display,
        org=bool(speakers[rows[0]].get("org")),
        speakers=rows,
        names=names,
        roles=roles,
        sentences=int(counts[rows].sum()) if len(counts) else 0,
        held=held,
        out=out,
    )


def _tenure(
    bags: list[tuple[int, frozenset[str], bool]],
) -> tuple[dict[str, list[list[str]]], dict[str, list[list[str]]]]:
    """When the entity holds each role, by the dates of the articles stating its roles.

    An article holds the role when it states it without a word like "former"; it says the role is
    not held when it states it with one, or when the role is a lesser word ("vice") and it states
    the post it made lesser without it ("President A" where A was "Vice President A"). A stretch not held runs
    from such an article to the next one holding the role; between the last holding one and it the
    corpus says nothing. Titles ("Mr") and words that are no role tell nothing."""
    if not bags:
        return {}, {}
    posts = role_words() - _titles() - not_held_words()

    def post_keys(keys: frozenset[str]) -> set[str]:
        return {k for k in keys if not k.startswith("country:") and (k in posts or k in _class_names())}

    # Lesser word → the posts each article holding it states with it ({president} for "vice").
    beside: dict[str, set[frozenset[str]]] = {}
    for _, keys, former in bags:
        if not former:
            for k in post_keys(keys) & lesser_words():
                if post_keys(keys) - {k}:
                    beside.setdefault(k, set()).add(frozenset(post_keys(keys) - {k}))
    points: dict[str, dict[int, bool]] = {}  # role → day → held (held wins a day both are said)
    for day, keys, former in bags:
        mine = post_keys(keys)
        for k in beside.keys() | mine:
            if k in mine:
                now = not former
            elif not former and any(others <= mine for others in beside[k]):
                # Every other post of an article holding it, and not the lesser word: the post itself
                # ("President" after "Vice President"), not another one ("Press Secretary" after
                # "Deputy Head of Office, Press Secretary").
                now = False
            else:
                continue
            days = points.setdefault(k, {})
            days[day] = days.get(day, False) or now
    held: dict[str, list[list[str]]] = {}
    out: dict[str, list[list[str]]] = {}
    for k, days in points.items():
        run: list[int] = []
        gone: int | None = None
        for day in sorted(days):
            if days[day]:
                if gone is not None:
                    out.setdefault(k, []).append([_iso(gone), _iso(day - 1)])
                    gone = None
                run = [run[0] if run else day, day]
            else:
                if run:
                    held.setdefault(k, []).append([_iso(run[0]), _iso(run[1])])
                    run = []
                if gone is None:
                    gone = day
        if run:
            held.setdefault(k, []).append([_iso(run[0]), _iso(run[1])])
        if gone is not None:
            out.setdefault(k, []).append([_iso(gone), ""])
    return held, out


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon_words("roles.words.titles"))


@lru_cache(maxsize=1)
def _class_names() -> frozenset[str]:
    return frozenset(role_classes().values())


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def _ordinal(value: str | None) -> int:
    """A published date as a proleptic ordinal (0: undated or unreadable)."""
    if not value:
        return 0
    try:
        return date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return 0


def _infer_countries(
    index: CorpusIndex,
    entities: list[Entity],
    speaker_entity: list[int],
    spk: np.ndarray,
    said: np.ndarray,
    first: np.ndarray,
    last: np.ndarray,
) -> None:
    """A person whose country the corpus never states takes the one stated of those it speaks beside,
    when they mostly agree (the Kremlin's press secretary speaks in articles where Russians speak)."""
    if not entities or not said.any():
        return
    ent = np.asarray(speaker_entity, dtype=np.int64)[spk[said]]
    art = np.asarray(index.sent_article)[said]
    keep = ent >= 0
    pairs, counts = np.unique(np.stack([art[keep], ent[keep]], axis=1), axis=0, return_counts=True)
    stated = {e.id: {k for k in e.roles if k.startswith("country:")} for e in entities}
    by_article: dict[int, list[tuple[int, int]]] = {}
    for (a, e), n in zip(pairs.tolist(), counts.tolist(), strict=True):
        by_article.setdefault(a, []).append((e, n))
    votes: dict[int, dict[str, int]] = {}
    for members in by_article.values():
        for e, _ in members:
            if stated[e] or entities[e].org:
                continue
            tally = votes.setdefault(e, {})
            for other, n in members:
                if other != e and len(stated[other]) == 1:
                    (key,) = stated[other]
                    tally[key] = tally.get(key, 0) + n
    for e, tally in votes.items():
        if not tally:
            continue
        key, n = max(tally.items(), key=lambda kv: kv[1])
        if n < INFERRED_SHARE * sum(tally.values()):
            continue
        rows = entities[e].speakers
        lo = [int(first[r]) for r in rows if first[r]]
        hi = [int(last[r]) for r in rows if last[r]]
        entities[e].roles[key] = [
            date.fromordinal(min(lo)).isoformat() if lo else "",
            date.fromordinal(max(hi)).isoformat() if hi else "",
        ]


def _speaker_dates(
    index: CorpusIndex, spk: np.ndarray, said: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """First and last article date (proleptic ordinal; 0 = undated) each speaker row speaks in."""
    ordinals = np.array([_ordinal(a.get("published")) for a in index.articles], dtype=np.int64)
    art = ordinals[np.asarray(index.sent_article)[said]]
    who = spk[said]
    dated = art > 0
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    np.minimum.at(first, who[dated], art[dated])
    np.maximum.at(last, who[dated], art[dated])
    first[first == np.iinfo(np.int64).max] = 0
    return first, last


def _acronyms(index: CorpusIndex) -> dict[str, str]:
    """Acronyms the corpus defines: "the World Health Organization (WHO)" → who: World Health Organization."""
    seen: dict[str, dict[str, int]] = {}
    for a in range(len(index.articles)):
        body = index.body(a)
        if "(" not in body:
            continue
        for m in _ACRONYM.finditer(body):
            acr = m.group(1)
            letters = [c for c in acr if c.isupper()]
            if len(letters) < 2:
                continue
            before = _CAP_WORDS.findall(body[max(0, m.start() - 120) : m.start()])
            # Walk back over capitalised words (and fillers) until the initials spell the acronym,
            # the fillers' left out ("World Health Organization (WHO)") or in ("Department of
            # Justice (DOJ)").
            words: list[str] = []
            initials: list[str] = []
            spelt = False
            for w in reversed(before):
                words.insert(0, w)
                if w not in _FILLERS:
                    initials.insert(0, w[0])
                every = [x[0].upper() for x in words]
                if words[0] not in _FILLERS and letters in (initials, every):
                    spelt = True
                    break
                if len(initials) >= len(letters):
                    break
            if spelt:
                expansion = " ".join(words)
                d = seen.setdefault(fold(acr), {})
                d[expansion] = d.get(expansion, 0) + 1
    return {acr: max(forms, key=lambda f: forms[f]) for acr, forms in seen.items()}
