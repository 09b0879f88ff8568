"""Who said each sentence: direct and reported speech, tweets, transcripts, pronouns and roles.

Runs once per article at index time, so "What did X say?" is a lookup of X's sentences.
Rules cover the ways news copy attributes speech:

- `“…,” Blinken said` / `…, the ministry noted.` / `…, said Ned Price.` (speaker after)
- `Blinken said (that) …` / `Last week, Çavuşoğlu urged …` / `X told reporters …` (before)
- `According to X, …`, transcript labels `Vladimir Putin: …`
- `he said`, `the minister said`: resolved to the most recent compatible person or body
- quotes running over several sentences, attributed only on one of them
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.text import fold

SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stressed|stresses|urged|urges|warned|warns|"
    "tweeted|tweets|wrote|writes|stated|states|explained|explains|emphasi[sz]ed|emphasi[sz]es|"
    "underlined|underscored|highlighted|pointed out|announced|announces|argued|argues|claimed|claims|"
    "insisted|insists|asked|asks|replied|responded|declared|declares|pledged|pledges|promised|"
    "remarked|commented|continued|called|described|acknowledged|admitted|confirmed|denied|suggested|"
    "recalled|concluded|assured|reiterated|mentioned|informed|believes|thinks|proposed|demanded|"
    "vowed|accused|praised|criticized|criticised|condemned|welcomed|expressed|posted|cautioned|"
    "predicted|estimated|observed|affirmed|maintained|reported|revealed|indicated|alleged|shared"
)
_VERB = rf"(?:{SPEECH_VERBS})"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ]"
_WORD = r"[\w.’'-]+"
_TWITTER = re.compile(r"\b(?:tweet|Twitter|on X\b|social media|Facebook|Telegram|Instagram|posted)", re.I)

PRONOUNS = {"he", "she", "they", "we", "i", "it"}
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
# Words that say what someone is rather than who (roles, offices, bodies, nationalities).
ROLE_WORDS = set(
    """
    minister ministry president presidential secretary spokesman spokeswoman spokesperson department
    chancellor governor senator mayor prime foreign interior defence defense general director chief
    chairman chairwoman chair leader ambassador envoy official officials adviser advisor press
    speaker representative commissioner king queen pope deputy vice head office council committee
    government agency service administration kremlin cabinet parliament assembly party police army
    military ministers affairs state security national senior assistant attorney justice court judge
    spokespeople commander minority majority candidate member congressman congresswoman first lady
    prosecutor chairperson ceo founder executive manager coordinator counselor counsellor said
    according house white authorities authority organization organisation union commission board
    bureau embassy delegation mission regime ministry's statement wife husband spouse son daughter
    region republic acting associate
    """.split()
)
ORG_HEADS = {
    "ministry",
    "department",
    "office",
    "council",
    "committee",
    "government",
    "agency",
    "service",
    "administration",
    "kremlin",
    "cabinet",
    "parliament",
    "assembly",
    "party",
    "police",
    "army",
    "military",
    "house",
    "court",
    "commission",
    "board",
    "bureau",
    "embassy",
    "delegation",
    "mission",
    "union",
    "organization",
    "organisation",
    "authorities",
    "regime",
    "congress",
    "senate",
}
_ROLE_LC = "|".join(sorted((w for w in ROLE_WORDS | ORG_HEADS if w.isalpha()), key=len, reverse=True))
# A speaker phrase: pronoun, "the <role words>", or capitalised words with role words/of/and between.
_PHRASE = (
    rf"(?:he|she|they|we|I|(?:[Tt]he\s+|[Hh]is\s+|[Hh]er\s+)?"
    rf"(?:[a-z][\w-]*\s+(?:[a-z][\w-]*\s+)?(?=(?:{_ROLE_LC})\b)"  # "opposition leader …"
    rf"|(?:[a-z][\w-]*\s+){{1,3}}(?={_CAP}))?"  # "harbour master Carl Dahl", "local resident …"
    rf"(?:{_CAP}{_WORD}|(?:{_ROLE_LC})\b)"
    rf"(?:\s+(?:{_CAP}{_WORD}|of(?:\s+the)?|and|for|de|von|van|al|bin|(?:{_ROLE_LC})\b)){{0,11}})"
)
_PHRASE_RE = re.compile(_PHRASE)
_AUX_TAIL = re.compile(r"\s+(?:has|had|also|then|later|once|again|have)$")
# Phrase openers that never name a speaker: pronouns of things, quantifiers, generic groups.
_SKIP_PHRASES = set(
    "it this that there which who what report statement study many some others most few several all both "
    "each critics analysts experts witnesses observers residents sources reports protesters people "
    "officials authorities".split()
)
# Sentence openers glued to a name without a comma ("Then Blinken said", "On Monday Blinken said").
_OPENER = re.compile(
    r"^(?:(?:Then|Meanwhile|Later|Earlier|Also|However|But|And|So|Still|Now|Today|Tonight|Yesterday|"
    r"Instead|Separately|Finally|Overall|Afterwards|Previously|Subsequently|Ultimately)\s+|"
    r"(?:On|In|At|By|Last|This|Next|Since|As|When|While|After|Before)\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|\d[\d,]*)(?:\s+\d{1,4})?,?\s+)+"
)
_INVERTED = re.compile(
    rf"[,”\"]\s*(?P<verb>said|says|added|noted|wrote|tweeted|stated|told)\s+(?P<who>{_PHRASE})(?=[\s,.;]|$)"
)
_BEFORE = re.compile(
    rf"^(?:[^“”\",]{{0,60}},\s+)?(?P<who>{_PHRASE})\s+(?:has\s+|had\s+|also\s+|later\s+|then\s+|once\s+|on\s+\w+\s+)?(?P<verb>{_VERB})\b"
)
_INTERJECTED = re.compile(rf"^(?P<who>{_PHRASE}),\s+[^,“”\"]{{1,80}},\s+(?P<verb>{_VERB})\b")
_COLON_QUOTE = re.compile(
    rf"^(?:[^“”\",]{{0,60}},\s+)?(?P<who>{_PHRASE})\s+[a-z]\w*(?:\s+[^\s:“”\"]+){{0,8}}:\s*[“\"]"
)
_ACCORDING_BY = re.compile(
    rf"\b[Aa]ccording to (?:a|an|the|his|her)\s+(?:\w+\s+){{0,3}}?(?:by|from)\s+(?P<who>{_PHRASE})"
)
_ACCORDING = re.compile(rf"\b[Aa]ccording to (?P<who>(?:the\s+)?{_CAP}[^,;“”\"]{{1,80}}?),")
_LABEL = re.compile(rf"^(?P<who>{_CAP}[\w.’' -]{{1,100}}?)(?:\s*\([^)]{{1,40}}\))?:\s+\S")


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str:
    """Folded form of a name word that meets its transliterations (Zelensky/Zelenskyy/Zelenskiy)."""
    w = fold(word).strip(".’'-")
    w = re.sub(r"(?:iy|yy|ii|y|i)$", "y", w) if len(w) > 4 else w
    return re.sub(r"(.)\1+", r"\1", w)


@dataclass
class Entity:
    """A person or body as a phrase names it: name words (`ned`, `price`) and role words."""

    display: str
    names: tuple[str, ...]
    roles: frozenset[str] = field(default_factory=frozenset)
    org: bool = False

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(name_key(n) for n in self.names)


# Words of country names and nationalities: they say where someone is from, never who they are
# ("United States Secretary of State Antony Blinken", "Russian President Vladimir Putin").
_PLACE_WORDS = set("united states kingdom nations european union u.s us uk usa eu un".split())
_NATIONALITY = re.compile(r"[a-z]{3,}(?:ian|ese|ish|ean|can|ian's)")


def parse_phrase(phrase: str) -> Entity | None:
    """Split a speaker phrase into name and role words ("Turkish Foreign Minister Mevlüt Çavuşoğlu")."""
    phrase = _OPENER.sub("", phrase.strip(" ,.;:“”\"'’"))
    phrase = re.sub(r"^(?:the|his|her|their|a|an)\s+", "", phrase, flags=re.I)
    phrase = re.sub(r"’s$|'s$", "", phrase)
    words = phrase.split()
    if not words or len(words) > 10:
        return None
    folded = [fold(w).strip(".’'-") for w in words]
    if all(w[:1].islower() for w in words):
        return Entity(display=" ".join(words), names=(), roles=frozenset(folded))  # "the ministry"
    if folded[-1] in ORG_HEADS or (len(folded) > 1 and folded[-2] in ORG_HEADS and folded[-1] in {"office"}):
        # A body: its whole phrase (minus leading role adjectives kept) is its name.
        return Entity(
            display=" ".join(words),
            names=tuple(f for f in folded if f not in {"of", "and", "the"}),
            roles=frozenset(folded),
            org=True,
        )
    # "President of Brazil Jair Bolsonaro": the "of <Place>" after a role word is part of the role.
    roleish = [f in ROLE_WORDS or f in _PLACE_WORDS for f in folded]
    for k in range(len(folded) - 1):  # "Russian President": a nationality before a role word
        if _NATIONALITY.fullmatch(folded[k]) and folded[k + 1] in ROLE_WORDS:
            roleish[k] = True
    for k in range(1, len(words) - 1):
        if folded[k] == "of" and roleish[k - 1]:
            j = k + 1
            while j < len(words) and (folded[j] in {"the", "of", "and"} or roleish[j] or j == k + 1):
                roleish[j] = True
                j += 1
    # Runs of capitalised non-role words after a role word; the name is the last run of two or
    # more words ("White House COVID-19 Response Coordinator Jeff Zients" → "Jeff Zients").
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(words):
        if words[k][:1].isupper() and not roleish[k] and any(roleish[:k]):
            end = k
            while end < len(words) and words[end][:1].isupper() and not roleish[end]:
                end += 1
            runs.append((k, end))
            k = end
        else:
            k += 1
    long_runs = [r for r in runs if r[1] - r[0] >= 2] or [r for r in runs if r[1] == len(words)]
    if long_runs:
        run_start, run_end = long_runs[-1]
        name_words = words[run_start:run_end]
        if len(name_words) >= 3 and len(set(name_words)) < len(name_words):
            name_words = name_words[:2]  # "Jair Bolsonaro Bolsonaro Jair…": a garbled transcript label
        return Entity(
            display=" ".join(name_words),
            names=tuple(fold(w).strip(".’'-") for w in name_words),
            roles=frozenset(f for f in folded[:run_start] if f not in {"of", "and", "for", "the"}),
        )
    # Name = trailing run of capitalised words that are not role words.
    i = len(words)
    while i > 0 and words[i - 1][:1].isupper() and not roleish[i - 1]:
        i -= 1
    if i > 0 and words[i - 1].lower() in {"bin", "al", "de", "von", "van"}:
        i -= 1
    name_words = words[i:]
    roles = frozenset(f for f in folded[:i] if f not in {"of", "and", "for", "the"})
    if not name_words:
        if roles:
            return Entity(display=" ".join(words), names=(), roles=roles)
        return None
    if len(name_words) > 5:
        return None
    return Entity(
        display=" ".join(name_words), names=tuple(fold(w).strip(".’'-") for w in name_words), roles=roles
    )


@dataclass
class Attribution:
    speaker: str | None = None  # display name of the resolved speaker
    how: str = ""  # quote | reported | tweet | label | according | continued
    entity: Entity | None = None


def _is_quote(sentence: str) -> bool:
    """Direct speech, or part of it (an opening or a closing quotation mark)."""
    return sentence.lstrip()[:1] in "“\"‘'" or "“" in sentence or "”" in sentence or sentence.count('"') >= 2


def _candidate(sentence: str, para_start: bool) -> tuple[str, str] | None:
    """(speaker phrase, how) for the first attribution pattern the sentence matches."""
    if _FLOOR_QUESTION.match(sentence):
        return "", "question"
    m = _LABEL.match(sentence.lstrip("*· "))
    if m and _looks_like_label(m.group("who")) and (para_start or len(m.group("who").split()) >= 2):
        # A transcript label names a person: at least two words ("Vladimir Putin:"), never a
        # heading such as "Update:", "Photo:" or "Read More:".
        words = m.group("who").split()
        if len(words) >= 2 and words[0].lower() not in _HEADING_WORDS:
            return m.group("who"), "label"
    m = _INVERTED.search(sentence)
    if m:
        return m.group("who"), "quote"
    quoted = _is_quote(sentence)
    if quoted:
        after = _after(sentence)
        if after:
            return after[0], "tweet" if _TWITTER.search(after[1]) else "quote"
    m = _BEFORE.match(sentence)
    if m and m.group("who").split()[0].lower() not in _SKIP_PHRASES:
        how = "quote" if quoted else "reported"
        if _TWITTER.search(sentence[m.end() : m.end() + 40]) or m.group("verb").startswith("tweet"):
            how = "tweet"
        return m.group("who"), how
    m = _INTERJECTED.match(sentence)
    if m and m.group("who").split()[0].lower() not in _SKIP_PHRASES:
        return m.group("who"), "quote" if quoted else "reported"
    if quoted:
        m = _COLON_QUOTE.match(sentence)
        if m and m.group("who").split()[0].lower() not in _SKIP_PHRASES:
            return m.group("who"), "quote"
    m = _ACCORDING_BY.search(sentence)
    if m:
        return m.group("who"), "tweet" if _TWITTER.search(sentence) else "according"
    m = _ACCORDING.search(sentence)
    if m:
        return m.group("who"), "according"
    if not quoted:
        after = _after(sentence)
        if after:
            return after[0], "tweet" if _TWITTER.search(after[1]) else "reported"
    return None


# A question from the floor in a transcript: "Q: …", "Question: …", "Journalist: …".
_FLOOR_QUESTION = re.compile(
    r"^(?:(?:Q|QUESTION|Question|Journalist|JOURNALIST|Reporter|REPORTER|Audience member|AUDIENCE MEMBER|"
    r"Participant|PARTICIPANT)\s*(?:\([^)]{1,40}\))?\s*:\s"
    r"|Q\s+(?=[A-Z(]))"  # White House transcripts: "Q (As interpreted.) Michael Fischer, DPA. …"
)
_HEADING_WORDS = set(
    "update updated photo photos read watch note source sources editor related see video image caption "
    "credit advertisement breaking live more correction clarification disclaimer tags category".split()
)


def _looks_like_label(who: str) -> bool:
    """`Vladimir Putin`, `President of Brazil Jair Bolsonaro`: names, roles and `of`, nothing else."""
    words = who.split()
    return 0 < len(words) <= 14 and all(
        w[:1].isupper()
        or w.lower() in {"of", "the", "and", "de", "von", "van", "al", "bin"}
        or fold(w) in ROLE_WORDS
        for w in words
    )


def _after(sentence: str) -> tuple[str, str] | None:
    """(speaker phrase, text after the verb) for `…, X said …` with the speaker right before the verb."""
    for m in reversed(list(_VERB_RE.finditer(sentence))):
        rest = sentence[m.end() :]
        if any(q in rest for q in '“"'):
            continue  # `X said: “…”` is the speaker-before pattern
        before = _AUX_TAIL.sub("", sentence[: m.start()].rstrip())
        cut = max(before.rfind(c) for c in ',”";:—–')
        if cut < 0:
            continue
        who = before[cut + 1 :].strip()
        if who and _PHRASE_RE.fullmatch(who) and who.split()[0].lower() not in _SKIP_PHRASES:
            return who, rest
    return None


_VERB_RE = re.compile(rf"\b{_VERB}\b")
_NAME_RUN = re.compile(rf"((?:{_CAP}[\w’'-]+\.?\s+(?:of\s+(?:the\s+)?)?){{0,6}}{_CAP}[\w’'-]+)")


class _Memory:
    """Who the article has named so far, for resolving `he` and `the minister`."""

    def __init__(self) -> None:
        self.people: list[Entity] = []  # most recent last
        self.speakers: list[Entity] = []

    def note_mentions(self, sentence: str) -> None:
        """Remember people named in passing: two or more capitalised words ("Jonas Lind"), or one
        that is the surname of someone already named. A lone "Kyiv" or "Friday" is not a person."""
        known = {k for e in self.people for k in e.keys}
        for m in _NAME_RUN.finditer(sentence):
            ent = parse_phrase(m.group(1))
            if not ent or not ent.names or ent.org or set(ent.names) & _CALENDAR:
                continue
            if len(ent.names) >= 2 or ent.roles or ent.keys <= known:
                self._push(self.people, ent)

    def note_speaker(self, ent: Entity) -> None:
        self._push(self.speakers, ent)
        self._push(self.people, ent)

    @staticmethod
    def _push(stack: list[Entity], ent: Entity) -> None:
        for i, old in enumerate(stack):
            if ent.names and old.names and (ent.keys <= old.keys or old.keys <= ent.keys):
                # Same person named again: keep the fuller name, merge roles, move to top.
                best = old if len(old.names) >= len(ent.names) else ent
                stack.pop(i)
                stack.append(Entity(best.display, best.names, old.roles | ent.roles, best.org))
                return
        stack.append(ent)

    def resolve_pronoun(self) -> Entity | None:
        """`he said`: the person named most recently, as a speaker or in passing."""
        people = [e for e in self.people if not e.org]
        return people[-1] if people else None

    def resolve_role(self, roles: frozenset[str]) -> Entity | None:
        """`the minister` → the latest body or person with that role; else the latest speaker."""
        head = roles & (ROLE_WORDS | ORG_HEADS)
        known = list(reversed(self.speakers + self.people))
        # "the President of Ukraine": first someone with every word of it, then any president.
        for wanted in (roles - {"the", "of", "and"}, head):
            for ent in known:
                if wanted and wanted <= (ent.roles | set(ent.names)):
                    return ent
        if head & ORG_HEADS or not head or any(w.endswith("s") and w[:-1] in ROLE_WORDS for w in head):
            return None  # "the ministry" no one named, or a plural ("officials"): nobody in particular
        people = [e for e in self.speakers if not e.org]
        return people[-1] if people else None


_AUTHORED_TITLE = re.compile(
    r"^(?:Statement|Remarks|Op-Ed|Letter|Message|Address|Readout|Press Statement|Opening Remarks|"
    r"Video Message|Interview|Tweet)s?\s+(?:by|from|of)\s+(?P<who>.+?)"
    r"(?:\s+(?:on|at|to|for|in|before|after|during|regarding|about|and)\s|,|:|$)"
)


def title_author(title: str) -> Entity | None:
    """The speaker a release is by, from its title: "Statement by Press Secretary Jen Psaki on …"."""
    m = _AUTHORED_TITLE.match(title.strip())
    if not m:
        return None
    ent = parse_phrase(m.group("who"))
    return ent if ent is not None and ent.names else None


def attribute(sentences: list[str], paragraphs: list[int], title: str = "") -> list[Attribution]:
    """One `Attribution` per sentence of an article (speaker None where nobody speaks).

    Sentences of a release titled "Statement by X …" that nobody else is said to speak are X's
    (how = "statement"); in a transcript, a speaker label holds until the next label.
    """
    memory = _Memory()
    author = title_author(title) if title else None
    if author is not None:
        memory.note_speaker(author)
    out: list[Attribution] = []
    prev_para = -1
    for k, (sent, para) in enumerate(zip(sentences, paragraphs, strict=True)):
        para_start = para != prev_para
        prev_para = para
        found = _candidate(sent, para_start)
        attr = Attribution()
        if found:
            phrase, how = found
            ent = _resolve(phrase, memory)
            if ent is not None:
                attr = Attribution(ent.display, how, ent)
            elif how == "question":
                attr = Attribution(None, "question", None)
        memory.note_mentions(sent)
        if attr.entity is not None:
            memory.note_speaker(attr.entity)
        out.append(attr)
        del k
    _spread_quotes(sentences, paragraphs, out)
    _spread_labels(out)
    for i, a in enumerate(out):
        if a.how == "question":  # a question from the floor: nobody's, not even the release's author
            out[i] = Attribution()
        elif author is not None and a.entity is None:
            out[i] = Attribution(author.display, "statement", author)
    return out


def _spread_labels(attrs: list[Attribution]) -> None:
    """In a transcript, sentences after `Name: …` are Name's until the next label (a question
    from the floor, `Q: …`, is nobody's)."""
    current: Attribution | None = None
    for i, a in enumerate(attrs):
        if a.how in {"question", "label"}:
            current = a
        elif current is not None and a.entity is None:
            attrs[i] = Attribution(current.speaker, current.how, current.entity)


def _resolve(phrase: str, memory: _Memory) -> Entity | None:
    if not phrase.strip():
        return None
    first = phrase.split()[0].lower()
    if first in PRONOUNS:
        if first in {"i", "we", "it"}:
            return None
        if first == "they":  # a body ("the ministry … they said"), never one person
            return next((e for e in reversed(memory.speakers + memory.people) if e.org), None)
        return memory.resolve_pronoun()
    if first in _SKIP_PHRASES:
        return None
    ent = parse_phrase(phrase)
    if ent is not None and ent.names and ent.names[0] in _SKIP_PHRASES:
        return None
    if ent is None:
        return None
    if not ent.names:
        return memory.resolve_role(ent.roles)
    if len(ent.names) == 1:  # a surname alone: the full name seen earlier, if any
        for old in reversed(memory.people):
            if ent.keys <= old.keys and not old.org:
                return Entity(old.display, old.names, old.roles | ent.roles, old.org)
    return ent


def _attributed_tail(sentence: str) -> bool:
    """Words after the closing quote (`…,” Volodymyr Zelenskyy summed.`): the sentence names its own
    speaker, even one no rule could read, so it never continues someone else's quote."""
    end = max(sentence.rfind("”"), sentence.rfind('"'))
    return end >= 0 and re.search(r"[A-Za-z]{2,}", sentence[end + 1 :]) is not None


def _spread_quotes(sentences: list[str], paragraphs: list[int], attrs: list[Attribution]) -> None:
    """Give an unattributed quote the speaker of the quote it continues (same or next paragraph)."""
    # `"Our house is burning." Macron told the world via Twitter.`: a short attribution after a quote.
    for i in range(len(sentences) - 1):
        nxt = attrs[i + 1]
        if (
            not attrs[i].speaker
            and nxt.entity is not None
            and sentences[i].lstrip()[:1] in '“"'
            and not _is_quote(sentences[i + 1])
            and len(sentences[i + 1]) < 150
            and nxt.how in {"reported", "tweet"}
            and paragraphs[i + 1] - paragraphs[i] <= 1
        ):
            attrs[i] = Attribution(nxt.speaker, "tweet" if nxt.how == "tweet" else "quote", nxt.entity)
    for i in range(1, len(sentences)):
        if attrs[i].speaker or not _is_quote(sentences[i]) or _attributed_tail(sentences[i]):
            continue
        prev = attrs[i - 1]
        if (
            prev.entity is not None
            and prev.how in {"quote", "continued", "label", "tweet"}
            and (paragraphs[i] - paragraphs[i - 1] <= 1)
        ):
            attrs[i] = Attribution(prev.speaker, "continued", prev.entity)
    # An opening quote whose attribution comes in a later sentence of the same paragraph.
    for i in range(len(sentences) - 2, -1, -1):
        nxt = attrs[i + 1]
        if (
            not attrs[i].speaker
            and nxt.entity is not None
            and paragraphs[i] == paragraphs[i + 1]
            and _is_quote(sentences[i])
            and nxt.how in {"quote", "continued"}
        ):
            attrs[i] = Attribution(nxt.speaker, "continued", nxt.entity)
