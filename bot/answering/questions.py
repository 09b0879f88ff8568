"""Reading a question: what kind it is, who it is about, and which words carry its topic."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import OSA, Indel

from bot import lexicon
from bot.text import STOP_WORDS, stem, tokenize
from bot.text import words as fold_words

KINDS = ("said", "who", "when", "where", "how_many", "why", "yes_no", "other")

# Verbs of saying in questions ("What did X say/tweet/urge …?"), from the shared lexicon. The pure
# ones ask only for speech; the act ones can also be answered by what someone did.
PURE_SPEECH = frozenset(
    v for v in lexicon.words("speech.verbs.pure", "questions.verbs.opinion") if " " not in v
)
ACT_SPEECH = frozenset(v for v in lexicon.words("speech.verbs.act") if " " not in v) - PURE_SPEECH
_FORMS = {f: lemma for lemma in PURE_SPEECH | ACT_SPEECH for f in lexicon.inflect(lemma)}
_VERB_FORMS = lexicon.alternation(frozenset(_FORMS))
_AUX = r"(?:did|does|do|has|have|had|was|is|will|would)"

# The verb is matched case-sensitively (lower case), so a name like "Denys" is not "deny" + s.
# A verb followed by a role word is part of the subject ("the press secretary"), not its verb; one
# after a determiner is a noun ("the reason for the talks").
_ROLE_WORDS = frozenset(w for w in lexicon.words("roles.words.person") if " " not in w)
_ROLE_NEXT = lexicon.alternation(_ROLE_WORDS)
# Only a verb form that is a role word too ("press", "state") can be a role phrase's first word:
# "ask foreign ambassadors" asks them, "the press secretary" is someone.
_VERB_AS_ROLE = "|".join(rf"(?<=\b{re.escape(f)})" for f in sorted(frozenset(_FORMS) & _ROLE_WORDS))
_SAID = re.compile(
    rf"^(?i:(?:what|which|how)(?:\s+else)?(?P<what>(?:\s+[a-z]+){{0,3}}?)\s+(?P<aux>{_AUX}))\s+(?P<who>.+?)"
    r"(?<!\bthe)(?<!\ba)(?<!\ban)(?<!\bhis)(?<!\bher)(?<!\bits)(?<!\btheir)"  # "the talks": a noun
    r"(?<!\bof)"  # "the secretary of state say": after "of", a noun, not the verb
    rf"\s+(?P<verb>{_VERB_FORMS})\b"
    rf"(?!(?:{_VERB_AS_ROLE})\s+(?i:{_ROLE_NEXT})\b)(?P<rest>.*)$"
)
_ACCORDING_Q = re.compile(
    r"^(?P<q>.+?),?\s+according to (?P<who>(?:[^,?]|,(?=\d))+)$"
    r"|^according to (?P<who2>(?:[^,?]|,(?=\d))+),\s*(?P<q2>.+)$",
    re.I,
)
# Whom something was said to ("tell Putin about …", "say to Lavrov about …", "tell reporters on …").
_ADDRESSEE = re.compile(
    r"^(?:to\s+)?(?:(?:[A-Z][\w’'-]*\s*){1,4}|(?:the\s+)?(?:reporters|journalists|press|media|audience|"
    r"crowd|nation|parliament|lawmakers)\s*)(?=\s*(?:about|on|regarding)\b)"
    # "say to bolsonaro about the floods": after "to", whoever is typed, in any case
    r"|^(?i:to)\s+(?:(?!(?i:about|on|regarding)\b)[\w’'.-]+\s+){1,4}(?=(?i:about|on|regarding)\b)"
)
# Verbs whose object is a person spoken to ("tell X about", "ask X to", "promise X that").
ADDRESSED = lexicon.words("questions.verbs.addressed")
_TO_WHOM = re.compile(
    r"^(?:on\s+)?(?:(?!(?:about|on|regarding|concerning|to|that|at|during|in|when|after|before|for|if|whether|"
    r"who|what|why|how|not)\b)[\w’'.-]+\s*){1,6}?(?=\s*(?:\b(?:about|on|regarding|concerning|to|that|at|during|in|"
    r"when|after|before|for|if|whether|who|not)\b|$))",
    re.I,
)
_REACTION = re.compile(
    r"^(?i:what|how)\s+(?i:was|is|were|are)\s+(?P<who>.+?)(?:’s|'s)\s+"
    rf"(?P<verb>{lexicon.alternation(lexicon.words('questions.words.reaction'))})s?\b(?P<rest>.*)$"
)
_SAID_BY = re.compile(
    r"^what\s+(?:was|has been)\s+said\s+by\s+(?P<who>.+?)(?P<rest>\s+(?:about|on|regarding)\s.*)?$", re.I
)
# A verb not of saying right after the one read as the question's ("what did the order do", "… the
# statement mean"): the first was a noun of the subject, a thing, not someone who said something.
_PREDICATES = frozenset(lexicon.words("questions.words.predicates"))
_PASSIVE = re.compile(r"^(?:what|how)(?:\s+else)?\s+(?:was|is|were|are)\s", re.I)  # "what was X called"
_ASKS_NAME = re.compile(
    r"^(?:what|which)\s+(?:is|was|were|are)\s+(?:the\s+)?names?\s+of\s+(?P<of>.+)$"
    r"|^what\s+(?:is|was|were|are)\s+(?P<called>.+)\s+(?:called|named|nicknamed|dubbed)$",
    re.I,
)
# "who is going to be the coordinator", "who will be the envoy": who holds it then, as "who is".
_WHO = re.compile(
    r"^(?:who\s+(?:is|was|are|were)(?:\s+(?:going|set|expected|due)\s+to\s+be|\s+to\s+be)?"
    r"|who\s+(?:will|would|shall)\s+be|who[’']s)\s+(?P<who>.+)$",
    re.I,
)
# "Who paid for …", "who will lead …": the doer of a verb. "Who did X get" asks for an object: the
# word after "did" is no verb of the doer (questions.verbs.no_agent).
_WHO_DID = re.compile(
    r"^who\s+(?:(?:will|would|has|have|had|can|could|should|shall|must|is|was|are|were)\s+)?"
    r"(?P<verb>[a-z]+)\b",
    re.I,
)
_WHEN = re.compile(
    r"^(?:(?:by|until|till)\s+when\b|when\b"
    r"|(?:at|by|from|until|before) what (?:time|date|hour|year|month|day)|what time\b"
    r"|on what (?:date|day)"
    r"|what (?:date|day|year|time|month)\b|in what year|which (?:date|day|year))",
    re.I,
)
_WHERE = re.compile(r"^where\b", re.I)
# "which Polish city …", "in what region …": a place asked by its noun (questions.places.asked_by_noun),
# with at most one word before it ("Polish"), and no "of" after it ("which city's mayor" asks a person).
_WHERE_NOUN = re.compile(
    r"^(?:(?:in|at|to|from)\s+)?(?:which|what)\s+(?:[\w’'-]+\s+)?"
    rf"(?:{lexicon.alternation(lexicon.words('questions.places.asked_by_noun'))})(?:s|es)?\b(?![’'])",
    re.I,
)
# "how <word> …" questions answered by a number with a unit of a class, not by a bare count.
MEASURES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in lexicon.entry("questions.measures").items()}
# "how many/much" and each measure word of questions.measures ("how old", "how fast") ask for a number.
# "in how many countries …", "by how much did …": a preposition may open the question.
_HOW_LEAD = r"(?:(?:in|for|by|of|from|to|at|with|on|after)\s+)?"
_HOW_MANY = re.compile(
    rf"^{_HOW_LEAD}(?:how (?:many|much|{lexicon.alternation(frozenset(MEASURES))})\b"
    r"|what (?:number|percentage|share|amount|proportion|sum)\b)",
    re.I,
)
_HOW_MANY_NOUN = re.compile(rf"^{_HOW_LEAD}how many\s+(.+)$", re.I)
COUNTED_WORDS = 2
_HOW_MUCH_NOUN = re.compile(rf"^{_HOW_LEAD}how much\s+(.+)$", re.I)
_GENERIC_COUNTED = lexicon.words("questions.words.generic_counted")
_TIME_UNITS = frozenset(stem(w) for w in lexicon.words("questions.units.duration"))


def _noun_after(opening: re.Pattern[str], text: str) -> list[str]:
    """The words after a question's opening ("how many", "how much") up to the first stop word, at
    most COUNTED_WORDS: "how many statues did …" → statues (the auxiliary ends the noun)."""
    m = opening.match(text)
    if m is None:
        return []
    out: list[str] = []
    for w in fold_words(m.group(1))[:COUNTED_WORDS]:
        if w in STOP_WORDS:
            break
        out.append(w)
        if w in _GENERIC_COUNTED:
            break  # "how many people lost power": the noun is whole, its verb follows
    return out


_HOW_WORD = re.compile(rf"^{_HOW_LEAD}how\s+(\w+)", re.I)
_WHY = re.compile(r"^(?:why\b|what (?:was|is|were|are) the (?:reason|cause)s?\b|for what reason)", re.I)
_YES_NO = re.compile(r"^(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should)\b", re.I)
_ABOUT = re.compile(r"^\s*(?:about|on|regarding|concerning|of|in|to)\b", re.I)
_TO = re.compile(r"^to\s", re.I)
SAID_TO_WORDS = 4  # "what did X say to Y": at most this many words of Y

# Words that open or shape a question: never a name ("What", "Did") nor part of its topic.
_QUESTION_OPENERS = lexicon.words("questions.words.openers")
QUESTION_WORDS = {stem(w) for w in lexicon.words("questions.words.question")}
VAGUE_TOPIC = lexicon.words("questions.words.vague_topic")
# A noun phrase ("the", up to five words) and a relative clause on it, to the question's end: a
# relative pronoun ("who brought her son") or a subject pronoun with no pronoun before it ("he planted"),
# not after a word that makes "that" a conjunction ("now that the repairs are done").
_PREMISE = re.compile(
    r"\b(?:"
    + lexicon.alternation(lexicon.words("questions.words.determiner"))
    + r")\s+(?:[\w'-]+\s+){0,4}?(?!(?:"
    + lexicon.alternation(lexicon.words("questions.words.not_antecedent"))
    + r")\b)[\w'-]+\s+(?P<clause>(?:"
    + lexicon.alternation(lexicon.words("questions.words.relative"))
    + r"|(?P<subj>"
    + lexicon.alternation(lexicon.words("questions.words.clause_subject"))
    + r"))\s+[\w'-].*)$",
    re.I,
)


def premise(text: str) -> list[str]:
    """The terms a question takes as given rather than asks: those of a relative clause on one of its
    noun phrases ("the student who brought her son to class", "the pines he planted"). A sentence
    that holds only them restates the question's premise, and its answer is often the next one."""
    return _closing_terms(_PREMISE, "clause", text)


def _closing_terms(pattern: re.Pattern[str], group: str, text: str) -> list[str]:
    """The terms of `group` of a phrase `pattern` finds closing the question, less question words."""
    m = pattern.search(text.rstrip(" ?.!"))
    return [t for t in tokenize(m.group(group)) if t not in QUESTION_WORDS] if m else []


_OCCASION = re.compile(
    r"\b(?:(?:"
    + lexicon.alternation(lexicon.words("questions.occasions.prepositions"))
    + r")\s+(?:"
    + lexicon.alternation(lexicon.words("questions.occasions.determiners"))
    + r")|when\s+[\w'’-]+\s+(?:"
    + lexicon.alternation(lexicon.words("questions.occasions.verbs"))
    + r"))\s+(?P<occasion>[\w'’-]+(?:,?\s+[\w'’-]+){0,7})$",
    re.I,
)


def occasion(text: str) -> list[str]:
    """The terms of the occasion a question names for the words, at its end ("what did X say about Y
    at the security council meeting" → secur, council, meet): an article reporting that occasion
    says so in its title, the words on it need not repeat it."""
    return _closing_terms(_OCCASION, "occasion", text)


_TENSES = {t: lexicon.words(f"questions.tense.{t}") for t in ("past", "future")}
_DEADLINE = lexicon.words("questions.tense.deadline")
_NAME = re.compile(r"[^\W\d_][\w’'.-]*")
_NAME_GROUP = re.compile(r"(?<![\w’'])((?:[A-ZÀ-Þ][\w’'.-]*\s?){1,4})")
PRONOUN_RE = re.compile(r"\b(he|she|they|him|her|them|his|their)\b", re.I)
# Chat mention tokens are not words of a question: Slack's raw `<@U…>`, `<#C…|name>`, `<!here>`
# anywhere, and the plain `@name` / `#channel` that address people before the question starts.
_MENTION_TOKEN = re.compile(r"<[@#!][^<>]*>")
_LEADING_MENTIONS = re.compile(r"^(?:\s*[@#][\w.’'-]+[,:]?)+\s")


# Terminal escapes ("\x1b[31m") and other control characters are no part of any word: a pasted
# coloured "putin" is Putin.
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# A question pasted as a list item, a quote (Slack's "> …", "“…”") or after an ellipsis is the same
# question: these marks before its first word or after its last are no part of it.
_WRAPPING = re.compile(r"^[\s\-–—•·*>\"“”„'‘’«»(\[.…]+|[\s\"“”'‘’«»)\]]+$")


# Pasted HTML is no part of the question: a script or style element with its content, other tags alone.
_MARKUP = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|</?[a-z][\w-]*(?:\s[^<>]*)?/?>", re.I | re.S)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def as_typed(text: str) -> str:
    """The question as it may be echoed back: bytes that were not UTF-8 (which Python reads from argv
    and stdin as lone surrogates) become U+FFFD and control characters go, so an answer's JSON is
    valid UTF-8 and a terminal shows what was asked, not escape sequences."""
    return _CONTROL.sub("", _SURROGATE.sub("\ufffd", text))


# Chat formatting marks around words ("*sanctions*", "_why_", "`putin`", "```what did X say```")
# are no part of them.
_EMPHASIS = re.compile(r"(?<![\w*_~`])(\*{1,2}|_{1,2}|~|`{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*_~`])", re.S)


_BARE: dict[str, str] = {bare: full for bare, full in lexicon.entry("spelling.contractions.bare")}
_BARE_RE = re.compile(rf"\b(?:{lexicon.alternation(frozenset(_BARE))})\b", re.I)


def with_apostrophes(text: str) -> str:
    """A contraction typed without its apostrophe written with it (`spelling.contractions.bare`:
    "didnt" → "didn't"): the function word it is, not a word no article holds."""
    return _BARE_RE.sub(lambda m: _BARE[m.group(0).lower()], text)


def without_mentions(text: str) -> str:
    """The question less chat mentions ("<@U1> <@UBOT> what did X say?" → "what did X say?"), less
    control characters, HTML tags, chat formatting marks ("*sanctions*") and the marks that wrap a
    pasted question ("- “what did X say?”")."""
    plain = _MARKUP.sub(" ", _MENTION_TOKEN.sub(" ", _CONTROL.sub("", text)))
    plain = _EMPHASIS.sub(r"\2", plain)
    bare = re.sub(r"\s+", " ", _LEADING_MENTIONS.sub(" ", plain + " ")).strip()
    return _WRAPPING.sub("", bare)


@dataclass
class Question:
    text: str
    kind: str = "other"
    subject: str | None = None  # who the question is about (said / who-is)
    verb: str | None = None
    topic: str = ""  # for said: what about; otherwise the question itself
    names: list[str] = field(default_factory=list)  # capitalised words: names the answer should hold
    name_groups: list[str] = field(default_factory=list)  # runs of them: "Ricardo Rosselló", "Puerto Rico"
    source: str | None = None  # "according to X" on a typed question
    addressee: str | None = None  # whom it was said to: "tell Putin", "ask foreign ambassadors"
    said_to: str | None = None  # a topic typed after "to" ending the question: whom, if it names someone
    rule: str = ""  # id of the question rule that read it (RULES)
    measure: str | None = (
        None  # "how long": the word after "how" when it asks for a unit (questions.measures)
    )
    agent: str | None = None  # "who paid for …": the verb whose doer is asked for, as written
    agent_roles: tuple[str, ...] = ()  # "who is the new head of …": the role words of its holder
    defines: str | None = None  # "what is the book of torturers": the head word of the thing defined
    instance: str | None = None  # "which Italian singer did X quote": the noun a name is asked of

    @property
    def unit_classes(self) -> tuple[str, ...]:
        """The unit classes the answer's number should carry (duration or length for "how long"; a
        duration for "how many years", which asks how long as a count of time's units)."""
        if self.measure:
            return MEASURES.get(self.measure, ())
        counted = self.counted[:1]
        if self.kind == "how_many" and counted and stem(counted[0]) in _TIME_UNITS:
            return ("duration",)
        return ()

    @property
    def terms(self) -> list[str]:
        return self._less_measure([t for t in tokenize(self.text) if t not in QUESTION_WORDS])

    @property
    def topic_terms(self) -> list[str]:
        terms = self._less_measure([t for t in tokenize(self.topic) if t not in QUESTION_WORDS])
        if self.verb and self.verb_base not in PURE_SPEECH:
            terms.insert(0, stem(self.verb_base))
        return terms

    def _less_measure(self, terms: list[str]) -> list[str]:
        """Without the measure word of "how long": there it asks, it is no word of the topic."""
        if self.measure and stem(self.measure) in terms:
            terms.remove(stem(self.measure))
        return terms

    @property
    def verb_base(self) -> str:
        v = (self.verb or "").lower()
        if v in _FORMS:
            return _FORMS[v]
        for base in PURE_SPEECH | ACT_SPEECH:
            if v in (base, base + "s", base + "ed", base + "d"):
                return base
        return v

    @property
    def asks_speech(self) -> bool:
        """A when/where question about a statement ("When did X say he would …")."""
        return bool(
            re.search(r"\b(?:say|said|announce[ds]?|tell|told|declare[ds]?|promise[ds]?)\b", self.text, re.I)
        )

    @property
    def tense(self) -> str | None:
        """ "past" or "future" by the question's first auxiliary; None when it names neither. A
        deadline or plan ("by when …", "when were they supposed to finish …") asks for a date the
        article gave ahead of it: "future", whatever the auxiliary."""
        said = fold_words(self.text)
        if set(said) & _DEADLINE or said[:1] in (["by"], ["until"], ["till"]):
            return "future"
        for w in said:
            for tense, aux in _TENSES.items():
                if w in aux:
                    return tense
        return None

    @property
    def name_of(self) -> list[str]:
        """What a name is asked for, the words of the thing up to its first function word: "What was
        the name of the man injured in the fire" → man, injured; "What was the new ship called" →
        new, ship. Empty when no name is asked for."""
        m = _ASKS_NAME.search(self.text)
        if m is None:
            return []
        out: list[str] = []
        for w in fold_words(m.group("of") or m.group("called")):
            if w in STOP_WORDS:
                if out:
                    break
                continue
            out.append(w)
        return out

    @property
    def counted(self) -> list[str]:
        """The noun a "how many" question counts, as written: the words after "how many" up to the
        first stop word, at most COUNTED_WORDS ("how many people work for …" → people; "how many
        vaccine doses are …" → vaccine, doses). Empty for other questions."""
        return _noun_after(_HOW_MANY_NOUN, self.text)

    @property
    def quantified(self) -> list[str]:
        """The thing a count or amount question asks of, as written, less the nouns an article that
        gives the count may not write (`questions.words.generic_counted`): "how many statues …" →
        statues, "how much prize money …" → prize, money; "how much did trade grow" → none."""
        nouns = self.counted or _noun_after(_HOW_MUCH_NOUN, self.text)
        return [w for w in nouns if w not in _GENERIC_COUNTED]

    @property
    def place_preposition(self) -> str | None:
        """The preposition a where-question ends in and asks the place of ("where are they from" →
        "from"; questions.places.asked), else None."""
        last = fold_words(self.text)[-1:]
        if self.kind == "where" and last and last[0] in lexicon.words("questions.places.asked"):
            return last[0]
        return None

    @property
    def asks_clock_time(self) -> bool:
        return bool(re.search(r"\bwhat (?:time|hour)\b", self.text, re.I))

    @property
    def wants_tweet(self) -> bool:
        return self.verb_base in {"tweet", "post"} or bool(
            re.search(r"\b(twitter|tweet|x\.com)\b", self.text, re.I)
        )


_WH = r"(?:what|who|whom|whose|when|where|why|how|which)\b"
# An occasion typed before the question ("in his greeting to the conference, what did X say …").
_LEADING_OCCASION = re.compile(
    rf"^(?P<lead>(?:in|at|during|on|after|before|following|while)(?:\s+(?!{_WH})[^\s,?]+){{1,10}}?),?\s+"
    rf"(?P<q>{_WH}.+)$",
    re.I,
)


def analyse(text: str) -> Question:
    """Classify a question and pull out its subject and topic. Pure: no corpus needed.

    The rules of `RULES` are tried in order; the first that matches reads the question, and its id
    is kept on `Question.rule` (shown by --explain).
    """
    clean = with_apostrophes(without_mentions(text).rstrip("?!. ").strip())
    lead = _LEADING_OCCASION.match(clean)
    if lead is not None:  # "at munich what did X say …" asks "what did X say … at munich"
        clean = f"{lead.group('q')} {lead.group('lead').strip()}"
    q = Question(text=clean)
    q.names = [
        w.strip(".’'")
        for i, w in enumerate(_NAME.findall(clean))
        if w[0].isupper() and (i > 0 or not _is_question_word(w))
    ]
    q.name_groups = [g for g in (_name_group(g, clean) for g in _NAME_GROUP.findall(clean)) if g]
    for rule in RULES:
        m = rule.pattern.match(clean)
        if m is None:
            continue
        out = rule.read(q, m)
        if out is not None:
            out.rule = rule.id
            return out
    q.topic = clean
    q.rule = "other"
    return q


def _said_active(q: Question, m: re.Match[str]) -> Question | None:
    """ "What did X say …", not a passive ("what was the capsule called", "what is X told"): there
    the one before the verb did not speak; "what is X saying" is active."""
    if _PASSIVE.match(q.text) and not m.group("verb").lower().endswith("ing"):
        return None
    if q.text[:5].lower() == "which" and _FORMS.get(m.group("verb").lower()) not in PURE_SPEECH:
        return None  # "which singer did X quote": the one quoted; "which reforms did X say …" is said
    after = fold_words(m.group("rest") or "")[:1]
    if after and after[0] in _PREDICATES:
        return None  # "what did the president's order do about …": "order" is a noun, "do" the verb
    return _said(q, m)


# "what did X want to talk about": the wanting is no part of who X is.
_INTENT_END = re.compile(
    rf"\s+(?:{lexicon.alternation(lexicon.words('questions.words.intent'))})\s+to$", re.I
)


def _said(q: Question, m: re.Match[str]) -> Question | None:
    """ "What did X say/tell Z about Y", "What was X's reaction to Y", "What was said by X about Y"."""
    groups = m.groupdict()
    verb = groups.get("verb") or ""
    what = (groups.get("what") or "").strip()
    if what and any(p.match(q.text) for p in (_WHEN, _WHERE, _WHERE_NOUN, _HOW_MANY, _WHY)):
        return None  # "what time did X say …", "what share …": a typed question
    q.kind, q.subject = "said", _INTENT_END.sub("", m.group("who").strip())
    q.verb = verb or "said"
    if q.verb.lower() not in _FORMS:
        q.verb = "said"  # "reaction", "response": what they said
    rest = (m.group("rest") or "").strip()
    to = _TO_WHOM.match(rest) if q.verb_base in ADDRESSED else None
    if to is None:
        to = _ADDRESSEE.match(rest)
    if to is not None and to.group(0).strip():  # "tell Putin about …", "ask foreign ambassadors to …"
        q.addressee = re.sub(r"^(?:to|on)\s+", "", to.group(0).strip(), flags=re.I)
        if tokenize(_ABOUT.sub("", rest[to.end() :])):  # else the addressee is the topic too
            rest = rest[to.end() :].strip()
    q.topic = _ABOUT.sub("", rest).strip() if _ABOUT.match(rest) else rest
    if what:  # "what weapons did X ask Canada for": the weapons are the topic
        q.topic = f"{what} {q.topic}".strip()
    elif q.addressee is None and _TO.match(rest) and len(q.topic.split()) <= SAID_TO_WORDS:
        q.said_to = q.topic  # "what did X say to yermak": whom, if the words name someone
    return q


# A word one slip from a verb of saying, in the verb's place ("what did Biden sya about …"): the
# question asks what was said. Only words of three letters or more that begin as the verb does, and
# no function word, so "what did X see" or "what did the ban mean" stay as typed. A slip is a letter
# dropped, doubled or two swapped, never one letter for another: that is how one real word becomes
# another ("interest rates" is no typo of "raves").
_SAID_SLIP = re.compile(rf"^(?i:(?:what|how)(?:\s+else)?(?:\s+[a-z]+){{0,2}}?\s+{_AUX})\s+\S")
_SLIP_FORMS: dict[str, list[str]] = {}
for _form in sorted(f for f in _FORMS if len(f) >= 3 and " " not in f):
    _SLIP_FORMS.setdefault(_form[0], []).append(_form)


def _one_slip(word: str, form: str) -> bool:
    """A letter dropped or added (one insertion or deletion), or two neighbours swapped."""
    if abs(len(word) - len(form)) == 1:
        return Indel.distance(word, form, score_cutoff=1) <= 1
    return sorted(word) == sorted(form) and OSA.distance(word, form, score_cutoff=1) <= 1


def _slip_of(word: str) -> str | None:
    """The verb of saying `word` is one slip from."""
    if len(word) < 3 or not word.isalpha() or word in _FORMS or word in STOP_WORDS:
        return None
    near = [f for f in _SLIP_FORMS.get(word[0], ()) if _one_slip(word, f)]
    return near[0] if len(near) == 1 else None  # two near forms ("sais": said, says): no reading


def _said_slip(q: Question, m: re.Match[str]) -> Question | None:
    """ "What did Biden sya about inflation": read with the verb it is one slip from; the question's
    own words stay as typed (nothing corrected is shown as the user's)."""
    words = q.text.split(" ")
    for i in range(2, len(words)):
        verb = _slip_of(words[i])
        if verb is None:
            continue
        respelt = " ".join([*words[:i], verb, *words[i + 1 :]])
        said = _SAID.match(respelt)
        if said is None or said.start("verb") != len(" ".join(words[:i])) + 1:
            continue
        read = _said_active(replace(q, text=respelt), said)
        if read is not None:
            read.text = q.text
            return read
    return None


_SOURCE_OCCASION = re.compile(r"^(?P<who>.+?)\s+(?P<at>(?:at|during|in|on|while)\s+.+)$", re.I)


def _according(q: Question, m: re.Match[str]) -> Question | None:
    """ "What will X focus on, according to Y?": Y said it; a typed question keeps its kind, sourced."""
    if _SAID.match(q.text):
        return None
    inner = analyse(m.group("q") or m.group("q2"))
    who = (m.group("who") or m.group("who2")).strip()
    occasion = _SOURCE_OCCASION.match(who)
    if occasion is not None:  # "according to putin at apec": the source, and where they said it
        who = occasion.group("who")
        inner.topic = f"{inner.topic} {occasion.group('at')}".strip()
    if inner.kind in {"other", "yes_no"}:
        inner.kind, inner.subject, inner.verb = "said", who, "said"
        inner.topic = inner.text
    else:  # a typed or nested question ("how many …" / "what did Y say …, according to X")
        inner.source = who
    inner.text = q.text
    inner.names = list(dict.fromkeys(inner.names + [w for w in who.split() if w[:1].isupper()]))
    inner.name_groups = list(
        dict.fromkeys(
            inner.name_groups + [re.sub(r"(?:’s|'s)$", "", w.strip()) for w in _NAME_GROUP.findall(who)]
        )
    )
    return inner


def _who(q: Question, m: re.Match[str]) -> Question:
    q.kind, q.subject, q.topic = "who", m.group("who").strip(), m.group("who").strip()
    first = fold_words(q.subject)[:1]
    if first and first[0].endswith("ing") and first[0] not in _ROLE_WORDS:  # "who is leading the delegation"
        q.agent = first[0]
    q.agent_roles = tuple(w for w in dict.fromkeys(fold_words(q.subject)) if w in _ROLE_WORDS)
    return q


def _who_did(q: Question, m: re.Match[str]) -> Question | None:
    """ "Who paid for building the church", "who will lead the delegation": a typed question whose
    answer names the doer; read as any other ("other"), with the verb kept for its agent evidence."""
    verb = m.group("verb").lower()
    if verb in lexicon.words("questions.verbs.no_agent") or verb in STOP_WORDS:
        return None
    q.topic, q.agent = q.text, verb
    rest = fold_words(q.text[m.end() :])[:1]
    if rest and f"{verb}_{rest[0]}" in lexicon.synonyms():  # "who set up …": the phrase's class
        q.agent = f"{verb}_{rest[0]}"
    return q


DEFINE_WORDS = 6  # "what is <a noun phrase of at most this many words>" asks what it is


def _defines(q: Question, m: re.Match[str]) -> Question | None:
    """ "What is the Book of Torturers", "what is Build Back Better World": what a thing is, read as
    any other question ("other") with the head word of the thing kept for its definition evidence
    (its last word before "of"). Not one with a verb form in it ("what is Ukraine planning for …")."""
    thing = fold_words(m.group("thing"))
    if not thing or len(thing) > DEFINE_WORDS or any(w.endswith("ing") or w in _FORMS for w in thing):
        return None
    head = thing[: thing.index("of")] if "of" in thing[1:] else thing
    q.topic, q.defines = q.text, head[-1]
    return q


def _instance(q: Question, m: re.Match[str]) -> Question | None:
    """ "Which Italian singer did X quote", "what bakery did X found": a named thing of a kind is asked
    for, read as any other question with the kind's noun kept for instance evidence. Not a noun of
    another typed question ("what year", "which city", "what share"): those rules come first."""
    noun = m.group("noun").lower()
    if noun in _QUESTION_OPENERS:
        return None
    q.topic, q.instance = q.text, noun
    return q


# "what/which (one word) <noun> <auxiliary> …": the noun's instance is asked ("what gift did …").
_INSTANCE = re.compile(
    r"^(?:what|which)\s+(?:[\w’'-]+\s+)?(?P<noun>[a-z][\w-]*)\s+"
    r"(?:did|does|do|will|would|has|have|had|is|was|are|were|can|could)\s",
    re.I,
)


_DEFINE = re.compile(r"^what\s+(?:is|are)\s+(?:(?:the|a|an)\s+)?(?P<thing>[^,;:]+)$", re.I)


def _typed(kind: str) -> Callable[[Question, re.Match[str]], Question]:
    def read(q: Question, m: re.Match[str]) -> Question:
        q.kind, q.topic = kind, q.text
        how = _HOW_WORD.match(q.text)
        if how is not None and how.group(1).lower() in MEASURES:
            q.measure = how.group(1).lower()
        return q

    return read


@dataclass(frozen=True)
class QuestionRule:
    id: str
    pattern: re.Pattern[str]
    read: Callable[[Question, re.Match[str]], Question | None]  # None: not this rule after all


#: The question rules, tried in this order; the first that reads the question decides its kind.
RULES = (
    QuestionRule("said.reaction", _REACTION, _said),
    QuestionRule("said.verb", _SAID, _said_active),
    QuestionRule("said.by", _SAID_BY, _said),
    QuestionRule("said.verb_slip", _SAID_SLIP, _said_slip),
    QuestionRule("according_to", _ACCORDING_Q, _according),
    QuestionRule("who.is", _WHO, _who),
    QuestionRule("who.did", _WHO_DID, _who_did),
    QuestionRule("what.is", _DEFINE, _defines),
    QuestionRule("when", _WHEN, _typed("when")),
    QuestionRule("where", _WHERE, _typed("where")),
    QuestionRule("where.noun", _WHERE_NOUN, _typed("where")),
    QuestionRule("how_many", _HOW_MANY, _typed("how_many")),
    QuestionRule("why", _WHY, _typed("why")),
    QuestionRule("yes_no", _YES_NO, _typed("yes_no")),
    QuestionRule("what.instance", _INSTANCE, _instance),
)


def _name_group(group: str, question: str) -> str:
    """A run of capitalised words, less a question's opening words ("Who's Ned Price" → "Ned Price")."""
    words = group.split()
    if question.startswith(group.strip()):
        while words and _is_question_word(re.sub(r"(?:’s|'s)$", "", words[0])):
            words.pop(0)
    return re.sub(r"(?:’s|'s)$", "", " ".join(words))


def _is_question_word(word: str) -> bool:
    return word.lower() in _QUESTION_OPENERS


_FOLLOW_UP = re.compile(
    rf"^(?:(?:{lexicon.alternation(lexicon.words('questions.words.follow_up'))})\b[\s,]*)+"
    rf"(?=(?:{lexicon.alternation(_QUESTION_OPENERS)})\b)",
    re.I,
)


def without_follow_up(text: str) -> str:
    """The question less the words a follow-up opens with (`questions.words.follow_up`): "and what
    did Putin say about it?" is "what did Putin say about it?"; "and Putin?" stays as typed."""
    return _FOLLOW_UP.sub("", text)


_ANOTHER = re.compile(
    rf"^(?:{lexicon.alternation(lexicon.words('questions.words.another'))})\s+(?P<who>[^?]+?)\s*\??$", re.I
)


def another_subject(text: str) -> str | None:
    """Whom a follow-up that only names someone asks about ("and Erdogan?" → "Erdogan"), else None."""
    m = _ANOTHER.match(text)
    return m.group("who") if m else None


def vague_topic(q: Question) -> bool:
    """A said-question whose topic only stands for the one before ("what did Putin say about it?")."""
    return q.kind == "said" and bool(q.topic) and set(fold_words(q.topic)) <= VAGUE_TOPIC | STOP_WORDS


def with_context(text: str, subject: str | None) -> str:
    """Put the previous question's subject in place of `he`/`she`/`they` in a follow-up."""
    if not subject or not PRONOUN_RE.search(text):
        return text

    def sub(m: re.Match[str]) -> str:
        word = m.group(1).lower()
        return f"{subject}’s" if word in {"his", "their"} else subject

    return PRONOUN_RE.sub(sub, text, count=1)
