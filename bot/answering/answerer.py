"""The template answerer: picks the sentences that answer a question and fills a template.

No language model: every sentence it shows is a verbatim sentence of the corpus, and when
the corpus holds no evidence it says so instead of citing the nearest unrelated sentence.

Strategies per question kind: who-is reads the sentences naming the person for a role
(bot.answering.who); every other kind ranks candidate sentences (bot.answering.features) with one
fitted scoring function (bot.answering.scoring), said-questions weighted as "said", the rest as
"other". Whether the corpus holds what is asked at all is bot.answering.absence; citing and filling
the template is bot.answering.citing.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from functools import cached_property

import numpy as np

from bot import lexicon
from bot.answering.absence import DECLINE, AbsenceCheck
from bot.answering.citing import AnswerBuilder, Candidate, decline, join_names
from bot.answering.content import statement_words
from bot.answering.evidence import ANOTHER_THINGS_COUNT, agent_cue, has_number
from bot.answering.features import (
    Candidates,
    FeatureBuilder,
    Query,
    holders_at,
    one_word_synonyms,
    topic_phrases,
)
from bot.answering.names import (
    CALENDAR,
    MATE_MIN,
    CorpusNames,
    asks_for_person,
    gives_name,
    gives_person_name,
    is_name,
    own_name_words,
)
from bot.answering.questions import (
    QUESTION_WORDS,
    VAGUE_TOPIC,
    Question,
    analyse,
    another_subject,
    as_typed,
    occasion,
    premise,
    vague_topic,
    with_context,
    without_follow_up,
    without_mentions,
)
from bot.answering.scoring import FEATURES, Weights, kind_group, load_weights
from bot.answering.substance import (
    SPEECH_TERMS,
    SUBSTANCE_READS,
    SUBSTANCE_WEIGHT,
    TURN_TERMS,
    is_turn_line,
    label_of,
    substance_prior,
)
from bot.answering.who import WhoStrategy
from bot.entities import EntityTable, Link, SubjectLinker, build_entities
from bot.entities.lexicon import country_of, role_classes, role_key, role_words
from bot.index import CorpusIndex
from bot.ingest import HOW_CODES
from bot.models import Answer, Conversation, SentenceKey
from bot.periods import Period, PeriodMatch, find_period
from bot.retriever import Retriever
from bot.text import fold, stem, tokenize, words

MAX_QUESTION_CHARS = 2000
MIN_STATEMENT_WORDS = 4  # content words a sentence needs to stand for "what X said" with no topic
# A sentence holding this many of the question's names is about the thing asked, even when its other
# words are paraphrased ("travel" / "arrived"); one name alone ("the capital of France") is not.
NAMES_ENOUGH = 3
PERIOD_BACK = 2  # a sentence this near a mention of the question's period is of it, whatever its date
# A count question's candidates this far below the best (in score) say nothing of whether the best
# one's event has the thing counted.
COUNTED_NEAR = 2.0
SURE_LINK = 0.9  # a subject linked with this confidence is the person asked about, not a guess
NAME_READS = 50  # best candidates read for the topic's most specific name when the best lacks it
NAME_SPELLINGS = 5  # …of whose articles lacking its term, this many are read for another spelling
_ELSE = re.compile(r"^\s*(?:what|anything|and what)\s+else\b", re.I)
_EXCHANGE = frozenset(tokenize(" ".join(lexicon.words("speech.exchange.words"))))
# "When is the forum happening": the event is the name; a verb of occurrence asks nothing beyond it.
_OCCURRENCE = frozenset(tokenize(" ".join(lexicon.words("questions.words.occurrence"))))


def _exchanged(terms: list[str]) -> list[str]:
    """The words of an exchange (speech.exchange.words) when a term is one: "when did X speak with
    Y" holds beyond its names in "X had a telephone conversation with Y", not in "Y visited X"."""
    return sorted(_EXCHANGE - set(terms)) if _EXCHANGE & set(terms) else []


_AND = re.compile(r"\s*(?:,|\band\b|&)\s*", re.I)
_JOINT_HOW = frozenset({"name", "surname", "fuzzy", "acronym"})
_MATE_ARTICLES = 16  # articles read for the names a topic word is part of


_SAME_DAY = lexicon.words("questions.occasions.same_day")


def _same_day_occasion(pm: PeriodMatch | None) -> bool:
    """Whether the date the question gives as an attribute ("his march 18 address") is of words
    reported that day (`questions.occasions.same_day`): a word of the event it dates names such an
    occasion ("the march 18 video address"), not an event reported after ("the december 10 tornadoes")."""
    return pm is not None and pm.attributive and bool(set(pm.event) & _SAME_DAY)


def respelt_question(q: Question, subject: str) -> Question:
    """The question read again with its subject as the corpus spells it (same words otherwise)."""
    at = q.text.lower().find((q.subject or "").lower())
    if at < 0 or not q.subject:
        return q
    return analyse(f"{q.text[:at]}{subject}{q.text[at + len(q.subject) :]}")


def joint_link(linker: SubjectLinker, subject: str, period: Period | None = None) -> Link:
    """The subject's link; for "X and Y" that links as no one, each of them linked by name, as one
    subject of both ("what did Sullivan and Kalin discuss": either's words, articles naming both). A
    first name before a full one takes its surname ("David and Louise Turpin"). A part linked by a
    role only, or not at all, leaves the whole unlinked: "the head and the deputy" are no names."""
    link = linker.link(subject, period)
    parts = [p for p in _AND.split(subject.strip()) if p]
    if link.strengths or len(parts) < 2:
        return link
    last = parts[-1].split()
    parts = [f"{p} {last[-1]}" if len(p.split()) == 1 and len(last) > 1 else p for p in parts[:-1]] + [
        parts[-1]
    ]
    links = [linker.link(p, period) for p in parts]
    if not all(part.strengths and part.how in _JOINT_HOW for part in links):
        return link
    strengths: dict[int, float] = {}
    for part in links:
        for e, v in part.strengths.items():
            strengths[e] = max(strengths.get(e, 0.0), v)
    return Link(
        subject,
        strengths,
        links[0].how,
        min(part.confidence for part in links),
        {k: v for part in links for k, v in part.corrected.items()},
        None,
        [w for part in links for w in part.name_words],
    )


class Answerer:
    """Answers questions from one index. Stateless between questions; safe to share across threads."""

    def __init__(self, index: CorpusIndex, retriever: Retriever, weights: Weights | None = None) -> None:
        self.index = index
        self.retriever = retriever
        self.weights = weights or load_weights()
        self._entities: EntityTable | None = None
        self._linker: SubjectLinker | None = None
        self._features: FeatureBuilder | None = None
        self._names: CorpusNames | None = None
        self._absence: AbsenceCheck | None = None
        self._builder: AnswerBuilder | None = None
        self._who_strategy: WhoStrategy | None = None
        self._row_entity: np.ndarray | None = None  # speaker row → entity id, for `Query.holders`
        self._local = threading.local()  # per-thread trace of candidates and link, for --explain

    def warm(self) -> None:
        """Build the lookup tables the first question would otherwise pay for."""
        _ = self.linker
        self.features.warm()

    @property
    def entities(self) -> EntityTable:
        if self._entities is None:
            self._entities = self.index.entity_table or build_entities(self.index)
        return self._entities

    @property
    def linker(self) -> SubjectLinker:
        if self._linker is None:
            written = self.index.names
            self._linker = SubjectLinker(
                self.entities, self.names.lower_case, lambda w: w in written, count=self.names.passages
            )
        return self._linker

    @property
    def features(self) -> FeatureBuilder:
        if self._features is None:
            self._features = FeatureBuilder(self.index, self.retriever)
        return self._features

    @property
    def names(self) -> CorpusNames:
        if self._names is None:
            self._names = CorpusNames(self.index, self.retriever, self.features)
        return self._names

    @property
    def absence(self) -> AbsenceCheck:
        if self._absence is None:
            self._absence = AbsenceCheck(self.index, self.retriever, self.features, self.names, self.linker)
        return self._absence

    @property
    def builder(self) -> AnswerBuilder:
        if self._builder is None:
            self._builder = AnswerBuilder(self.index, self.features, self.entities)
        return self._builder

    @property
    def who(self) -> WhoStrategy:
        if self._who_strategy is None:
            self._who_strategy = WhoStrategy(
                self.index, self.retriever, self.linker, self.names, self.absence, self.builder
            )
        return self._who_strategy

    def _who(self, q: Question, asked: str | None = None, when: Period | None = None) -> Answer:
        ans, self._local.link = self.who.answer(q, asked, getattr(self._local, "trace", None), when)
        return ans

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
        question = as_typed(question)
        conv = context if isinstance(context, Conversation) else Conversation(subject=context)
        self._local.trace = trace
        self._local.link = None
        self._local.why = None
        self._local.topic = None
        self._local.missing = None
        self._local.held = []
        self._local.kept = None
        self._local.retried = None
        ans = self._answer_text(question, conv)
        cited = [(c.article_id, c.start, c.end) for c in ans.citations]
        topic = self._local.topic if ans.found else None
        ans.conversation = conv.with_answer(ans.subject if ans.found else None, topic, cited)
        return ans

    def answer_with_candidates(self, question: str) -> tuple[Answer, str | None, Candidates | None, bool]:
        """The answer, the scored strategy's group and candidates (None if it ranked none) and
        whether the question had a topic: what `bench/fit_weights.py` fits the weights on."""
        self._local.collect = []
        try:
            ans = self.answer(question)
            got = self._local.collect
        finally:
            self._local.collect = None
        return (ans, *got[0]) if got else (ans, None, None, False)

    @property
    def last_decline(self) -> str | None:
        """Why this thread's last question was declined by the fitted thresholds, if it was."""
        return getattr(self._local, "why", None)

    def _trace_declined(self, cands: Candidates, scores: np.ndarray, group: str) -> None:
        """For --explain: the best candidates of a declined question, as a cited answer's are shown."""
        trace = getattr(self._local, "trace", None)
        if trace is None:
            return
        for i in np.argsort(-scores, kind="stable")[:10].tolist():
            trace.append(
                Candidate(
                    int(cands.sents[i]),
                    float(cands.bm25[i]),
                    float(scores[i]),
                    self.weights.contributions(group, cands.X[i]),
                )
            )

    @property
    def last_retry(self) -> str | None:
        """How this thread's last question was asked again, if it was: without its role link, or with
        its subject respelt (for --explain, which otherwise shows only the attempt that answered)."""
        return getattr(self._local, "retried", None)

    @property
    def last_kept(self) -> str | None:
        """Why this thread's last question was answered though a fitted gate would have declined it."""
        return getattr(self._local, "kept", None)

    @property
    def last_link(self) -> Link | None:
        """The subject link of this thread's last question (for --explain)."""
        return getattr(self._local, "link", None)

    def _answer_text(self, question: str, conv: Conversation) -> Answer:
        raw = question
        text = without_follow_up(without_mentions(question))
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
        other = another_subject(text) if conv.subject and conv.topic else None
        if other is not None and self.linker.link(other).strengths:
            text = f"what did {other} say about {conv.topic}?"  # "and Erdogan?" after a said-question
        text = with_context(text, conv.subject)
        # The period filters by article date when it can; its words stay in the question, as they may
        # date the event itself ("where did X plant trees in 2018").
        period = find_period(text, any_year=True)
        content = set(tokenize(text)) - QUESTION_WORDS - set(tokenize(conv.subject or ""))
        # "when did Putin say it?" after a question on the talks: another subject, that topic. The
        # words of a name the corpus knows someone by are the subject, not a topic.
        groups = self.names.cased_names(text) if conv.topic else []
        known = [g for g in groups if self.linker.link(g).strengths]
        named = {t for g in known for t in tokenize(g)}
        kept = None
        q = analyse(text)
        vague = bool(set(words(text)) & VAGUE_TOPIC) and not content - named  # "when did she say it?"
        if conv.topic and (vague or vague_topic(q)):
            kept = conv.topic  # the topic of the turn before
            at = q.text.rfind(q.topic) if vague_topic(q) else -1  # "what did Putin say about it?"
            text = f"{q.text[:at]}{kept}{q.text[at + len(q.topic) :]}" if at >= 0 else f"{text} about {kept}"
            q = analyse(text)
        new_subject = bool(content & named)  # "when did Putin say it?" asks for no quote cited before
        if not q.name_groups:
            q.name_groups = self.names.cased_names(q.text)
        exclude: set[int] = set()
        if _ELSE.match(question) and conv.cited:
            exclude = self._sentence_ids(conv.cited)
        ans = None
        if q.kind == "who" and q.subject and not is_name(q.subject):
            # "who is the kremlin spokesman": the one the corpus names
            # "who was the press secretary in 2021": the holder then, of the role without its date
            when = period.period if period is not None else None
            role = q.subject
            if when is not None and when.label and when.label.lower() in role.lower():
                role = re.sub(re.escape(when.label), " ", role, flags=re.I).strip()
            holder = self.who.sole_holder(role, when) if role else None
            if holder is not None:
                ans = self._who(replace(q, subject=holder), asked=q.subject, when=when)
            if ans is None or not ans.found:
                q.kind, q.subject = "other", None  # "who is the new head of the prison service": retrieve
                ans = None
        said_it = kept is not None or bool(set(words(text)) & _SPEECH_VERBS)  # "what did X pledge?" has none
        when_said = ans is None and vague and q.kind == "when"
        if when_said and said_it and conv.first and conv.subject and not new_subject:
            ans = self._when_said(q, conv, conv.first)  # "when did she say it?": the date of what was cited
        if when_said and ans is None and kept and new_subject and len(known) == 1:
            # "when did Putin say it?": the date of what he is quoted saying on that topic
            said = self._ranked(analyse(f"what did {known[0]} say about {kept}"), period, exclude)
            if said.found and said.citations:
                c = said.citations[0]
                ans = self._when_said(q, Conversation(subject=said.subject), (c.article_id, c.start, c.end))
        if ans is None:
            ans = self._who(q) if q.kind == "who" else self._ranked(q, period, exclude)
        if kept is not None:
            self._local.topic = kept
        ans.question = raw
        return ans

    def _when_said(self, q: Question, conv: Conversation, first: SentenceKey) -> Answer | None:
        """ "When did she say it?" after "What did X say (about Y)?": the date of the article that
        reports the quote the last answer gave first, with that quote, not another event's date.
        None when the index no longer holds that sentence (a refresh in between)."""
        sent = self._sentence_ids([first])
        if not sent:
            return None
        cite = self.builder.citation(Candidate(sent.pop(), 0.0, 0.0))
        who = cite.speaker or conv.subject
        when = f"in an article of {cite.published.isoformat()}" if cite.published else "in an undated article"
        return self.builder.answer(q, f"{who} said it {when}:", [cite], subject=conv.subject)

    def _sentence_ids(self, keys: list[SentenceKey]) -> set[int]:
        out = set()
        for art_id, start, end in keys:
            a = self.index.article_ids.get(art_id)
            if a is None:
                continue
            for s in self.index.article_sentences(a):
                lo, hi, _ = self.index.sent_span[s]
                if int(lo) == start and int(hi) == end:
                    out.add(s)
                    break
        return out

    # --- the ranked strategy: said and typed questions --------------------------------------

    def _ranked(
        self, q: Question, pm: PeriodMatch | None, exclude: set[int], use_link: bool = True
    ) -> Answer:
        group = "said" if q.kind == "said" else "other"
        period = pm.period if pm else None
        link = joint_link(self.linker, q.subject, period) if q.subject and use_link else None
        self._local.link = link
        if q.said_to and self.linker.link(q.said_to).how in _JOINT_HOW:
            q = replace(q, addressee=q.said_to, topic="", said_to=None)  # "what did X say to yermak"
        subject_terms = tokenize(q.subject) if q.subject else []
        terms = q.terms
        if link is not None and link.corrected:
            # Retrieve on the corpus's spelling of a misspelt name, as well as the user's.
            fixed = [t for w in link.corrected.values() for t in tokenize(w)]
            terms, subject_terms = terms + fixed, subject_terms + fixed
        if link is not None and link.expansion:
            more = tokenize(link.expansion)
            terms, subject_terms = terms + more, subject_terms + more
        # A name the question spells otherwise than the corpus ("zelensky" where it writes "Zelenskyy")
        # is read in the corpus's spelling, in the topic as in retrieval.
        spelt = self.names.spellings(q, set(subject_terms), self.linker)
        terms = [spelt.get(t, t) for t in terms]
        topic = q.topic_terms if q.kind == "said" else [t for t in terms if t not in set(subject_terms)]
        topic = [spelt.get(t, t) for t in topic]
        # A topic word the corpus never holds that is one slip from a common term ("inflaton") is
        # read as that term, in the topic as in retrieval.
        fixes = {
            t: closest
            for t in topic
            if self.retriever.term_id(t) is None and (closest := self.absence.respelt(t)) is not None
        }
        if fixes:
            terms = [fixes.get(t, t) for t in terms]
            topic = [fixes.get(t, t) for t in topic]
        spelled_out = self._acronyms_spelled_out(q.text, set(topic))
        if spelled_out:  # "the DOJ investigation": the article may write "the Department of Justice"
            terms, topic = terms + spelled_out, topic + spelled_out
        if period is not None:  # the period is a filter, not the topic (its words still count in BM25)
            dated = set(tokenize(period.label))
            topic = [t for t in topic if t not in dated]
        if q.subject and not (link and link.strengths):
            # Unlinked: answer from retrieval only if the corpus names the subject at all.
            names = self.names.subject_names(q.subject)
            if (names and not self.names.named(names)) or not self.names.in_corpus(subject_terms):
                respelt = self.names.respelt_subject(q.subject) if use_link else None
                if respelt is not None:  # "zaluzhniy": asked again in the corpus's spelling
                    self._local.retried = (
                        f"subject {q.subject!r} is named nowhere as typed; asked as {respelt!r}"
                    )
                    ans = self._ranked(respelt_question(q, respelt), pm, exclude, use_link=False)
                    if ans.found and ans.note is None:
                        shown = f"showing results for “{respelt}”"  # the spelling that answered
                        return ans.model_copy(update={"note": shown, "text": f"({shown})\n{ans.text}"})
                return decline(q, self.absence.absent_subject(q.subject))
        unknown = self.absence.unknown_word(q, topic) if not q.subject and self.absence.tells else None
        if unknown is not None:
            # "How many died in the Beirut port explosion": with no one to quote, every word of the
            # topic constrains the event, and a word the corpus never holds (nor a near spelling of
            # one) is an event it lacks, however well the other words match.
            self._local.why = f"the topic word {unknown!r} is nowhere in the corpus"
            return decline(q, f"{DECLINE} It never mentions “{unknown}”.")
        if not terms:
            return decline(q, DECLINE)
        held_by = self._role_holder(q, period) if q.kind in _PERSON_BOUND and not q.subject else None
        if held_by is not None:  # "when did the danish prime minister visit": her name is asked too
            terms = terms + tokenize(self.entities.entities[held_by].display)
        fallback = group == "said" and not (link and link.strengths) and bool(q.subject)
        strength = self._speaker_strength(link) if link and link.strengths else None
        # "When did the US reply, according to Lavrov": the source's own sentences are the answers
        # (their pool is built as a subject's is), when the corpus attributes any on the topic.
        source = joint_link(self.linker, q.source, period) if q.source and group != "said" else None
        if source is not None and source.strengths and strength is None:
            strength = self._speaker_strength(source)
        addressee = [spelt.get(t, t) for t in tokenize(q.addressee)] if q.addressee else []
        # Whom the sentence should name: the subject, or else the names the question holds.
        named = subject_terms or tokenize(" ".join(q.name_groups))
        subject_words = set(subject_terms)
        # The question's other names, each a constraint on the answer; a month ("in May 2022") dates it.
        others = [
            g
            for g in (
                [spelt.get(t, t) for t in tokenize(n)] for n in q.name_groups if not set(words(n)) <= CALENDAR
            )
            if g and not set(g) & subject_words
        ]
        query = Query(
            q.kind,
            terms,
            topic,
            named,
            strength,
            period,
            exclude,
            addressee,
            q.tense,
            q.unit_classes,
            others,
            self._out_of_role(link) if link is not None and link.how == "role" else None,
            agent_cue(q.agent, q.agent_roles) if q.kind == "other" else None,
            [spelt.get(t, t) for t in premise(q.text)],
            topic_phrases(q.text, topic),
            self._holders(link) if link is not None and link.how == "role" else None,
            q.place_preposition,
            [spelt.get(t, t) for t in tokenize(" ".join(q.counted))],
            stem(q.defines) if q.defines else None,
            stem(q.instance) if q.instance else None,
            [spelt.get(t, t) for t in occasion(q.text)],
            period is not None and _same_day_occasion(pm),
            q.asks_clock_time,
        )
        cands = self.features.build(query)
        if period is not None and len(cands.sents):
            # Filter by article date when any candidate is from the period; otherwise the words name
            # an event's date ("where did X plant trees in 2018"), not the article's: fail open.
            keep = cands.X[:, FEATURES.index("date_match")] > 0
            if keep.any():
                # A sentence that dates its event in the period ("on September 20 … This included
                # marches of …"), in it or PERIOD_BACK sentences before it, is of the period too.
                keep |= self._dates_in_text(period, cands.sents)
                cands = Candidates(cands.sents[keep], cands.X[keep], cands.bm25[keep])
            elif period.whole_months and not self._dates_in_text(period, cands.sents).any():
                # No article of the month or year named on it, and no sentence on it dating its event
                # then: the corpus holds nothing from then ("the 2021 parade" in an archive of the 2022
                # one). A day ("on April 1") is often reported the day after ("yesterday"), and "this
                # week" counts from today: with no article from them they fall open, as below.
                self._local.why = f"no candidate is from {period.describe()} or names it"
                return decline(q, f"{DECLINE} Nothing in it from {period.describe()}.")
            else:
                period = None
        if source is not None and source.strengths and strength is not None and len(cands.sents):
            # Another speaker's words are not the source's; an unattributed sentence may be (an
            # interview retold: "he explained that …" without the name).
            spk = np.asarray(self.index.sent_speaker)[cands.sents]
            theirs = (spk < 0) | (strength[np.maximum(spk, 0)] > 0)
            if ((spk >= 0) & theirs).any():
                cands = Candidates(cands.sents[theirs], cands.X[theirs], cands.bm25[theirs])
        if strength is not None and len(cands.sents) and group == "said":
            # "What did X say?" is answered by X's words: sentences attributed to X, or (with a topic)
            # sentences naming X with a speech cue — never another speaker's on the same topic.
            own = cands.X[:, FEATURES.index("speaker_link")] > 0
            own |= cands.X[:, FEATURES.index("reported_on")] > 0
            if topic:
                written = self.names.subject_names(q.subject or "")
                names = tokenize(" ".join(written))
                if names:
                    near = self.names.speech_near_name(
                        cands.sents, names, skip=own, written_as=self.names.as_name(q, written)
                    )
                    # Another speaker's words naming X ("…," said Y of X's visit) are Y's, not X's —
                    # when X is linked by name with confidence: a role's holder, or the person an
                    # uncertain link missed, may be a speaker row of their own.
                    if link is not None and link.how != "role" and link.confidence >= SURE_LINK:
                        near &= ~self._others_words(cands.sents, strength)
                    own |= near
            if not own.any():
                return self._weak(q, link, pm, exclude)
            cands = Candidates(cands.sents[own], cands.X[own], cands.bm25[own])
        if fallback and len(cands.sents):
            # "What did X say (about Y)?" where no sentence is attributed to X: only sentences naming X
            # (or after one that does) with a speech cue — a quote or a verb of saying. None: decline.
            written = self.names.subject_names(q.subject or "")
            names = tokenize(" ".join(written)) or subject_terms
            cue = self.names.speech_near_name(cands.sents, names, written_as=self.names.as_name(q, written))
            whole = tokenize(" ".join(own_name_words(q.subject or "")))
            if written and len(whole) >= 2:
                # The article names the whole person: "Taylor Swift" is not Miles Taylor in an article
                # that never writes "swift".
                # (Its first and last words: a middle one is often left out or spelt otherwise.)
                arts = np.asarray(self.index.sent_article)[cands.sents]
                for t in {whole[0], whole[-1]}:
                    cue &= self.features.in_articles(t, arts)
            cands = Candidates(cands.sents[cue], cands.X[cue], cands.bm25[cue])
            if not len(cands.sents):
                return decline(q, self.absence.absent_subject(q.subject or ""))
        people = self._people_named(q) if q.kind in _PERSON_BOUND and len(cands.sents) else []
        if held_by is not None and held_by not in people:
            people.append(held_by)
        if people:
            # "When did Grossi visit Japan?": a sentence naming Grossi or said by him, not another's trip
            # — and naming Japan (in it, beside it or in its title), not his visit to Kyiv.
            theirs = np.array(
                [all(self._about_person(int(s), e) for e in people) for s in cands.sents], dtype=bool
            )
            theirs &= cands.X[:, FEATURES.index("names_held")] == 1.0
            cands = Candidates(cands.sents[theirs], cands.X[theirs], cands.bm25[theirs])
        if strength is not None and group == "said" and len(cands.sents):
            # "What did X say about Y": X's words on another thing ("…," said X of the vote) are no
            # answer because Y is named beside them by someone else, or in the title: the topic (or a
            # synonym of it) must be in X's own passage — the sentence, X's run around it, its lead-in.
            beyond_subject = [t for t in topic if t not in subject_words]
            if beyond_subject and _about(q):
                on_topic = self.features.own_words_hold(beyond_subject, cands.sents)
                if not on_topic.any():
                    on_topic = self._held_by_name_mates(beyond_subject, cands.sents)
                if not on_topic.any():
                    self._local.why = "no sentence of the subject's holds the topic in its own passage"
                    return self._weak(q, link, pm, exclude)
                cands = Candidates(cands.sents[on_topic], cands.X[on_topic], cands.bm25[on_topic])
        role = self._role_asked(q, link) if group == "said" and len(cands.sents) else None
        if role is not None:
            # "What did the Turpins' defence lawyer say": an article that never names a lawyer holds
            # no lawyer's words, however well it matches the Turpins and the sentencing.
            named_role = self.features.in_articles_any(role, np.asarray(self.index.sent_article)[cands.sents])
            named_role |= self._holder_speaks(query, cands.sents)  # "Putin sent condolences …"
            if not named_role.any():
                self._local.why = f"no candidate's article names the role asked ({role[0]})"
                return decline(q, f"{DECLINE} I found no statement by {q.subject}.")
            cands = Candidates(cands.sents[named_role], cands.X[named_role], cands.bm25[named_role])
        if not len(cands.sents):
            if exclude:
                return decline(q, "I have no more quotes on that than the ones above.")
            if period is not None:
                return decline(q, f"{DECLINE} Nothing in it from {period.describe()}.")
            return decline(q, DECLINE)
        collect = getattr(self._local, "collect", None)
        if collect is not None:  # bench/fit_weights.py: the features, before any weight is applied
            collect.append((kind_group(group, q.kind), cands, bool(topic)))
        thing = q.name_of
        if thing and len(cands.sents):
            # (After the fit's collection, as the "stated" filter below: the weights rank all candidates.)
            # "What was the name of the man injured in the fire": a sentence on a man that gives a name
            # the question does not hold ("a mannequin, nicknamed “Ripley”"), not one saying only that
            # a man was injured, nor one naming the town's mayor.
            asked = set(words(q.text))
            on_it = np.zeros(len(cands.sents), dtype=bool)
            for t in {stem(w) for w in thing}:
                on_it |= self.features.holds(t, cands.sents)
            # A person's name where a person is asked for: "the man had converted to Islam" names none.
            gives = gives_person_name if asks_for_person(thing) else gives_name
            named = on_it & np.array(
                [gives(self.index.sentence(int(s)), asked) for s in cands.sents], dtype=bool
            )
            cands = Candidates(cands.sents[named], cands.X[named], cands.bm25[named])
            if not len(cands.sents):
                self._local.why = "no candidate gives a name the question does not hold"
                return decline(q, f"{DECLINE} No sentence on it gives the name.")
        if group == "said" and not topic and strength is not None:
            # "What did X say?": a question X asked ("Can you move further up?") states nothing, nor
            # does a line of a few words ("Thank you.", "Yes.") whose label is all that matches X.
            stated = cands.X[:, FEATURES.index("is_question")] == 0
            lengths = self.features.own_terms(cands.sents)
            stated &= lengths >= MIN_STATEMENT_WORDS  # a label only takes words away: no text to read
            for i in np.flatnonzero(stated).tolist():
                sentence = self.index.sentence(int(cands.sents[i]))
                stated[i] = statement_words(sentence, int(lengths[i])) >= MIN_STATEMENT_WORDS
            if stated.any():
                cands = Candidates(cands.sents[stated], cands.X[stated], cands.bm25[stated])
        weighed = kind_group(group, q.kind)  # the group's weights, corrected for the kind
        scores = self.weights.score(weighed, cands.X)
        top = int(np.argmax(scores))
        best = float(scores[top])
        # First, as its reason tells the user most: what was asked for is missing, not merely rare.
        beside = q.kind == "how_many"  # a count is of the thing the name qualifies: it is near the answer
        missing = self.absence.missing_name(q, topic, int(cands.sents[top]), near=beside) if topic else None
        if missing is not None:
            # Of the next best, those whose article names it are the answers, if any is good enough.
            holding = self._holding_name(q, topic, cands, scores, beside)
            if holding is not None:
                cands, scores = (
                    Candidates(cands.sents[holding], cands.X[holding], cands.bm25[holding]),
                    scores[holding],
                )
                top = int(np.argmax(scores))
                best = float(scores[top])
                missing = None
        if missing is None and q.kind == "how_many" and (asked_of := self._quantified_terms(q)):
            # "How much prize money did the team get": an article that never names prize money (nor
            # a synonym) gives other numbers — a 100th match, a third title — not the amount asked.
            arts = np.asarray(self.index.sent_article)[cands.sents]
            counted_in = self.features.in_articles_any(asked_of, arts)
            # Of the candidates near the best (a lottery's prize money, ranked far below, is no sign
            # that the cup's article gives one).
            near = scores >= best - COUNTED_NEAR
            counted_in &= near
            signed = [_SIGNED_AMOUNT[w] for w in q.quantified if w in _SIGNED_AMOUNT]
            if not counted_in.any() and signed:
                # "How much money": "$25 million" names it by a sign, which is no index term.
                texts = [self.index.sentence(int(s)) for s in cands.sents]
                counted_in = near & np.array([any(rx.search(t) for rx in signed) for t in texts])
            if not counted_in.any():
                self._local.why = f"no candidate's article names what is counted ({' '.join(q.quantified)})"
                return decline(q, f"{DECLINE} No article on it mentions “{' '.join(q.quantified)}”.")
        if missing is None and q.kind == "how_many" and not q.unit_classes:
            # "How much did Ukraine pay for the icebreaker": where no sentence near the best gives a
            # number, the corpus holds none to give (the ship's story is no price).
            near = np.flatnonzero(scores >= best - COUNTED_NEAR)
            evidence = cands.X[near, FEATURES.index("typed_evidence")]
            # "How many miners were killed": a count of miners, not of years ("11 years ago", which
            # counts another thing); "how much did … pay" names none, and any number may answer it.
            named_thing = bool(q.counted and q.quantified)
            counted = (evidence > (ANOTHER_THINGS_COUNT if named_thing else 0)).any()
            numbered = near[:64]
            if named_thing:  # a number in a sentence naming the thing ("his 100th race") may count it
                things = tokenize(" ".join(q.quantified))
                naming = np.zeros(len(numbered), dtype=bool)
                for t in things:
                    naming |= self.features.holds(t, cands.sents[numbered])
                numbered = numbered[naming]
            if not counted and not any(has_number(t) for t in self.index.sentences(cands.sents[numbered])):
                self._local.why = "no candidate near the best gives a number"
                return decline(q, f"{DECLINE} No sentence on it gives a number.")
        if missing is not None:
            # "What did Xi say about Taiwan in his talks with Putin": Xi's statements on the talks are
            # no answer when their article never names Taiwan, the most specific thing asked about;
            # nor is a grain deal's date when its article never names Istanbul, where it was signed.
            self._local.why = (
                f"the topic's most specific name ({missing}) is not in the best candidate's article"
            )
            self._local.missing = missing
            self._local.held = self.absence.typed_terms(q, topic, int(cands.sents[top]), but=missing)
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        # With a topic, the best sentence must hold enough of it; "what did X say?" needs only X.
        why = self.weights.decline_reason(group, best, cands.X[top]) if topic else None
        if why is not None and best >= self.weights.decline_below.get(group, -1e9):
            # Under a coverage gate, the best sentence may still hold what is asked for: the topic's
            # most specific term, beside it or in its title ("what did Pelosi say about Ukraine when
            # she met Zelensky in Kyiv" → her words in the article on the Kyiv visit, by "Zelenskyy").
            held = self.absence.holds_rarest(q, topic, int(cands.sents[top]))
            if held is not None:
                self._local.kept = f"{why}, but it holds the topic's most specific term ({held}) around it"
                why = None
        if why is not None:
            self._local.why = why
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        named_terms = tokenize(" ".join(q.name_groups))
        beyond = [t for t in topic if t not in set(named_terms) and t not in _OCCURRENCE]
        # A word beyond the names may be written as its synonym ("set up" → "established").
        alike = self.features.synonyms_of(beyond + topic_phrases(q.text, beyond)) if beyond else []
        if (
            beyond
            and not self._on_names(cands.X[top], group, len(q.name_groups))
            and not self.features.around_holds_any(
                beyond + _exchanged(beyond) + alike,
                int(cands.sents[top]),
                # A typed question's answer holds the topic around it, or its title does while naming
                # the names too; the title of a said-question's article is the occasion of the words.
                title_with=named_terms if group != "said" else None,
            )
        ):
            # It matched on the names alone ("the capital of France" → a sentence about France).
            self._local.why = (
                f"no word of the topic beyond its names ({' '.join(beyond)}) around the best candidate"
            )
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        unheld = self.absence.unheld_role(q, topic, int(cands.sents[top]))
        if unheld is not None:
            # "When did X become prime minister": "He became finance minister in 1982" holds "minister"
            # only; a role of several words is one thing, held whole (or by its class's other words).
            self._local.why = f"the role asked ({unheld}) is not around the best candidate"
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        order = np.argsort(-scores, kind="stable")
        reordered = False
        if pm is not None and pm.newest:
            # "When did X last speak about Y": of the sentences that match, the newest article first.
            floor = max(self.weights.decline_below.get(group, -1e9), best - 1.0)
            matching = [i for i in order.tolist() if scores[i] >= floor]
            rec = self.features.recency(cands.sents[matching])
            order = np.array([matching[i] for i in np.argsort(-rec, kind="stable")], dtype=np.int64)
        elif group == "said" and not topic and strength is not None:
            order = self._substantive_first(cands, scores, order)  # "what did X say?": what X said most
            reordered = True
        explain = getattr(self._local, "trace", None) is not None  # only --explain shows contributions
        ranked = [
            Candidate(
                int(cands.sents[i]),
                float(cands.bm25[i]),
                float(scores[i]),
                self.weights.contributions(weighed, cands.X[i]) if explain else {},
            )
            for i in order[:50].tolist()
        ]
        if topic:  # the quotes after the first must hold some of the topic too: no padding
            col = FEATURES.index("topic_coverage")
            holds = {int(cands.sents[i]) for i in order[:50].tolist() if cands.X[i, col] > 0}
            ranked = ranked[:1] + [c for c in ranked[1:] if c.sent in holds]
        linked = set(strength.nonzero()[0].tolist()) if strength is not None else set()
        first_theirs = bool(ranked) and self._spk(ranked[0].sent) in linked
        if group == "said" and first_theirs:
            # Under "X said …:" every quote is X's: a sentence attributed to another speaker that
            # names X ("The President also thanked X …") is left out; unattributed ones may stay.
            ranked = ranked[:1] + [
                c for c in ranked[1:] if self._spk(c.sent) in linked or self._spk(c.sent) < 0
            ]
        cites = self.builder.cite(
            ranked,
            getattr(self._local, "trace", None),
            context=self.builder.context,
            voiced=group == "said",
            exclude=frozenset(exclude),
            topic=tuple(topic),
            ordered=reordered,
        )
        self._local.topic = q.topic or None
        # The head names X as the speaker only when the first quote is X's; else it is about X.
        who = join_names(c.speaker for c in cites if c.speaker and self._spk(c.start_sent) in linked)
        if not first_theirs:
            who = ""
        # "the 2020 election", "his june visit": the period is the event's attribute, named with it.
        attributive = pm is not None and pm.attributive
        when = f", {period.describe()}" if period is not None and not attributive else ""
        topic_words = q.topic
        if pm is not None and pm.period is not None and not attributive:
            # "on march 8" is the period; a topic of "march 8" alone (its preposition read as the
            # said-verb's) is the same words.
            bare = re.sub(r"^(?:in|on|during|of)\s+", "", pm.period.label, flags=re.I)
            for label in (pm.period.label, bare):
                topic_words = re.sub(rf"\s*\b{re.escape(label)}\b\s*", " ", topic_words, flags=re.I).strip()
            topic_words = re.sub(r"^(?:about|on)\s+", "", topic_words, flags=re.I)  # "in june about grain"
        # A question mark or stop inside the topic ("about grain? & more") is no part of its name.
        topic_words = re.sub(r"\s*[?!]+(?=\s|$)|\s+[.]+(?=\s|$)", "", topic_words).strip()
        if not tokenize(topic_words):  # "& why", "then": no word to search for is no topic to name
            topic_words = ""
        about = f" about {topic_words}" if topic_words else ""
        if topic_words:  # "what did X say on monday" / "… tweet after testing positive": as asked
            before = _occasion_before(q.text, topic_words)
            if before is not None:
                about = f" {before} {topic_words}"
            elif topic_words.split()[0].lower() in _OCCASIONS:
                about = f" {topic_words}"
        told = bool(q.addressee) and fold(topic_words) == fold(q.addressee or "")
        if group == "said" and who and told:  # "what did X tell Y?": Y is whom, not what about
            head = f"What {who} told {q.addressee}{when}:"
        elif group == "said" and who:
            head = f"{who} on {topic_words}{when}:" if topic_words and when else f"{who} said{about}{when}:"
        elif group == "said":
            head = f"What the corpus says about {q.subject}{when}:" if q.subject else "From the corpus:"
        else:
            head = _HEADS.get(q.kind, "From the corpus:")
            if q.measure:  # "How long, according to the corpus:"
                head = f"How {q.measure}, according to the corpus:"
            if when:
                head = head.rstrip(":") + when + ":"
        note = None
        if link is not None and link.corrected and who:
            note = f"showing results for “{who}”"  # only when the corrected name was what answered
        return self.builder.answer(q, head, cites, subject=who or q.subject, note=note)

    def _dates_in_text(self, period: Period, sents: np.ndarray) -> np.ndarray:
        """Whether each sentence, or one of the PERIOD_BACK before it in its article, holds every
        word of the period as the question names it ("september", "june 2022"), a month abbreviated
        ("feb 16") in its full name, as articles write it ("February 16")."""
        terms = tokenize(period.written())
        out = np.zeros(len(sents), dtype=bool)
        if not terms or not len(sents):
            return out
        arts = np.asarray(self.index.sent_article)
        for back in range(PERIOD_BACK + 1):
            rows = np.maximum(sents - back, 0)
            held = arts[rows] == arts[sents]
            for t in terms:
                held &= self.features.holds(t, rows)
            out |= held
        return out

    def _substantive_first(self, cands: Candidates, scores: np.ndarray, order: np.ndarray) -> np.ndarray:
        """`order` with its SUBSTANCE_READS best candidates reordered by what they say
        (`substance.substance_prior`, SUBSTANCE_WEIGHT score points a unit): "What did X say?" is
        answered by X's statement, not by "Yes, go ahead.". Terms are read from the index by id."""
        # A transcript label ("Vladimir Putin: …") puts the name's BM25 on each turn's first line, the
        # shorter the more, and none on the turn's other lines: no evidence of who spoke (the label is,
        # for all of them) nor of what was said, so here it counts for none of them.
        labelled = np.asarray(self.index.sent_how)[cands.sents] == _LABEL_HOW
        if labelled.any():
            col = FEATURES.index("bm25_question")
            scores = scores - labelled * self.weights.weights_of("said")[col] * cands.X[:, col]
            order = np.argsort(-scores, kind="stable")
        near = order[:SUBSTANCE_READS]
        if len(near) < 2:
            return order
        sents = cands.sents[near].tolist()
        texts = self.index.sentences(cands.sents[near])
        names = {self.index.speakers[k]["display"] for k in {self._spk(s) for s in sents} if k >= 0}
        skip = self._turn_ids | self._term_ids(" ".join(names))
        lines = [
            self.features.own_term_ids(s) - skip - self._term_ids(label_of(t))
            for s, t in zip(sents, texts, strict=True)
        ]
        idf = self.retriever.idf
        prior = substance_prior(
            lines,
            [is_turn_line(t) for t in texts],
            np.asarray(self.index.sent_article)[sents].tolist(),
            self._lead_ids,
            lambda t: float(idf[t]),
        )
        key = SUBSTANCE_WEIGHT * prior + scores[near]
        return np.concatenate([near[np.argsort(-key, kind="stable")], order[SUBSTANCE_READS:]])

    def _term_ids(self, text: str) -> set[int]:
        return {i for t in tokenize(text) if (i := self.retriever.term_id(t)) is not None} if text else set()

    @cached_property
    def _turn_ids(self) -> set[int]:
        """Ids of the terms that are no content of a statement (`substance.TURN_TERMS`, `SPEECH_TERMS`)."""
        return {i for t in TURN_TERMS | SPEECH_TERMS if (i := self.retriever.term_id(t)) is not None}

    def _lead_ids(self, article: int) -> set[int]:
        """Term ids of an article's title and first sentence: what it is about."""
        first = self.index.article_sentences(article)
        lead = self.features.own_term_ids(first.start) if len(first) else set()
        return lead | self.features.title_term_ids(article)

    def _holding_name(
        self, q: Question, topic: list[str], cands: Candidates, scores: np.ndarray, near: bool = False
    ) -> np.ndarray | None:
        """Of the NAME_READS best candidates, those whose article holds the topic's most specific name
        (`AbsenceCheck.missing_name` finds none missing) and as much of the topic as the best one's
        article, when there are any: the answers of "who claimed the Kolby harbour attack", whose
        best-worded sentence is on another attack. ("When was the ferry deal signed in Norland" is
        not answered by Norland's ferries: that article holds no deal.)"""
        order = np.argsort(-scores, kind="stable")[:NAME_READS]
        arts = np.asarray(self.index.sent_article)[cands.sents]
        coverage = cands.X[:, FEATURES.index("article_coverage")]
        least = coverage[order[0]]
        asked = self.absence.asked_names(q, topic)
        if not asked:
            return None
        # An article holding the terms themselves holds the names; the others are read for another
        # spelling of them (the slow part: their names by fuzzy match), the first NAME_SPELLINGS only.
        holds = np.ones(len(arts), dtype=bool)
        for _, term, _ in asked:
            holds &= self.features.in_articles(term, arts)
        held = dict(zip(arts.tolist(), holds.tolist(), strict=True))
        if not near:
            held[int(arts[order[0]])] = False
        # With `near`, the name must also be around the sentence itself, not only in its article (the
        # best candidate's own article may hold it elsewhere, beside another of its sentences).
        names = [(w, term) for w, term, country in asked if country is None] if near else []
        spelt: set[int] = set()
        keep = []
        for i in order.tolist():
            a = int(arts[i])
            if coverage[i] < least or (near and i == order[0]):
                continue
            sent = int(cands.sents[i])
            if not held[a] and a not in spelt and len(spelt) < NAME_SPELLINGS:
                spelt.add(a)
                held[a] = self.absence.missing_name(q, topic, sent) is None
            if held[a] and all(self.absence.name_around(w, term, sent) for w, term in names):
                keep.append(i)
        return np.array(keep, dtype=np.int64) if keep else None

    @staticmethod
    def _on_names(x: np.ndarray, group: str, names: int) -> bool:
        """The best candidate holds every name the question asks about, and that is evidence enough
        for the other words to be paraphrased: it is the subject's own statement holding most of the
        topic (by idf) in itself ("what did X say about the fighting in Luhansk and Donetsk" → X on
        "the Luhansk and Donetsk regions"), or the names are NAMES_ENOUGH or more."""
        if not names or x[FEATURES.index("names_held")] != 1.0:
            return False
        if names >= NAMES_ENOUGH:
            return True
        return (
            group == "said"
            and x[FEATURES.index("speaker_link")] > 0
            and x[FEATURES.index("topic_coverage")] > 0.5
        )

    def _weak(self, q: Question, link: Link | None, pm: PeriodMatch | None, exclude: set[int]) -> Answer:
        """Decline for weak evidence — unless the subject was linked by a role alone ("poland's interior
        minister"): a role may name someone else's holder, so answer as if unlinked (fail open)."""
        if link is not None and link.how == "role" and link.strengths:
            holder = self.entities.entities[link.best].display if link.best is not None else "-"
            why = getattr(self._local, "why", None) or "no sentence of theirs answered"
            self._local.retried = f"linked by role to {holder}: {why}; asked again without the link"
            collect = getattr(self._local, "collect", None)
            if collect is not None:
                collect.clear()  # bench/fit_weights.py fits on the candidates actually ranked
            trace = getattr(self._local, "trace", None)
            if trace is not None:
                trace.clear()  # --explain shows the candidates of the answer given
            self._local.why = None
            return self._ranked(q, pm, exclude, use_link=False)
        return decline(
            q,
            self.absence.weak_evidence(
                q, link, getattr(self._local, "missing", None), getattr(self._local, "held", [])
            ),
        )

    def _people_named(self, q: Question) -> list[int]:
        """Persons the question is about: named (not by a role or a country) as the subject of its
        verb, right after the question word and auxiliary ("When did Grossi visit …"), and linked
        with confidence; not a name inside the topic ("… the ship renamed after Alan Kurdi")."""
        out: list[int] = []
        for group in q.name_groups:
            if not re.match(rf"^\w+\s+\w+\s+{re.escape(group)}\b", q.text, re.I):
                continue
            link = self.linker.link(group)
            best = link.best
            if (
                link.how in {"name", "surname", "fuzzy"}
                and best is not None
                and link.confidence >= SURE_LINK
                and not self.entities.entities[best].org
            ):
                out.append(best)
        return out

    def _role_holder(self, q: Question, period: Period | None) -> int | None:
        """The person a role phrase right after the question word and auxiliary names ("when did the
        danish prime minister come to ukraine" → the corpus's Danish prime minister at the dates
        asked), when it is the one holder the corpus states (`WhoStrategy.sole_holder`); else None."""
        phrase: list[str] = []
        folded: list[str] = []
        for w in q.text.split()[2:]:
            f = re.sub(r"[’']s$", "", fold(w))
            if f not in {"the", "a", "an"} and f not in _ROLE_WORDS and country_of(f) is None:
                break
            phrase.append(w)
            folded.append(f)
        if not folded or (folded[-1] not in _HOLDERS and " ".join(folded[-2:]) not in _HOLDERS):
            return None  # the phrase must end in an office's head ("the first trial", "the white house")
        # One person, not "the prime minister" of many.
        return self.who.sole_holder_entity(" ".join(phrase), period)

    def _about_person(self, sent: int, entity: int) -> bool:
        """The sentence is attributed to the entity, or it, a neighbour or its title names the entity."""
        ent = self.entities.entities[entity]
        if int(self.index.sent_speaker[sent]) in ent.speakers:
            return True
        surname = tokenize(ent.display.split()[-1]) if ent.display.split() else []
        return bool(surname) and self.features.around_holds_any(surname, sent)

    def _held_by_name_mates(self, topic: list[str], sents: np.ndarray) -> np.ndarray:
        """`own_words_hold` with each topic word that is part of a name its article writes in full
        read as the name's other words: "the killing of al-quaety" is held by "Nabil's murder …" in
        an article on "Nabil Hasan al-Quaety". Only where nothing holds the topic as typed."""
        arts = np.asarray(self.index.sent_article)[sents]
        out = np.zeros(len(sents), dtype=bool)
        uniq = np.unique(arts)
        # A particle ("al" of "al-hakim") is part of many names: only a name's own words count.
        named = {t: self.features.in_articles(t, uniq) for t in topic if len(t) >= MATE_MIN}
        written = np.logical_or.reduce(list(named.values())) if named else np.zeros(len(uniq), dtype=bool)
        if written.sum() > _MATE_ARTICLES:  # a word in that many of their articles is no one's name
            return out
        for i in np.flatnonzero(written).tolist():
            art = int(uniq[i])
            mates = {m for t in named if named[t][i] for m in self.names.name_mates(t, art)}
            if mates:
                mine = arts == art
                out[mine] = self.features.own_words_hold(sorted(mates), sents[mine])
        return out

    def _role_asked(self, q: Question, link: Link | None) -> list[str] | None:
        """The terms of the subject's most specific role word (highest idf of its `roles.words`), of its
        synonym class ("chief" → head, leader, …) and its synonyms, when the subject is asked for by a
        role and not linked to a named person with confidence: an answer's article must name that role."""
        if not q.subject or (link is not None and link.how != "role" and link.confidence >= SURE_LINK):
            return None
        asked = [w for w in words(q.subject) if fold(w) in _ROLE_WORDS and tokenize(w)]
        if not asked:
            return None
        word = max(asked, key=lambda w: self.features.idf(tokenize(w)[0]))
        cls = role_key(word)
        forms = [word] + [m for m, c in role_classes().items() if c == cls and " " not in m]
        stems = [t for f in forms for t in tokenize(f)[:1]]
        # …and the word's synonyms and derivations ("presidential" is held by "President", "lawyer"
        # by "attorney"), single words.
        stems += one_word_synonyms(stems[:1])
        terms = [t for t in stems if self.retriever.term_id(t) is not None]
        return list(dict.fromkeys(terms)) or None

    def _quantified_terms(self, q: Question) -> list[str]:
        """The index terms of what a count question counts (`Question.quantified`), their one-word
        synonyms and, for a unit class's name, its units (questions.units); empty when the corpus
        holds none of them (then their absence says nothing)."""
        terms = [t for w in q.quantified for t in tokenize(w)]
        alts = [*terms, *one_word_synonyms(terms)]
        # A class of units asked for by its name ("how much money") is held by its units ("rubles").
        units = lexicon.entry("questions.units")
        alts += [t for w in q.quantified if w in units for u in units[w] for t in tokenize(u)[:1]]
        return [t for t in dict.fromkeys(alts) if self.retriever.term_id(t) is not None]

    def _others_words(self, sents: np.ndarray, strength: np.ndarray) -> np.ndarray:
        """Per sentence: the attributor gives it a speaker who is not the subject (strength 0): it
        holds that speaker's words, whoever it names. Unattributed sentences are False."""
        spk = np.asarray(self.index.sent_speaker)[sents]
        out: np.ndarray = (spk >= 0) & (strength[np.maximum(spk, 0)] <= 0)
        return out

    def _spk(self, sent: int) -> int:
        return int(self.index.sent_speaker[sent])

    def _speaker_strength(self, link: Link) -> np.ndarray:
        """Per speaker row: how strongly it is the question's subject (strength × confidence)."""
        out = np.zeros(len(self.index.speakers))
        for e, s in link.strengths.items():
            out[self.entities.entities[e].speakers] = s * link.confidence
        return out

    def _acronyms_spelled_out(self, text: str, topic: set[str]) -> list[str]:
        """The terms of what the corpus defines each topic acronym as ("Department of Justice (DOJ)"),
        for one typed in capitals ("DOJ", not "doj" nor "who"), less those the topic holds already."""
        out: list[str] = []
        for acr in _CAPITALS.findall(text):
            expansion = self.entities.acronyms.get(acr.lower())
            if expansion is not None and acr.lower() in topic:
                out += [t for t in tokenize(expansion) if t not in topic and t not in out]
        return out

    def _holder_speaks(self, query: Query, sents: np.ndarray) -> np.ndarray:
        """Per sentence: its speaker is the one the corpus states holding the role asked on its
        article's date (`Query.holders`), so its article need not name the role to be theirs."""
        if query.holders is None or not len(sents):
            return np.zeros(len(sents), dtype=bool)
        days = self.features.article_ordinals[np.asarray(self.index.sent_article)[sents]]
        holder, mine = holders_at(query.holders, days, np.asarray(self.index.sent_speaker)[sents])
        out: np.ndarray = (holder >= 0) & (holder == mine)
        return out

    def _holders(self, link: Link) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """The role's holder on each day, with each speaker row's entity, for `Query.holders`."""
        starts, owner = self.linker.holder_timeline(link)
        if not len(starts):
            return None
        if self._row_entity is None:
            self._row_entity = np.asarray(self.entities.speaker_entity, dtype=np.int64)
        return starts, owner, self._row_entity

    def _out_of_role(self, link: Link) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The stretches in which the corpus says a linked holder did not hold the role asked, per
        speaker row: (rows, first day, last day) for `Query.out_of_role`."""
        rows: list[int] = []
        lo: list[int] = []
        hi: list[int] = []
        for e in link.strengths:
            ent = self.entities.entities[e]
            for a, b in ent.out_of(link.held_roles):
                rows += ent.speakers
                lo += [a] * len(ent.speakers)
                hi += [b] * len(ent.speakers)
        return np.array(rows, dtype=np.int64), np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64)


_PERSON_BOUND = lexicon.words("questions.kinds.person_bound")
_ROLE_WORDS = role_words()
# An acronym as typed, standing alone: "the DOJ", "WHO"; not a part of a compound ("U.S.-EU Energy
# Council" names that council, not the European Union).
_CAPITALS = re.compile(r"(?<![\w.’'-])[A-Z]{2,8}(?=['’]s\b|[^\w’'-]|$)")
_HOLDERS = lexicon.words("roles.owners.holders")  # the heads of offices: "minister", "prime minister"
_LABEL_HOW = HOW_CODES.index("label")
# Per unit class: an amount written with one of its signs before the number ("$25", "€ 3").
_SIGNED_AMOUNT = {
    unit: re.compile(rf"(?:{'|'.join(map(re.escape, signs))})\s?\d")
    for unit, signs in lexicon.entry("questions.unit_symbols").items()
}


_OCCASIONS = lexicon.words("questions.words.occasion")
_WORD_BEFORE = re.compile(r"\b(\w+)\s+\Z")


def _occasion_before(text: str, topic: str) -> str | None:
    """The occasion word ("after", "on") the question types right before its topic, lower-cased
    ("what did X tweet after testing positive"), else None. A plain search, not a pattern built per
    question: compiling one costs more than answering reads elsewhere."""
    low, key = text.lower(), topic.lower()
    at = low.find(key)
    while at >= 0:
        m = _WORD_BEFORE.search(low, max(0, at - 32), at)
        if m is not None and m.group(1) in _OCCASIONS:
            return m.group(1)
        at = low.find(key, at + 1)
    return None


_SUBJECT_MATTER = re.compile(
    rf"\b(?:{lexicon.alternation(lexicon.words('questions.words.subject_matter'))})\s+\S", re.I
)


def _about(q: Question) -> bool:
    """Whether a said-question asks what was said about a thing ("about Y", `subject_matter`), not
    what was said at an occasion ("in court", "when she visited Kyiv"), which the article may name
    around the words rather than in them."""
    return bool(q.topic) and _SUBJECT_MATTER.search(q.text) is not None


_SPEECH_VERBS = frozenset(f for f in lexicon.speech_verb_forms() if " " not in f)

_HEADS = {
    "when": "When, according to the corpus:",
    "where": "Where, according to the corpus:",
    "how_many": "How many, according to the corpus:",
    "why": "Why, according to the corpus:",
    "yes_no": "What the corpus says:",
    "other": "From the corpus:",
}
