"""The template answerer: picks the sentences that answer a question and fills a template.

No language model: every sentence it shows is a verbatim sentence of the corpus, and when
the corpus holds no evidence it says so instead of citing the nearest unrelated sentence.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from bot.attribution import name_key, parse_phrase
from bot.evidence import KIND_EVIDENCE, NUMBER_RE, ROLE_RE, has_clock_time, has_role, is_count
from bot.index import CorpusIndex
from bot.ingest import HOW_CODES
from bot.models import Answer, Citation, Conversation
from bot.questions import Question, analyse, with_context
from bot.retriever import Retriever
from bot.text import fold, tokenize

MAX_CITATIONS = 3
MAX_QUESTION_CHARS = 2000
MIN_ANSWER_CHARS = 30  # shorter sentences rank after longer ones in "what did X say"
WHO_CANDIDATES = 200  # sentences naming the person that are read for a role
SAID_CANDIDATES = 400  # a speaker's best-ranked sentences kept for the final sort
DECLINE = "I couldn't find that in the corpus."
MIN_COVERAGE = 0.5  # share of the question's idf mass a cited sentence (with its title) must hold
MIN_COVERAGE_NAMED = 0.3  # the same, for a sentence naming everyone the question names
_DIRECT = {HOW_CODES.index(h) for h in ("quote", "tweet", "label", "continued")}
_TWEET = HOW_CODES.index("tweet")


@dataclass
class Candidate:
    sent: int
    score: float  # BM25 of the question (or topic) terms
    rank: float  # answer score used for ordering


class Answerer:
    """Answers questions from one index. Stateless between questions; safe to share across threads."""

    def __init__(self, index: CorpusIndex, retriever: Retriever) -> None:
        self.index = index
        self.retriever = retriever
        self._speaker_sents: dict[int, np.ndarray] | None = None
        self._name_keys: dict[str, str] | None = None
        self._article_recency: np.ndarray | None = None
        self._initials: dict[str, list[str]] | None = None
        self._local = threading.local()  # per-thread trace of candidates, for --explain

    def warm(self) -> None:
        """Build the lookup tables the first question would otherwise pay for."""
        self._keys_by_initial()
        self._sentences_by([])
        self._recency(np.zeros(0, dtype=np.int64))

    # --- entry point ---------------------------------------------------------------------

    def answer(
        self,
        question: str,
        context: str | Conversation | None = None,
        trace: list[Candidate] | None = None,
    ) -> Answer:
        """Answer one question; `context` is the conversation so far (or just its subject).

        The returned answer carries the next conversation state on `Answer.conversation`.
        When `trace` is given, the ranked candidates the answer was chosen from are appended to it.
        """
        conv = context if isinstance(context, Conversation) else Conversation(subject=context)
        ans = self._answer_text(question, conv.subject, trace)
        cited = [(c.article_id, c.start, c.end) for c in ans.citations]
        ans.conversation = conv.with_answer(ans.subject if ans.found else None, None, cited)
        return ans

    def _answer_text(self, question: str, context: str | None, trace: list[Candidate] | None) -> Answer:
        self._local.trace = trace
        raw = question
        text = question.strip()
        if not text or not re.search(r"\w", text):
            return Answer(
                question=raw,
                found=False,
                kind="empty",
                text="Please ask a question in words, e.g. “What did <someone> say about <something>?”",
            )
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(
                question=raw[:200] + "…",
                found=False,
                kind="too_long",
                text=f"That question is too long ({len(text):,} characters); "
                f"please ask in under {MAX_QUESTION_CHARS:,}.",
            )
        text = with_context(text, context)
        q = analyse(text)
        note = None
        if q.subject:
            fixed, note = self._correct_name(q.subject)
            if fixed != q.subject:
                q = analyse(text.replace(q.subject, fixed))
        if q.kind == "said":
            ans = self._said(q)
        elif q.kind == "who":
            ans = self._who(q)
        else:
            ans = self._general(q)
        ans.question = raw
        if note and ans.found:
            ans.note = note
            ans.text = f"({note})\n{ans.text}"
        return ans

    # --- names -----------------------------------------------------------------------------

    def _known_name_keys(self) -> dict[str, str]:
        if self._name_keys is None:
            self._name_keys = {}
            for n, _count in sorted(self.index.names.items(), key=lambda kv: -kv[1]):
                self._name_keys.setdefault(name_key(n), n)
        return self._name_keys

    def _name_known(self, word: str) -> bool:
        return name_key(word) in self._known_name_keys() or fold(word) in self.index.names

    def _keys_by_initial(self) -> dict[str, list[str]]:
        if self._initials is None:
            self._initials = {}
            for k in self._known_name_keys():
                self._initials.setdefault(k[:1], []).append(k)
        return self._initials

    def _correct_name(self, subject: str) -> tuple[str, str | None]:
        """Replace a misspelt name with the nearest name in the corpus ("Blinkin" → "Blinken")."""
        words = subject.split()
        changed = []
        keys = self._known_name_keys()
        for i, w in enumerate(words):
            if not w[:1].isupper() or self._name_known(w) or len(w) < 4:
                continue
            key = name_key(w)
            # Misspellings keep the first letter and roughly the length: compare only with those.
            near = self._keys_by_initial().get(key[:1], [])
            near = [k for k in near if abs(len(k) - len(key)) <= 2]
            close = difflib.get_close_matches(key, near, n=1, cutoff=0.8)
            if close:
                original = keys[close[0]]
                words[i] = original.title()  # only capitalised words get here
                changed.append(words[i])
        if not changed:
            return subject, None
        fixed = " ".join(words)
        return fixed, f"showing results for “{fixed}”"

    def _matching_speakers(self, subject: str) -> list[int]:
        ent = parse_phrase(subject)
        if ent is None:
            return []
        out = []
        for i, spk in enumerate(self.index.speakers):
            keys = {name_key(n) for n in spk["names"]}
            if ent.names:
                if ent.keys <= keys:
                    out.append(i)
            elif ent.roles and ent.roles <= set(spk["roles"]) | keys:
                out.append(i)
        return out

    def _sentences_by(self, speakers: list[int]) -> np.ndarray:
        if self._speaker_sents is None:
            order = np.argsort(self.index.sent_speaker, kind="stable")
            sorted_spk = self.index.sent_speaker[order]
            bounds = np.flatnonzero(np.diff(sorted_spk)) + 1
            groups = np.split(order, bounds)
            self._speaker_sents = {int(self.index.sent_speaker[g[0]]): g for g in groups if len(g)}
        parts = [self._speaker_sents.get(s, np.zeros(0, np.int64)) for s in speakers]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)

    # --- question kinds ------------------------------------------------------------------

    def _said(self, q: Question) -> Answer:
        assert q.subject is not None
        speakers = self._matching_speakers(q.subject)
        sents = self._sentences_by(speakers)
        topic = q.topic_terms
        if not len(sents) and q.source:
            # "According to X, what did Y tell …?": Y's words as X reports them.
            speakers = self._matching_speakers(q.source)
            sents = self._sentences_by(speakers)
            topic = tokenize(q.subject) + topic
        if not len(sents):
            if q.verb_base not in {"say", "said", "tell", "told", "tweet", "post", "write"}:
                general = self._general(q)  # "What has Moscow proposed?": what was done, not said
                if general.found:
                    return general
            return self._decline(q, self._absent_subject(q.subject))
        if q.wants_tweet:
            topic = [t for t in topic if t not in {"twitter", "tweet", "post"}]
        if topic:
            ids, scores = self.retriever.scores(topic)
            keep = np.isin(ids, sents)
            ids, scores = ids[keep], scores[keep]
            if not len(ids):
                who = self.index.speakers[speakers[0]]["display"]
                return self._decline(
                    q, f"I found statements by {who}, but none about “{q.topic or topic[0]}”."
                )
        else:
            ids, scores = sents, np.zeros(len(sents))
        how = self.index.sent_how[ids]
        direct = np.isin(how, list(_DIRECT)).astype(float)
        tweet = (how == _TWEET).astype(float) if q.wants_tweet else 0.0
        top = scores.max() if len(scores) and scores.max() > 0 else 1.0
        # Short sentences ("Thank you.", "Glory to the Heroes!") are rarely what a question wants.
        spans = self.index.sent_span[ids]
        short = ((spans[:, 1] - spans[:, 0]) < MIN_ANSWER_CHARS).astype(float)
        rank = scores / top + 0.25 * direct + 1.0 * tweet + 0.05 * self._recency(ids) - 0.3 * short
        if len(ids) > SAID_CANDIDATES:  # a prolific speaker: only the best few can be cited
            cut = len(rank) - SAID_CANDIDATES
            keep = rank >= np.partition(rank, cut)[cut]
            ids, scores, rank = ids[keep], scores[keep], rank[keep]
        cands = [Candidate(int(i), float(s), float(r)) for i, s, r in zip(ids, scores, rank, strict=True)]
        cites = self._cite(cands)
        who = _join_names(c.speaker for c in cites if c.speaker)
        verb = "posted" if q.wants_tweet else "said"
        head = f"{who} {verb}" + (f" about {q.topic}" if q.topic and topic else "") + ":"
        return self._answer(q, head, cites, subject=who)

    def _who(self, q: Question) -> Answer:
        assert q.subject is not None
        ent = parse_phrase(q.subject)
        terms = tokenize(q.subject)
        if not terms or ent is None or not all(self._name_known(n) for n in ent.names):
            return self._decline(q, self._absent_subject(q.subject))
        hits = self.retriever.top(terms, k=WHO_CANDIDATES)
        if not hits:
            return self._decline(q, self._absent_subject(q.subject))
        ids, scores = np.array([h[0] for h in hits]), np.array([h[1] for h in hits])
        cands = []
        keys = ent.keys
        for i, s in zip(ids, scores, strict=True):
            sentence = self.index.sentence(int(i))
            present = {name_key(w) for w in re.findall(r"[\w’'-]+", sentence)}
            if not keys <= present:
                continue
            role = self._role_of(sentence, ent.names) + 0.3 * has_role(sentence)
            if len(sentence.split()) < 6:  # a heading or caption ("Judge Ketanji Brown Jackson")
                role -= 0.5
            cands.append(Candidate(int(i), float(s), float(s) / (scores.max() or 1) + role))
        if not cands:
            return self._decline(q, self._absent_subject(q.subject))
        cites = self._cite(cands)
        return self._answer(q, f"What the corpus says about who {q.subject} is:", cites, subject=q.subject)

    @staticmethod
    def _role_of(sentence: str, names: tuple[str, ...]) -> float:
        """How plainly a sentence says what someone is: "spokesman Ned Price", "X has been
        appointed Acting Head …", "X, the minister, …"."""
        if not names:
            return 0.0
        folded = fold(sentence)
        first, last = re.escape(names[0]), re.escape(names[-1])
        role = ROLE_RE.pattern
        if re.search(rf"{role}\s+(?:[\w.’'-]+\s+){{0,3}}{first}", folded):
            return 1.0
        if re.search(
            rf"{last}\s+(?:is|was|has been|had been|became|becomes|serves as|served as|"
            rf"was appointed|has been appointed|was named|has been named|was elected|has been elected)\b",
            folded,
        ):
            return 1.0
        if re.search(rf"{last},\s+(?:the|a|an)?\s*(?:[\w-]+\s+){{0,3}}{role}", folded):
            return 0.8
        return 0.0

    def _general(self, q: Question) -> Answer:
        terms = q.terms
        if not terms:
            return self._decline(q, DECLINE)
        missing = [n for n in q.names if not self._name_known(n) and fold(n) not in self.index.term_ids]
        if missing and not any(self.retriever.term_id(t) is not None for t in tokenize(" ".join(missing))):
            return self._decline(q, f"{DECLINE} Nothing in it mentions {', '.join(missing)}.")
        hits = self.retriever.top(terms, k=50)
        if not hits:
            return self._decline(q, DECLINE)
        idf = {t: self._idf(t) for t in set(terms)}
        total = sum(idf.values()) or 1.0
        best_bm25 = hits[0][1] or 1.0
        evidence = has_clock_time if q.asks_clock_time else KIND_EVIDENCE.get(q.kind)
        group_keys = [[name_key(w) for w in g.split()] for g in q.name_groups if g.split()]
        speakers: set[int] = set()
        if q.source:  # "…, according to X": X's own sentences
            speakers = set(self._matching_speakers(q.source))
        elif q.asks_speech:
            speakers = {s for g in q.name_groups for s in self._matching_speakers(g)}
        # What the question asks about beyond its names ("capital" in "the capital of France").
        name_terms = set(tokenize(" ".join(q.name_groups)))
        topic_terms = {t for t in idf if t not in name_terms and self.retriever.term_id(t) is not None}
        cands, with_evidence = [], set()
        for sent, score in hits:
            sentence = self.index.sentence(sent)
            present = {self.index.vocab[t] for t in self.index.sentence_terms(sent)[0]}
            coverage = sum(v for t, v in idf.items() if t in present) / total  # title included
            named = {name_key(w) for w in re.findall(r"[\w’'-]+", self._with_antecedent(sent, sentence))}
            # A name group counts as named by its last word: "Kipchoge" names "Eliud Kipchoge".
            names_share = (
                (sum(1 for g in group_keys if g[-1] in named) / len(group_keys)) if group_keys else 0.0
            )
            # Naming everyone the question names is strong evidence; then less of the rest is needed.
            if coverage < (MIN_COVERAGE_NAMED if names_share == 1.0 else MIN_COVERAGE):
                continue
            if group_keys and not names_share and not self._title_names(sent, group_keys):
                continue  # the question names someone or something this sentence and its title do not
            own = set(tokenize(sentence))
            if q.kind in {"other", "why", "yes_no"} and topic_terms and not topic_terms & own:
                continue  # it matched on names and title alone: nothing in it about the question
            own_coverage = sum(v for t, v in idf.items() if t in own) / total  # the sentence alone
            bonus = 0.0
            if evidence and evidence(sentence):
                with_evidence.add(sent)
                bonus = 0.35 + (_number_near_terms(sentence, idf) / total if q.kind == "how_many" else 0.0)
            spoke = 0.5 if speakers and int(self.index.sent_speaker[sent]) in speakers else 0.0
            rank = score / best_bm25 + own_coverage + bonus + names_share + spoke
            cands.append(Candidate(sent, score, rank))
        if not cands:
            return self._decline(q, DECLINE)
        if with_evidence:  # a when/where/how-many answer must hold a date/place/number
            cands = [c for c in cands if c.sent in with_evidence]
        cites = self._cite(cands)
        return self._answer(q, _HEADS.get(q.kind, "From the corpus:"), cites)

    # --- helpers ---------------------------------------------------------------------------

    def _title_names(self, sent: int, group_keys: list[list[str]]) -> bool:
        """Whether the sentence's article title names any of the question's name groups."""
        title = self.index.articles[int(self.index.sent_article[sent])]["title"]
        named = {name_key(w) for w in re.findall(r"[\w’'-]+", title)}
        return any(g[-1] in named for g in group_keys)

    def _with_antecedent(self, sent: int, sentence: str) -> str:
        """A sentence opening with he/she/they, with the sentence before it (who "he" is)."""
        if (
            re.match(r"^(?:He|She|They|His|Her|Their)\b", sentence)
            and sent > 0
            and (self.index.sent_article[sent - 1] == self.index.sent_article[sent])
        ):
            return self.index.sentence(sent - 1) + " " + sentence
        return sentence

    def _idf(self, term: str) -> float:
        """A term's weight in the coverage test; a word the corpus lacks weighs a median term."""
        t = self.retriever.term_id(term)
        if t is None:
            return float(np.median(self.retriever.idf)) if len(self.retriever.idf) else 1.0
        return max(float(self.retriever.idf[t]), 0.01)

    def _recency(self, sents: np.ndarray) -> np.ndarray:
        """0 for the corpus's oldest article … 1 for its newest (undated counts as oldest)."""
        if self._article_recency is None:
            dates = [a.get("published") or "" for a in self.index.articles]
            rank = np.argsort(np.argsort(dates, kind="stable"), kind="stable")
            self._article_recency = rank / max(len(rank) - 1, 1)
        recency: np.ndarray = self._article_recency[self.index.sent_article[sents]]
        return recency

    def _cite(self, cands: list[Candidate]) -> list[Citation]:
        """Best candidates first, each sentence text once (syndicated copies cited once)."""
        cands.sort(key=lambda c: (-c.rank, c.sent))
        trace = getattr(self._local, "trace", None)
        if trace is not None:
            trace.extend(cands[:10])
        seen: set[str] = set()
        out: list[Citation] = []
        for c in cands:
            sentence = self.index.sentence(c.sent)
            key = re.sub(r"\W+", " ", fold(sentence)).strip()
            if key in seen:
                continue
            seen.add(key)
            a = int(self.index.sent_article[c.sent])
            meta = self.index.articles[a]
            spk = int(self.index.sent_speaker[c.sent])
            s, e, _ = self.index.sent_span[c.sent]
            out.append(
                Citation(
                    article_id=meta["article_id"],
                    title=meta["title"],
                    url=meta.get("url"),
                    published=meta.get("published"),
                    sentence=sentence,
                    score=round(c.score, 4),
                    speaker=self.index.speakers[spk]["display"] if spk >= 0 else None,
                    start=int(s),
                    end=int(e),
                    start_sent=c.sent,
                )
            )
            if len(out) == MAX_CITATIONS:
                break
        return out

    def _answer(self, q: Question, head: str, cites: list[Citation], subject: str | None = None) -> Answer:
        # A citation's score is the BM25 score of the whole question for its sentence, whatever
        # ranked it (a speaker's sentences are ranked by topic, which may be empty).
        ids, scores = self.retriever.scores(q.terms)
        for c in cites:
            k = int(np.searchsorted(ids, c.start_sent))
            c.score = round(float(scores[k]), 4) if k < len(ids) and ids[k] == c.start_sent else 0.0
        lines = [head] + [f"[{i}] {c.sentence}" for i, c in enumerate(cites, 1)]
        return Answer(
            question=q.text,
            found=True,
            text="\n".join(lines),
            citations=cites,
            kind=q.kind,
            subject=subject or q.subject,
        )

    def _absent_subject(self, subject: str) -> str:
        ent = parse_phrase(subject)
        if ent is not None and ent.names and not self._named_together(ent.names):
            return f"{DECLINE} {subject} is not mentioned in it."
        if ent is not None and ent.names:
            return f"{DECLINE} {subject} is mentioned, but I found no statement by {subject}."
        return DECLINE

    def _named_together(self, names: tuple[str, ...]) -> bool:
        """Whether one sentence holds all of a name's words ("Taylor" and "Swift" apart are not
        "Taylor Swift")."""
        if not all(self._name_known(n) for n in names):
            return False
        postings = [self.retriever.postings(t) for t in tokenize(" ".join(names))]
        if not postings:
            return False
        common = postings[0]
        for p in postings[1:]:
            common = np.intersect1d(common, p, assume_unique=True)
        return len(common) > 0

    @staticmethod
    def _decline(q: Question, text: str) -> Answer:
        return Answer(question=q.text, found=False, text=text, citations=[], kind=q.kind, subject=q.subject)


def _join_names(speakers: Iterable[str]) -> str:
    """ "A and B" for the cited speakers, one name per person ("Antony Blinken" / "Anthony Blinken"
    are one person: same surname), each given as its shortest full form."""
    by_surname: dict[str, str] = {}
    for name in speakers:
        key = name_key(name.split()[-1])
        old = by_surname.get(key)
        if old is None or (len(name.split()) >= 2 and len(name.split()) < len(old.split())):
            by_surname[key] = name
    names = list(by_surname.values())
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _number_near_terms(sentence: str, idf: dict[str, float]) -> float:
    """The idf mass of question terms within three words of a count ("220 votes", "39 … dead")."""
    words = re.findall(r"[\w.,%$€£-]+", sentence)
    stems = [tokenize(w) for w in words]
    best = 0.0
    for i, w in enumerate(words):
        if (NUMBER_RE.fullmatch(w) or w[:1].isdigit()) and is_count(
            re.sub(r"(?:st|nd|rd|th)$", "", w), "th" if re.search(r"\d(?:st|nd|rd|th)$", w) else ""
        ):
            near = {t for group in stems[max(0, i - 3) : i + 4] for t in group}
            best = max(best, sum(v for t, v in idf.items() if t in near))
    return best


_HEADS = {
    "when": "When, according to the corpus:",
    "where": "Where, according to the corpus:",
    "how_many": "How many, according to the corpus:",
    "why": "Why, according to the corpus:",
    "yes_no": "What the corpus says:",
    "other": "From the corpus:",
}
