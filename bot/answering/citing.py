"""From ranked candidates to an `Answer`: which sentences are cited, who is shown as their speaker, and
the answer's head, note and citations kept apart as structure (Slack and the terminal render them).

Every strategy ends here, so a citation is made one way: the sentence verbatim with its article
offsets, its speaker as the article names them, and the BM25 score of the whole question.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from bot import lexicon
from bot.answering.features import FeatureBuilder
from bot.answering.names import NEVER_NAMES
from bot.answering.questions import Question
from bot.entities import EntityTable, name_key
from bot.index import CorpusIndex
from bot.models import Answer, Citation
from bot.text import fold, tokenize

MAX_CITATIONS = 3
#: Of two sentences sharing this share of their words (Jaccard), the second is cited only if no
#: other is left: three citations of one passage in other words leave the alternatives out.
NEAR_DUPLICATE = 0.5
SHOWN_READS = 3000  # characters of an article read for the full name of a label's bare surname
_GIVEN_READS = 64  # characters before a surname read for the given name
# A capitalised word (and a middle initial) right before a surname, read back from it: one pattern,
# not one compiled per surname (a compile costs more than the reading).
_GIVEN_BEFORE = re.compile(r"(?<![\w.’'-])([A-Z][\w’'-]+)\s+((?:[A-Z]\.\s+)?)\Z", re.I)
_NAME_CHAR = re.compile(r"[\w’'-]")
CONTEXT_FILE = Path(__file__).with_name("citing.json")


@dataclass
class Candidate:
    sent: int
    score: float  # BM25 of the whole question
    rank: float  # answer score used for ordering
    features: dict[str, float] = field(default_factory=dict)  # each feature's part of `rank` (for --explain)


@dataclass(frozen=True)
class ContextPolicy:
    """Which sentences around the first citation compete for the later slots, and how strongly.

    The best sentence often opens a passage whose next sentence goes on with what was asked, or
    concludes one ("For this reason, he was not granted bail."), and the ranking may not see those
    neighbours at all (they lack the question's words, or another filter left them out). A neighbour
    of the first citation in its paragraph (`after` sentences after it, holding a word of the topic;
    `before` sentences before it, when it points back with its first words) ranks at least `margin`
    under it: cited before runners-up that trail the first by more, never before a close one.
    `margin` inf: only into a slot no runner-up fills. A neighbour the ranking holds among its
    candidates already (on the topic by its own words) ranks `lift` above its score: of a passage
    and another article's sentence that score alike, the passage reads on. Fitted by
    bench/fit_citations.py (leave-one-set-out over the dev sets).
    """

    before: int = 0
    after: int = 0
    margin: float = math.inf
    lift: float = 0.0

    def to_json(self) -> dict[str, float]:
        return {"before": self.before, "after": self.after, "margin": self.margin, "lift": self.lift}


@cache
def load_context(path: Path = CONTEXT_FILE) -> ContextPolicy:
    """The fitted policy; none (no neighbour is cited) without the file."""
    if not path.exists():
        return ContextPolicy()
    data = json.loads(path.read_text(encoding="utf-8"))["context"]
    margin = data.get("margin")
    return ContextPolicy(
        int(data["before"]),
        int(data["after"]),
        math.inf if margin is None else float(margin),
        float(data.get("lift", 0.0)),
    )


class AnswerBuilder:
    """Cites candidates and fills the answer template; knows the index, not the question's strategy."""

    def __init__(
        self, index: CorpusIndex, features: FeatureBuilder, entities: EntityTable | None = None
    ) -> None:
        self.index = index
        self.features = features
        self.entities = entities
        self.context = load_context()
        self._shown: dict[tuple[int, int], str] = {}  # (speaker, article) → as shown: read once

    def cite(
        self,
        cands: list[Candidate],
        trace: list[Candidate] | None = None,
        context: ContextPolicy | None = None,
        voiced: bool = False,
        exclude: frozenset[int] = frozenset(),
        topic: tuple[str, ...] = (),
        ordered: bool = False,
    ) -> list[Citation]:
        """Best candidates first, each sentence text once (syndicated copies cited once); the ten best
        are added to `trace` (for --explain). The first citation is the best candidate; with a
        `context` policy, the first one's neighbours compete for the later slots (`context_of`):
        `voiced`, only its speaker's or unattributed ones ("X said:" heads X's words); never one
        of `exclude` (cited before); one after it holds a term of `topic`, if given. `ordered`: the
        candidates are in the order to cite them already (reordered after scoring), not by score."""
        if not ordered:
            cands.sort(key=lambda c: (-c.rank, c.sent))
        if trace is not None:
            trace.extend(cands[:10])
        around: set[int] = set()
        if context is not None and cands:
            cands, around = self.context_of(cands, context, voiced, exclude, topic)
        seen: set[str] = set()
        out: list[Citation] = []
        said: list[frozenset[str]] = []  # the words of each sentence cited so far
        later: list[Candidate] = []  # near-duplicates of a cited sentence, cited only if room is left
        for c in cands:
            sentence = self.index.sentence(c.sent)
            key = re.sub(r"\W+", " ", fold(sentence)).strip()
            if key in seen:
                continue
            seen.add(key)
            words = frozenset(tokenize(sentence))
            if any(_overlap(words, w) >= NEAR_DUPLICATE for w in said):
                later.append(c)
                continue
            said.append(words)
            out.append(self.citation(c))
            if len(out) == MAX_CITATIONS:
                break
        for c in later[: MAX_CITATIONS - len(out)]:
            out.append(self.citation(c))
        if around:
            # The first citation's neighbours read in the article's order, in the slots they won.
            slots = [i for i, cite in enumerate(out) if i and cite.start_sent in around]
            in_order = sorted((out[i] for i in slots), key=lambda cite: cite.start_sent)
            for i, cite in zip(slots, in_order, strict=True):
                out[i] = cite
        return out

    def context_of(
        self,
        cands: list[Candidate],
        policy: ContextPolicy,
        voiced: bool,
        exclude: frozenset[int],
        topic: tuple[str, ...] = (),
    ) -> tuple[list[Candidate], set[int]]:
        """`cands` (sorted, best first) with the best one's neighbours in its paragraph ranked at least
        `policy.margin` under it (as runners-up already, at the better of the two), and which those
        neighbours are."""
        top = cands[0]
        a = int(self.index.sent_article[top.sent])
        spk = int(self.index.sent_speaker[top.sent])
        floor = top.rank - policy.margin
        near: dict[int, float] = {}
        body = self.index.body(a)
        # The sentence before only for a first citation that points back to it ("For this reason, …").
        before = policy.before if _refers_back(self.index.sentence(top.sent)) else 0
        for step, reach in ((-1, before), (1, policy.after)):
            s = top.sent
            for _ in range(reach):
                s += step
                if not 0 <= s < self.index.n_sentences or int(self.index.sent_article[s]) != a:
                    break
                # Its paragraph only: across a line break the article has moved on (a new label's
                # turn, the next item of a readout).
                lo, hi = sorted((s, s - step))
                if "\n" in body[int(self.index.sent_span[lo][1]) : int(self.index.sent_span[hi][0])]:
                    break
                if s in exclude or (voiced and int(self.index.sent_speaker[s]) not in (spk, -1)):
                    continue  # another speaker's line (a question put to X) is not X's words
                if self.index.sentence(s).rstrip(" \"'”’»)").endswith("?"):
                    continue  # a question asks; it is no context of an answer
                if step == 1 and topic and not self._holds_any(topic, s):
                    continue  # the paragraph has moved on from what was asked
                near[s] = floor
        if not near:
            return cands, set()
        rest = []
        for c in cands[1:]:
            if c.sent in near:
                near[c.sent] = max(near[c.sent], c.rank + policy.lift)
                continue
            rest.append(c)
        # A neighbour ranks below a runner-up of equal rank; with no margin (inf) after all of them.
        extra = [Candidate(s, 0.0, r) for s, r in near.items()]
        merged = sorted(rest + extra, key=lambda c: (-c.rank, c.sent not in near, c.sent))
        return [top, *merged], set(near)

    def _holds_any(self, terms: tuple[str, ...], sent: int) -> bool:
        rows = np.array([sent], dtype=np.int64)
        return any(bool(self.features.holds(t, rows)[0]) for t in terms)

    def shown(self, spk: int, sent: int) -> str | None:
        """The speaker as a citation shows them: a label's bare surname ("MS. PSAKI:", "Mr Lind said")
        by the full name the article itself gives one person of that surname ("Press Secretary Jen
        Psaki" in its title); if it gives none, or two ("Joe Biden", "Jill Biden"), the label stays."""
        record = self.index.speakers[spk]
        display = str(record["display"])
        if fold(display) in _PRONOUNS:
            return None  # an unresolved "they" or "I" names nobody: no speaker is shown rather than "They"
        if not record.get("names") and self.entities is not None:
            # "address by the President of Ukraine": the office's one holder at the article's dates,
            # as the entity layer linked it, so one person is not shown as two
            e = self.entities.speaker_entity[spk] if spk < len(self.entities.speaker_entity) else -1
            if e >= 0 and not self.entities.entities[e].org:
                return self.entities.entities[e].display
        parts = display.split()
        if len(parts) != 1 or not parts[0][:1].isalpha():
            return display
        a = int(self.index.sent_article[sent])
        known = self._shown.get((spk, a))
        if known is None:
            if len(self._shown) > 10_000:
                self._shown.clear()
            known = self._shown[(spk, a)] = self._full_name(display, a)
        return known

    def _full_name(self, display: str, a: int) -> str:
        """`shown`, read from the article's title and opening for the one surname `display` is."""
        parts = display.split()
        # The title and the article's opening name its people in full; the rest is not read.
        text = str(self.index.articles[a].get("title") or "") + "\n" + self.index.body(a)[:SHOWN_READS]
        full: dict[str, str] = {}
        low, key = text.lower(), parts[0].lower()
        at = low.find(key) if key else -1
        while at >= 0:  # each time the surname is written, any case, as a whole word…
            end = at + len(key)
            whole = not _NAME_CHAR.match(text, end)
            m = _GIVEN_BEFORE.search(text, max(0, at - _GIVEN_READS), at) if whole else None
            last = text[at:end]
            first, middle = (m.group(1), m.group(2)) if m is not None else ("", "")
            given = bool(first) and first[0].isupper() and last[0].isupper() and fold(first) != fold(last)
            if given and fold(first) not in NEVER_NAMES:  # ("Sobyanin Sobyanin": a label, no given name)
                surname = last.title() if last.isupper() else last  # …after a capitalised word: a given name
                full[fold(f"{first} {last}")] = f"{first} {middle}{surname}"
            at = low.find(key, at + 1)
        return next(iter(full.values())) if len(full) == 1 else display

    def citation(self, c: Candidate) -> Citation:
        sentence = self.index.sentence(c.sent)
        meta = self.index.articles[int(self.index.sent_article[c.sent])]
        spk = int(self.index.sent_speaker[c.sent])
        s, e, _ = self.index.sent_span[c.sent]
        return Citation(
            article_id=meta["article_id"],
            title=meta["title"],
            url=meta.get("url"),
            published=meta.get("published"),
            sentence=sentence,
            score=round(c.score, 4),
            speaker=self.shown(spk, c.sent) if spk >= 0 else None,
            start=int(s),
            end=int(e),
            start_sent=c.sent,
        )

    def answer(
        self,
        q: Question,
        head: str,
        cites: list[Citation],
        subject: str | None = None,
        note: str | None = None,
    ) -> Answer:
        # A citation's score is the BM25 score of the whole question for its sentence, whatever
        # ranked it (a speaker's sentences are ranked by topic, which may be empty).
        scores = self.features.bm25_at(q.terms, np.array([c.start_sent for c in cites], dtype=np.int64))
        for c, score in zip(cites, scores.tolist(), strict=True):
            c.score = round(score, 4)
        lines = (
            ([f"({note})"] if note else []) + [head] + [f"[{i}] {c.sentence}" for i, c in enumerate(cites, 1)]
        )
        return Answer(
            question=q.text,
            found=True,
            text="\n".join(lines),
            head=head,
            note=note,
            citations=cites,
            kind=q.kind,
            subject=subject or q.subject,
        )


def decline(q: Question, text: str) -> Answer:
    """No citation: `text` says why, in the user's words."""
    return Answer(question=q.text, found=False, text=text, citations=[], kind=q.kind, subject=q.subject)


def join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def join_names(speakers: Iterable[str]) -> str:
    """ "A and B" for the cited speakers, one name per person ("Antony Blinken" / "Anthony Blinken"
    are one person: same surname), each given as its shortest full form."""
    by_surname: dict[str, str] = {}
    for name in speakers:
        key = name_key(name.split()[-1])
        old = by_surname.get(key)
        if old is None or (len(name.split()) >= 2 and len(name.split()) < len(old.split())):
            by_surname[key] = name
    names = list(by_surname.values())
    return join_words(names) if names else ""


_REFERS_BACK = lexicon.words("citing.words.refers_back")
_PRONOUNS = lexicon.words(
    "attribution.pronouns.masculine",
    "attribution.pronouns.feminine",
    "attribution.pronouns.plural",
    "attribution.pronouns.first_person",
    "attribution.pronouns.second_person",
    "attribution.pronouns.thing",
)


_REFERS_BACK_RE = re.compile(
    r"[\W_]*(?:" + "|".join(re.escape(w) for w in sorted(_REFERS_BACK, key=len, reverse=True)) + r")\b"
)


def _refers_back(sentence: str) -> bool:
    """The sentence opens with words pointing back to the one before (citing.words.refers_back)."""
    return _REFERS_BACK_RE.match(fold(sentence)) is not None


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two sentences' word sets."""
    return len(a & b) / len(a | b) if a or b else 0.0
