"""The attribution rules: an ordered table, each rule with an id, tried in order on a sentence.

The first rule that matches gives the speaker phrase as written (and its span), the cue (the
verb, `according to`, the label's colon) and how the sentence is attributed. Resolving the
phrase to a person (`he` → the nearest compatible mention) is `bot.attribution.rule_based`'s
job. Word lists come from the shared lexicon, so a verb added there is read by every rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.attribution.phrases import (
    CALENDAR,
    CAPTION_MARKS,
    NOT_SPEAKERS,
    ORG_HEADS,
    ROLE_WORDS,
    first_name_gender,
    is_first_name,
    participle,
    places,
)
from bot.attribution.quote_marks import quoted_spans
from bot.attribution.records import How
from bot.entities.lexicon import country_of
from bot.lexicon import alternation, inflect, speech_verb_forms, words
from bot.text import STOP_WORDS, fold


@dataclass(frozen=True)
class Found:
    """What a rule read: the speaker phrase and its span, the cue span, how."""

    who: str
    who_span: tuple[int, int]
    cue_span: tuple[int, int] | None
    how: How | None  # None: a question from the floor (nobody's, and it ends a label's run)


@dataclass(frozen=True)
class Rule:
    id: str
    doc: str
    find: Callable[[str, bool], Found | None]  # (sentence, starts a paragraph) → Found


# --- building blocks -------------------------------------------------------------------------

_STRONG = speech_verb_forms("speech.verbs.pure", "speech.verbs.act")
_WEAK_LEMMAS = words("speech.verbs.weak")
_WEAK = frozenset(f for lemma in _WEAK_LEMMAS for f in inflect(lemma))
# Finite forms only: "X saying" or "to say" attribute nothing.
_LEMMAS = words("speech.verbs.pure", "speech.verbs.act")
# Inflected forms (said, says, warned): a base form ("state", "note", "call") is as often a noun,
# so it counts only after an auxiliary or a plural subject (`_BASE`).
_FINITE = frozenset(f for lemma in _LEMMAS for f in inflect(lemma)[1:] if not f.split()[0].endswith("ing"))
_GERUND = frozenset(f for lemma in _LEMMAS for f in inflect(lemma)[1:] if f.split()[0].endswith("ing"))
_VERB = rf"(?:{alternation(_FINITE)})"
_BASE = rf"(?:{alternation(_LEMMAS)})"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ]"
_WORD = r"[\w.’'-]+"
_SOCIAL = re.compile(rf"\b(?:{alternation(words('speech.nouns.social'))})\b", re.I)
_STATEMENT = re.compile(
    r"^[^“”\"]{0,40}?\b(?:in|via|through)\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+){0,2}?"
    r"(?:statement|release|news release|press release)\b",
    re.I,
)
_ROLE_LC = alternation({w for w in ROLE_WORDS | ORG_HEADS if w.replace("-", "").isalpha()})
_PARTICLE = r"of(?:\s+the)?|and|for|de|von|van|al|bin|el|la|le|du|da|ibn|abu"
# A speaker phrase: pronoun, "the <role words>", or capitalised words with role words/of/and between.
PHRASE = (
    rf"(?:(?:he|she|they|we|I)\b|(?:[Tt]he\s+|[Hh]is\s+|[Hh]er\s+|[Tt]heir\s+|[Aa]n?\s+)?"
    rf"(?:[a-z][\w’'-]*\s+(?:[a-z][\w’'-]*\s+)?(?=(?:{_ROLE_LC})\b)"  # "opposition leader …", "city’s mayor"
    rf"|(?:[a-z][\w-]*\s+){{1,3}}(?={_CAP}))?"  # "harbour master Carl Dahl", "local resident …"
    rf"(?:(?i:{_ROLE_LC})s?\s+to(?:\s+the)?(?=\s+{_CAP})|{_CAP}{_WORD}|(?:{_ROLE_LC})s?\b)"
    rf"(?:\s+(?:(?i:{_ROLE_LC})s?\s+to(?:\s+the)?(?=\s+{_CAP})"  # "Ambassador to the United Nations X"
    rf"|{_CAP}{_WORD}|{_PARTICLE}|(?:{_ROLE_LC})s?\b|\d+(?:st|nd|rd|th)\b(?=\s+{_CAP}))){{0,11}}"
    rf"(?:\s+(?:for|of)\s+(?:the\s+)?{_CAP}{_WORD}(?:\s+{_CAP}{_WORD}){{0,3}})?)"  # "a spokesman for X"
)
PHRASE_RE = re.compile(PHRASE)
_AUX = rf"(?:{alternation(words('attribution.words.auxiliaries'))})"
_MODAL = (
    r"(?:(?:did|does|do|would|could|should|has|have|had|is|was|are|were|wo|ca)n[’']t|did|does|do|will|would|could"
    r"|can|may|might|should|must|to)"
)
_BE = r"(?:is|was|are|were|has\s+been|had\s+been|have\s+been|been)"
_ADVERB = r"(?:[a-z]+ly)"
# A verb group: "said", "has also said", "is calling", "did not say", "would later tell".
VERB_GROUP = re.compile(
    rf"(?:(?<=\w)(?:’s|'s|’ve|'ve|’d|'d)\s+|\b)(?P<aux>(?:(?:{_AUX}|{_ADVERB}|not|n’t|n't)\s+)*)"
    rf"(?:(?P<verb>{_VERB})|(?:{_BE}\s+|(?<=’s\s)|(?<='s\s))(?:(?:{_ADVERB}|also|not)\s+)*(?P<ger>{alternation(_GERUND)})"
    rf"|{_MODAL}\s+(?:(?:{_ADVERB}|also|not|later|then)\s+)*(?P<base>{_BASE}))\b"
)
_AUX_TAIL = re.compile(rf"\s+(?:{_AUX})$", re.I)
_DAY = rf"(?i:{alternation(words('calendar.words.weekdays'))})"
_NOUNS = rf"(?:{alternation(words('speech.nouns.speech'))})"
_NOUNS_EARLY = _NOUNS
_THAT = re.compile(r"^\s*(?:,\s*)?(?:that\b|:|[“\"‘]|''|,\s*[“\"])")


def _ok_phrase(who: str) -> bool:
    if fold(who) in {"the", "a", "an"}:
        return False
    if fold(who.split()[-1]).strip(".’'") in CAPTION_MARKS:
        return False  # "Jonas Lind Image": a photo caption
    first = fold(who.split()[0]).strip(".’'")
    return first not in NOT_SPEAKERS or first in {"he", "she", "they", "we", "i"}


def _verb_ok(verb: str, rest: str) -> bool:
    """A weak verb ("called", "attacked") reports speech only with a that-clause or a quotation."""
    v = fold(verb)
    return v not in _WEAK or bool(_THAT.match(rest))


def _how(sentence: str, quoted: bool, rest: str) -> How:
    if _SOCIAL.search(rest[:60]):
        return How.TWEET
    if _STATEMENT.match(rest):
        return How.STATEMENT
    return How.QUOTE if quoted else How.REPORTED


def is_quote(sentence: str) -> bool:
    """Direct speech, or part of it (an opening or a closing quotation mark)."""
    return (
        sentence.lstrip()[:1] in "“\"‘'"
        or "“" in sentence
        or "”" in sentence
        or sentence.count('"') >= 2
        or sentence.count("''") >= 2
    )


def _span(m: re.Match[str], group: str) -> tuple[int, int]:
    return m.start(group), m.end(group)


# --- the rules --------------------------------------------------------------------------------

_FLOOR_WORDS = words("attribution.words.floor_labels")
_FLOOR_LABELS = alternation(_FLOOR_WORDS)
_FLOOR = re.compile(
    rf"^(?P<who>(?i:{_FLOOR_LABELS}))\s*(?:\([^)]{{1,40}}\))?\s*(?P<cue>:)\s"
    r"|^(?P<who2>Q)(?P<cue2>\s+)(?=[A-Z(])"  # White House transcripts: "Q (As interpreted.) …"
)


def _floor_question(sentence: str, para_start: bool) -> Found | None:
    m = _FLOOR.match(sentence)
    if not m:
        return None
    g = "who" if m.group("who") else "who2"
    return Found(m.group(g), _span(m, g), _span(m, "cue" if g == "who" else "cue2"), None)


# An interview's turn: "((Ines Holm)) We began in 2017." / "((WN)) : When did you begin?"
_INTERVIEW_LABEL = re.compile(r"^(?P<cue>\(\()(?P<who>[^()\s][^()]{0,58}?)\)\)\s*:?\s*(?=\S)")


def _interview_label(sentence: str, para_start: bool) -> Found | None:
    """A name in double brackets opening a paragraph labels an interview's turn; the interviewer's
    (a floor label, "((WN))", or initials such as "((JL))") asks, and a question is nobody's."""
    m = _INTERVIEW_LABEL.match(sentence)
    if not m or not para_start:
        return None
    who = m.group("who").strip()
    asks = fold(who) in _FLOOR_WORDS or (who.isupper() and len(who) <= 4 and who.isalpha())
    return Found(who, _span(m, "who"), _span(m, "cue"), None if asks else How.LABEL)


# "Vladimir Putin:(answering a question …) …": a stage direction may follow the colon unspaced.
_LABEL = re.compile(rf"^(?P<who>{_CAP}[\w.’' –-]{{1,160}}?)(?:\s*\([^)]{{1,40}}\))?(?P<cue>:)(?:\s+\S|\()")
# Section marks a transcript page sets before a speaker's turn ("*** ", "<…> ", "[…] "): cut before a label.
_SECTION_MARK = re.compile(r"^(?:[*·\s]|<…>|<\.\.\.>|\[…\]|\[\.\.\.\]|…)+")


def opens_section(sentence: str) -> bool:
    """The sentence opens with a section mark ("*** President …: …"): a break in the text, as a new
    paragraph is, where a page lost the line break before it."""
    m = _SECTION_MARK.match(sentence)
    return m is not None and bool(m.group().strip())


# A heading run into the first label of its transcript ("Beginning of talks with X President of
# Russia Vladimir Putin: …"): unpunctuated words, then a role and a name, and the colon.
_HEADED_LABEL = re.compile(
    rf"^(?P<head>{_CAP}[^.!?;:“”\"()]{{2,160}}?)\s(?P<who>{_CAP}[\w.’' –-]{{1,120}}?)(?P<cue>:)\s+\S"
)
_LABEL_CONNECTORS = {"of", "the", "and"}
_HEADINGS = words("attribution.words.headings")
_CAPTION = words("attribution.words.caption_marks", "attribution.words.photo_agencies")
_LABEL_WORDS = {"of", "the", "and", "de", "von", "van", "al", "bin", "jr", "sr"}


# A label the page garbled with its speaker card ("Carl Dahl Dahl CarlMayor of …"): a
# capitalised word written twice running.
_DOUBLED = re.compile(rf"\s((?P<w>{_CAP}[\w’'-]+))\s+(?P=w)\s+{_CAP}")
_QUOTED_LABEL = re.compile(r"^[“\"][A-Z][A-Z.’' -]{2,40}:\s")


def _label(sentence: str, para_start: bool) -> Found | None:
    """A transcript label names a person: at least two words ("Vladimir Putin:"), or one in capitals
    at a paragraph's start ("TRUMP:"); never a heading such as "Update:", "Photo:" or "Read More:".
    After a section mark ("*** ", "<…> ") as at a sentence's start."""
    mark = _SECTION_MARK.match(sentence)
    lead = mark.end() if mark else 0
    if _QUOTED_LABEL.match(sentence[lead:]):
        lead += 1  # `"WALLACE: Do you …`: a transcript quoted whole, its label inside the mark
    found = _plain_label(sentence, lead, para_start)
    if found is None and lead > 0:
        found = _label_with_affiliation(sentence, lead)
    return found


# "<…> Jo Lee, Harbour R&D Centre, Port Authority: Mr President, …": after a section mark, a label
# may give the speaker's affiliation after a comma; the speaker is the name before it.
_AFFILIATED_LABEL = re.compile(
    rf"^(?P<who>{_CAP}[\w’'-]+(?:\s+{_CAP}[\w’'-]+){{1,3}}),\s+{_CAP}[^:]{{2,120}}?(?P<cue>:)\s+\S"
)


def _label_with_affiliation(sentence: str, lead: int) -> Found | None:
    m = _AFFILIATED_LABEL.match(sentence[lead:])
    if not m or not _speech_after_label(sentence[lead + m.end("cue") :].lstrip()):
        return None
    if any(fold(w) in ROLE_WORDS | ORG_HEADS for w in m.group("who").split()):
        return None  # "Ministry of Energy, …:" or a role: not a person's name before the comma
    return Found(
        m.group("who"),
        (lead + m.start("who"), lead + m.end("who")),
        (lead + m.start("cue"), lead + m.end("cue")),
        How.LABEL,
    )


def _label_after_heading(sentence: str, para_start: bool) -> Found | None:
    mark = _SECTION_MARK.match(sentence)
    lead = mark.end() if mark else 0
    return _headed_label(sentence, lead, para_start or lead > 0)


# "Deputy Prime Minister – Envoy to the District, Chairman of the Commission Jo Lee: …": a label may
# list the speaker's offices, comma-separated, before the last one and the name.
_LISTED_ROLES = re.compile(rf"^(?P<roles>{_CAP}[^:.!?;“”\"()]{{2,200}}?,\s+)(?=\S)")
_ROLE_LIST_WORDS = _LABEL_WORDS | {"for", "to", "on", "in", "–", "-"}
LABEL_WORDS_MAX = 14  # words of a label's speaker…
ROLE_LABEL_WORDS_MAX = 24  # …or of one that opens with a role ("Chairman of the Cabinet of … Jo Lee")


def _plain_label(sentence: str, lead: int, para_start: bool) -> Found | None:
    m = _LABEL.match(sentence[lead:])
    if not m:
        listed = _LISTED_ROLES.match(sentence[lead:])
        if listed is None or not _offices(listed.group("roles").split()):
            return None
        after = sentence[lead + listed.end() :].split(maxsplit=1)
        if not after or fold(after[0]) not in ROLE_WORDS:
            return None  # "Judge Jo Lee, United States District Court:": a name and its court
        return _plain_label(sentence, lead + listed.end(), para_start)
    span, cue = (m.start("who") + lead, m.end("who") + lead), (m.start("cue") + lead, m.end("cue") + lead)
    who = m.group("who")
    doubled = _DOUBLED.search(who)
    if doubled:  # "Mayor Carl Dahl Dahl CarlMayor of …": the name before the repeat
        who = who[: doubled.end(1)]
        span = (span[0], span[0] + len(who))
    ws = who.split()
    most = ROLE_LABEL_WORDS_MAX if ws and fold(ws[0]) in ROLE_WORDS else LABEL_WORDS_MAX
    if not (0 < len(ws) <= most) or fold(ws[0]).strip(".") in _HEADINGS:
        return None
    ws = [w for w in ws if w not in ("–", "-")]  # "Deputy Mayor – Head of the Port Office Jo Lee:"
    joins = _ROLE_LIST_WORDS if most == ROLE_LABEL_WORDS_MAX else _LABEL_WORDS  # "Chairman of … for …"
    if not all(w[:1].isupper() or w.lower() in joins or fold(w) in ROLE_WORDS for w in ws):
        return None
    if any(fold(w).strip(".’'()") in _CAPTION or _glued_caption(w) for w in ws):
        return None  # "Jane Doe Image: U.S. Senate.", "Jane DoeImage: …": a photo caption and its credit
    if _heading_words(ws):
        return None
    # "President of Russia Vladimir Putin: Friends, Greetings to the Paralympic Games": a role and a
    # first name before the surname is a person's label, whatever title case the speech opens with
    person = len(ws) >= 3 and fold(ws[0]) in ROLE_WORDS and is_first_name(fold(ws[-2]))
    if not _speech_after_label(sentence[lead + m.end("cue") :].lstrip(), person):
        return None
    if len(ws) >= 2 and (para_start or len(ws) >= 2):
        return Found(who, span, cue, How.LABEL)
    if para_start and who.isupper() and len(who) >= 3:
        return Found(who, span, cue, How.LABEL)
    if para_start and len(who) >= 3 and sentence[lead + m.end("cue") :].lstrip()[:1] in '“"':
        return Found(who, span, cue, How.QUOTE)  # "Bush: “The mission is …”": a name and its quotation
    return None


def _offices(ws: list[str]) -> bool:
    """Words that list offices before a label's name: a role word first, then role words, capitalised
    words and their connectors ("Deputy Prime Minister – Envoy to the Far Eastern District,")."""
    folded = [fold(w).strip(",") for w in ws]
    return (
        bool(folded)
        and folded[0] in ROLE_WORDS
        and all(w[:1].isupper() or f in _ROLE_LIST_WORDS for w, f in zip(ws, folded, strict=True))
    )


def _glued_caption(word: str) -> bool:
    """ "DoeImage": a name run into the caption mark after it (a page that lost the space)."""
    w = word.strip(".’'()")
    return any(
        len(w) > len(mark) + 1
        and w[-len(mark)].isupper()
        and w[-len(mark) - 1].islower()
        and fold(w).endswith(mark)
        for mark in _CAPTION
    )


#: Capitalised words a label may hold between names and roles ("Minister for Foreign Affairs").
_HEADING_FREE = _LABEL_WORDS | {"for"}


def _heading_words(ws: list[str]) -> bool:
    """A capitalised heading before a colon, not a speaker's label ("HIS PROMISE TO STOP THE FLOOD …:",
    "On Sudan:", "MAKING AMERICA SAFE AGAIN:", "AND LOCAL COMMUNITIES:"): it holds a capitalised
    function word no name or role holds (a pronoun, a preposition, a verb like "is"), opens with a
    verb's -ing form, or opens or ends with "and". "THE PRESIDENT:", "MS. PSAKI:" and "PRESIDENT OF
    RUSSIA VLADIMIR PUTIN:" are labels."""
    folded = [fold(w).strip(".,’'") for w in ws]
    if folded[0] == "and" or folded[-1] == "and" or participle(ws[0].strip(".,")):
        return True
    return any(
        w[:1].isupper() and len(f) >= 2 and f in STOP_WORDS and f not in _HEADING_FREE
        for w, f in zip(ws, folded, strict=True)
    )


def _headed_label(sentence: str, lead: int, opens: bool) -> Found | None:
    """The label a heading runs into, at the start of a paragraph or after a section mark: the
    speaker is the last run of role words before the colon and the name after them ("Opening
    remarks at the summit President of Russia Vladimir Putin: Colleagues, …" → "President of Russia
    Vladimir Putin"), as a page that lost the line break between heading and turn prints it."""
    m = _HEADED_LABEL.match(sentence[lead:]) if opens else None
    if not m:
        return None
    run = f"{m.group('head')} {m.group('who')}".split()
    # the words before the colon that can be a label's: capitalised, or "of"/"the" between them
    k = len(run)
    while k > 0 and (run[k - 1][:1].isupper() or run[k - 1] in _LABEL_CONNECTORS):
        k -= 1
    if fold(run[-1]) in ROLE_WORDS | ORG_HEADS:
        return None  # "… Rosatom State Corporation:": no name
    roles = [i for i in range(k, len(run)) if fold(run[i]) in ROLE_WORDS]
    if not roles:
        return None  # no role before the name: a heading's own capitalised words
    start = roles[-1]
    while start > k and (fold(run[start - 1]) in ROLE_WORDS or run[start - 1] in _LABEL_CONNECTORS):
        start -= 1
    while run[start] in _LABEL_CONNECTORS:
        start += 1
    who = " ".join(run[start:])
    if _heading_words(run[start:]):
        return None  # "PRESIDENT TRUMP IS KEEPING HIS PROMISE TO …:": a heading, however long
    if len(run) - roles[-1] < 3 or not _speech_after_label(sentence[lead + m.end("cue") :].lstrip()):
        # two words at least after the role ("President of Russia Vladimir Putin", "Minister Jo Lee"):
        # not a title-case heading with one role-like word ("Ferries Halted by National Interests:")
        return None
    end = lead + m.end("who")
    span = (end - len(who), end)
    if sentence[span[0] : span[1]] != who:
        return None  # the words were spaced otherwise: no exact span to show
    return Found(who, span, (lead + m.start("cue"), lead + m.end("cue")), How.LABEL)


# `“…” ― Jo Lee.` / a line `― Jo Lee` after the quotation: a reader's or a source's signature.
_SIGNATURE = re.compile(
    rf"(?:^-?|(?<=[”\"])\s*)[―—–-]\s*(?P<who>{_CAP}[\w.’'-]*(?:\s+(?:{_CAP}[\w.’'-]*|de|van|von|al|bin)){{0,4}})"
    r"(?:,\s+[^,.]{1,60})?\.?\s*$"
)


# A credit with a longer role, and a date or occasion after it: `― Secretary of Energy Jo Lee`,
# `“…” – White House spokeswoman Jo Lee`, `― President Jo Lee, March 19, 2021`, `― Jo Lee on Labor Day`.
_CREDIT = re.compile(
    rf"(?:^-?|(?<=[”\"])\s*)[―—–-]\s*(?P<who>{_CAP}[\w.’'-]*(?:\s+(?:{_CAP}[\w.’'-]*|of(?:\s+the)?|for|"
    rf"to\s+the|and|de|van|von|al|bin|(?:{_ROLE_LC})\b)){{1,9}})"
    r"(?P<tail>(?:,\s+|\s+on\s+)[^“”\":]{1,120}?)?\.?\s*$"
)
_CREDIT_WORDS = frozenset("of the and for on to in at de".split())
_SIGNATURE_OPENERS = words("attribution.words.function_words")


def _credit(sentence: str) -> re.Match[str] | None:
    """A `_CREDIT` whose name ends in a capitalised word and whose tail, if any, is a role in title
    case or a date ("Senior Advisor and Coordinator", "UN Address September 21, 2021"), never a
    clause ("- In Ohio, officials arrested …", "- Jo Lee redesignated …")."""
    m = _CREDIT.search(sentence)
    if not m or not m.group("who").split()[-1][:1].isupper():
        return None
    tail = re.findall(r"[\w’'.-]+", m.group("tail") or "")
    if any(not (w[:1].isupper() or w[:1].isdigit() or w in _CREDIT_WORDS) for w in tail):
        return None
    return m


def _signature(sentence: str, para_start: bool) -> Found | None:
    m = _SIGNATURE.search(sentence) or _credit(sentence)
    if m and fold(m.group("who").split()[0]) in _SIGNATURE_OPENERS:
        return None  # "- In Norland, officials arrested …": a clause, not a credit
    if m and (m.start() == 0 or is_quote(sentence)) and len(m.group("who").split()) >= 2:
        tail = m.groupdict().get("tail") or ""
        name = tail.lstrip(", ").rstrip(". ")
        ws = name.split()
        if (
            tail.startswith(",")
            and 2 <= len(ws) <= 3
            and first_name_gender(fold(ws[0]))
            and fold(ws[0]) not in CALENDAR  # "…, March 19, 2021": a date
            and any(fold(w) in ROLE_WORDS for w in m.group("who").split())
            and not any(w[:1].isupper() and first_name_gender(fold(w)) for w in m.group("who").split())
        ):  # `― Ambassador to the Union, Jo Lee`: the role, then the name
            start = m.start("tail") + tail.index(name)
            return Found(name, (start, start + len(name)), (m.start(), m.start("who")), How.QUOTE)
        return Found(m.group("who"), _span(m, "who"), (m.start(), m.start("who")), How.QUOTE)
    h = _HEADED_QUOTE.search(sentence)  # "HEADLINE - Jo Lee: “…”": a digest's item and its source
    if h:
        return Found(h.group("who"), _span(h, "who"), _span(h, "cue"), How.QUOTE)
    return None


_HEADED_QUOTE = re.compile(
    rf"\s[-—–]\s+(?P<who>{_CAP}[\w.’'-]*(?:\s+(?:{_CAP}[\w.’'-]*|and)){{1,6}})(?P<cue>:)\s*[“\"]"
)


def caption_line(sentence: str) -> bool:
    """A photo caption or credit shaped like a label ("Jane Doe Image: U.S. Senate.", "Photo: AP")."""
    m = _LABEL.match(sentence.lstrip("*· "))
    return m is not None and any(fold(w).strip(".’'()") in _CAPTION for w in m.group("who").split())


_TITLES = frozenset(words("roles.words.titles"))


# An address ended by a comma, then a clause in the first person with its verb ("…, admirals, I
# congratulate you", "…, ladies and gentlemen, To begin with, I would like"): no list of names has one.
_ADDRESS_THEN_SPEECH = re.compile(r",\s+(?:[A-Z][a-z]+(?:\s+[a-z]+){0,3},\s+)?(?:I|We|we)\s+[a-z’']{2,}")
ADDRESS_CHARS = 300  # how far into a turn its address may run


def _speech_after_label(text: str, person: bool = False) -> bool:
    """What follows a label reads as speech: words with lower case, not a figure, an address or a
    list of names ("Clinton: 547.", "EMAIL: x@y.com", "New Hampshire: Ann Lee, Bo Kim, …"); after a
    `person`'s label (a role, a first name and a surname) also when in title case."""
    if not re.search(r"[a-z]", text) or "@" in text.split(" ", 1)[0] or "://" in text:
        return False  # a figure, a heading in capitals, an address
    if all(fold(w) in CALENDAR or not re.search(r"[a-z]", w) for w in re.findall(r"[\w’']+", text)):
        return False  # "DATE: December 16, 2021": a date, not a turn of speech
    long_words = [w for w in re.findall(r"[^\W\d_][\w’'-]{3,}", text.split(". ")[0])]
    # "Mr President, Mr Chairperson of the Union, I am happy …", "Fellow citizens, Dear veterans, …,
    # I congratulate you": an address, then speech in the first person, is a turn however many
    # capitalised words and commas the address holds
    first = text.split(None, 1)[0] if text.split() else ""
    if _ADDRESS_THEN_SPEECH.search(text[:ADDRESS_CHARS]):
        return True
    spoken = fold(first).strip(".") in _TITLES and re.search(r",[^,]*\b(?:I|we)\b", text[:200])
    if (
        not spoken
        and not person
        and len(long_words) >= 5
        and sum(w[:1].isupper() for w in long_words) >= 0.7 * len(long_words)
    ):
        return False  # "Law Schools: Over 300 Students Provided Pro Bono Support …": a heading in title case
    ws = text.split()
    addressed = "," in text or fold(ws[0]).strip(".") in _TITLES if ws else False
    if 2 <= len(ws) <= 4 and all(w[:1].isupper() for w in ws) and text.rstrip()[-1:] not in "?!":
        # "U.S. Senate.", "Getty Images": a credit or a name, not a turn of speech; but "Yes, Mr
        # President." or "Mr Overchuk." addresses someone: a reply in a transcript
        return addressed
    items = [p.strip() for p in text.split(",")]
    return not (len(items) >= 4 and sum(p[:1].isupper() and len(p.split()) <= 3 for p in items) >= 3)


# `“…,” said Ned Price` / `“…,” said his father, Abdullah Kurdi.`
# After a closing quotation mark the speaker may be followed by a time or place ("said X on Monday");
# after a bare comma only the sentence's end or an apposition may follow ("…, said John Smith, 45."),
# so that "Smith, a Republican, said he …" and "X, who …, blasted Clinton as …" are not read so.
_INVERTED = re.compile(
    rf"(?:(?:[,!?…]\s*)?(?:[”\"]|'')|[,!?…]\s*“|[”\"]\s*,|(?P<comma>,))\s*(?P<verb>{_VERB})\s+"
    rf"(?P<who>{PHRASE})(?P<appos>,\s+(?P<name>{_CAP}{_WORD}(?:\s+{_CAP}{_WORD}){{1,3}})(?=\s*[,.;]|$))?"
    # "said Jo Lee of a press freedom group": a lower-case body after the name is no part of it
    rf"(?=\s*(?:[,.;:!?)—–]|\s(?:on|in|at|during|after|before|when|while|as|who|of|for)\s+(?![A-Z])|$))"
)
# `“…,” said several observers.` / `“…,” said the man who built …`: a description after a quotation.
_INVERTED_VERB = alternation(
    frozenset(f for lemma in words("speech.verbs.inverted") for f in inflect(lemma)[1:3])
)
_INVERTED_NOMINAL = re.compile(
    rf"[,!?…]\s*(?:[”\"“]|'')\s*(?P<verb>{_INVERTED_VERB})\s+"
    rf"(?P<who>(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Ss]everal|[Ss]ome|[Mm]any|[Tt]wo|[Tt]hree|[Oo]thers?)"
    r"(?:\s+(?!who\b|which\b|that\b)[\w’'.-]+){0,6}?)"
    r"(?=\s*[.;]?\s*$|,?\s+who\b)"
)
_INVERTED_END = re.compile(
    r"^\s*(?:[.;!?]|,\s+(?:a|an|the|who|whose|which|[A-Z0-9]|[a-z]+(?:\s+[a-z]+)?\s+(?:of|for|at)\b)|$)"
)


# `Said Jo Lee, “…”` / `…, explained Okafor, “…”`: the verb before its speaker, then the quotation.
_VERB_FIRST_QUOTE = re.compile(
    rf"(?:^(?:So\s+)?|,\s+)(?P<verb>(?i:{_INVERTED_VERB}))\s+(?P<who>{PHRASE})(?:,\s+[^,“”\"]{{1,80}})?,?\s*[“\"]"
)


def _quote_verb_speaker(sentence: str, para_start: bool) -> Found | None:
    m = next(
        (
            m
            for m in _INVERTED.finditer(sentence)
            if not m.group("comma") or _INVERTED_END.match(sentence[m.end() :])
        ),
        None,
    )
    if not m or not _ok_phrase(m.group("who")):
        f = _VERB_FIRST_QUOTE.search(sentence)
        if f is not None and _ok_phrase(f.group("who")):
            return Found(f.group("who"), _span(f, "who"), _span(f, "verb"), How.QUOTE)
        n = _INVERTED_NOMINAL.search(sentence)
        if n is None or not _ok_phrase(n.group("who")):
            return None
        how = _how(sentence, is_quote(sentence), sentence[n.end() :])
        return Found(n.group("who"), _span(n, "who"), _span(n, "verb"), how)
    quoted = is_quote(sentence)
    g = "name" if m.group("name") and m.group("who")[:1].islower() else "who"
    who = m.group(g) if g == "who" else f"{m.group('who')} {m.group('name')}"
    span = _span(m, g) if g == "who" else (m.start("who"), m.end("name"))
    return Found(who, span, _span(m, "verb"), _how(sentence, quoted, sentence[m.end() :]))


_VERB_RE = re.compile(rf"\b{_VERB}\b")


_PARTICIPLE = re.compile(
    rf"(?:,|\s(?:by|after|before|while|in|when))\s+(?:(?:also|then|later|again|repeatedly|{_ADVERB})\s+)?"
    rf"(?P<verb>{alternation(_GERUND)})\b"
)
# A poll's share of respondents: "47 percent of Cuban Americans", "three in 10".
_NOMINAL_SHARE = (
    r"(?:[\w-]+\s*(?:percent|%)(?:\s+of\s+(?:[\w’'-]+\s+){0,3}[A-Za-z][\w-]+)?"
    r"|[\w-]+[- ](?:in|of)[- ](?:\d+|four|five|ten)(?:\s+[a-z]+)?)"
)
# "…, with Trump calling for a ban on …": the absolute construction names its own speaker.
_WITH_PARTICIPLE = re.compile(
    rf"\bwith\s+(?P<who>{PHRASE}|{_NOMINAL_SHARE})\s+(?P<verb>{alternation(_GERUND)})\b"
)


def _speaker_participle(sentence: str, para_start: bool) -> Found | None:
    """`X escalated her criticism, telling CNN that …` / `…, arguing that …`: the main clause's subject."""
    w = _WITH_PARTICIPLE.search(sentence)
    if (
        w
        and _ok_phrase(w.group("who"))
        and _verb_ok(w.group("verb"), sentence[w.end() :])
        and not any(a <= w.start() < b for a, b in quoted_spans(sentence))
    ):
        how = _how(sentence, is_quote(sentence), sentence[w.start("verb") :])
        return Found(w.group("who"), _span(w, "who"), _span(w, "verb"), how)
    m = _PARTICIPLE.search(sentence)
    if not m or any(a <= m.start() < b for a, b in quoted_spans(sentence)):
        return None
    rest = sentence[m.end() :]
    if not _verb_ok(m.group("verb"), rest):
        return None
    left = sentence[: m.start()]
    lead = _CLAUSE_SUBJECT.match(left)
    if not lead:
        return None
    who, start = _strip_opener(lead.group("who"), lead.start("who"))
    if not plausible_speaker(who):
        # "At a rally in Vestby, Mayor Jo Lee endorsed her, saying …": the subject after the opener
        starts = [c.end() for c in re.finditer(r",\s+|(?<=\s)(?=[A-Z]|(?:he|she|they|we)\s)", left)]
        later = (_LATER_SUBJECT.match(left, k) for k in starts)
        found = next((g for g in later if g and plausible_speaker(g.group("who"))), None)
        if found is None:
            return None
        who, start = found.group("who"), found.start("who")
    if not _ok_phrase(who) or _POSSESSIVE.search(who):
        return None
    how = _how(sentence, is_quote(sentence), m.group("verb") + rest)
    return Found(who, (start, start + len(who)), _span(m, "verb"), how)


_CUT = re.compile(r"(?:[,;:—–]|(?<=[,.?!…])[”\"]|(?<=[,.?!…])'')\s*(?=\S*$|[^,;:—–”\"]*$)")


def after(sentence: str) -> tuple[str, tuple[int, int], tuple[int, int], str] | None:
    """`…, X said …`: (phrase, its span, verb span, text after the verb), the speaker right before
    the verb and after a comma, colon, dash or a closing quotation mark that ends a clause
    (`…,” X said`, not `… the “disheartened” state of …`)."""
    quoted = quoted_spans(sentence)
    for m in reversed(list(_VERB_RE.finditer(sentence))):
        if quoted and any(a < m.start() < b for a, b in quoted):
            continue  # a verb inside a quotation belongs to the quoted speaker
        if sentence[m.start() - 1 : m.start()] == "-":
            continue  # "the so-called …": part of a compound word, not a verb
        rest = sentence[m.end() :]
        if re.match(r"\s*[“\"]", rest) or re.match(r"\s*(?:that|:)", rest):
            continue  # `X said: “…”`, `X said that …`: the speaker-before patterns
        before = _AUX_TAIL.sub("", sentence[: m.start()].rstrip())
        cut = -1
        for c in _CUT.finditer(before):
            cut = c.end()
        if cut < 0:
            continue
        who = before[cut:].strip().lstrip("' ")
        if not who or who.endswith((" and", " or")) or not _ok_phrase(who):
            continue
        if not fold(who).startswith("who") and not plausible_speaker(who, before.rfind(who) > 0):
            start = before.rfind(who)
            lead = _lead_subject(sentence, who, (start, start + len(who)))
            if lead is None:
                continue
            return lead[0], lead[1], (m.start(), m.end()), rest
        after_quote = before[:cut].rstrip()[-1:] in "”\"'"
        if fold(m.group()) in _NOUN_S_FORMS and (not _NAMED_SUBJECT.match(who) or fold(who) in _MODIFIERS):
            continue  # "Update: The talks resumed …": a plural noun
        if fold(m.group()) in _WEAK and len(rest.split()) > 5 and not after_quote:
            continue  # "The talks resumed on Tuesday": a weak verb names speech only at a clause's end
        if PHRASE_RE.fullmatch(who) or (_SUBJECT_RE.fullmatch(who) and len(who.split()) <= 6):
            start = before.rfind(who)
            if fold(who) == "who":  # "Carl Dahl, who said …": the name before it
                ante = _ANTECEDENT.search(sentence[:start])
                if not ante:
                    continue
                who, start = ante.group("who"), ante.start("who")
            return who, (start, start + len(who)), (m.start(), m.end()), rest
    return None


def _quote_speaker_verb(sentence: str, para_start: bool) -> Found | None:
    if not is_quote(sentence):
        return None
    got = after(sentence)
    if not got:
        return None
    who, span, cue, rest = got
    return Found(who, span, cue, How.TWEET if _SOCIAL.search(rest) else How.QUOTE)


# The words after a quotation's closing mark, when they hold no other quotation.
# The closing of a quotation that ends a clause (`…,”`, `…?"`, `…,'"` with a nested quote inside).
_CLAUSE_CLOSE = re.compile(r"[,!?…—–-]\s*[’']?\s*(?:”|\"|'')$")
_TAIL_NOMINAL = (
    r"(?:[Aa]n?|[Oo]ne|[Aa]nother|[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Ss]ome|[Tt]wo|[Tt]hree)\s+"
    r"[\w’'.-]+(?:\s+(?!who\b|which\b)[\w’'.-]+){0,7}?"
)
# `“…,” said a campaign veteran.` / `“…,” said one of those advisers, who …` / `said a user, Jo Lee.`
_TAIL_VERB_FIRST = re.compile(
    rf"^(?P<verb>{_VERB})\s+(?P<who>{_TAIL_NOMINAL})"
    rf"(?:,\s+(?P<name>{_CAP}{_WORD}(?:\s+{_CAP}{_WORD}){{1,3}}))?"
    rf"(?=\s*(?:[.;]|,\s+(?:who|whose|which|a|an|the)\b|$))"
)
# `“…,” Okafor fumed on Tuesday.` / `“…,” Jo Lee, the state's attorney general, said at …`: any verb
# of the past or present tense right after the speaker (a quotation's tail names its speaker).
_TAIL_SPEAKER_FIRST = re.compile(
    rf"^(?P<who>{PHRASE})(?:(?:,\s+[^,“”\"]{{1,120}}?){{1,4}},)?\s+"
    rf"(?:(?:{_AUX}|{_ADVERB}|then|also|later|finally)\s+)*(?P<verb>{_VERB}|[a-z]{{3,}}(?:ed|s))\b"
    r"(?P<rest>.{0,240})$"
)
_PLAIN_REST = re.compile(r"^[^.;“”\"]{0,80}[.;]?$")


def _quote_tail_speaker(sentence: str, para_start: bool) -> Found | None:
    """The speaker named in the words after a quotation: a description after the verb, or a name
    with an aside before it, or a verb the lexicon does not list (`fumed`, `sniffed`)."""
    spans = quoted_spans(sentence)
    if not spans or sentence[: spans[0][0]].strip() or not _CLAUSE_CLOSE.search(sentence[: spans[0][1]]):
        return None  # the sentence must open with a quotation ending a clause, not a title in passing
    after = sentence[spans[0][1] :]
    off = spans[0][1] + len(after) - len(after.lstrip())
    tail = after.strip()
    if len(tail) < 3 or len(tail) > 300:
        return None
    v = _TAIL_VERB_FIRST.match(tail)
    if v and _ok_phrase(v.group("who")):
        if v.group("name"):
            who, span = f"{v.group('who')} {v.group('name')}", (off + v.start("who"), off + v.end("name"))
        else:
            who, span = v.group("who"), (off + v.start("who"), off + v.end("who"))
        return Found(who, span, (off + v.start("verb"), off + v.end("verb")), How.QUOTE)
    t = _TAIL_SPEAKER_FIRST.match(tail)
    if not t or not _ok_phrase(t.group("who")) or _POSSESSIVE.search(t.group("who")):
        return None
    if fold(t.group("verb")) in _NOUN_S_FORMS or " that " in f" {t.group('rest')} ":
        return None
    if not _VERB_RE.fullmatch(t.group("verb")) and not _PLAIN_REST.match(t.group("rest")):
        return None  # a verb the lexicon lacks ("fumed") only ends a short tail
    who, span = apposed_name(sentence, t.group("who"), (off + t.start("who"), off + t.end("who")))
    return Found(who, span, (off + t.start("verb"), off + t.end("verb")), How.QUOTE)


_FRONT = r"(?:[^“”\",—–]{0,80}(?:,|\s[—–])\s+)?"
# A nominal speaker no role word marks: "the newspaper", "a news report", "six other senators".
_NOMINAL = (
    r"(?:(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ne|[Ss]ome|[Mm]any|[Oo]ther|[Bb]oth|[Aa]nother|"
    r"[Pp]eople|\d[\d,.]*)"
    r"\s+(?:[\w’'.-]+\s+){0,5}[a-z][\w-]+"
    r"|[Tt]hose\s+(?:close|familiar|who|with|in|at|around|inside|near|surveyed|polled|interviewed)\b"
    r"(?:\s+[\w’'.-]+){0,5}"
    r"|(?:(?:[Oo]nly|[Aa]bout|[Nn]early|[Aa]lmost|[Rr]oughly|[Jj]ust|[Aa]t\s+least|[Mm]ore\s+than|[Aa]nother|"
    r"[Aa]\s+mere)\s+)?"
    r"(?:[\w-]+\s*(?:percent|%)|[\w-]+[- ](?:in|of|out\s+of)[- ](?:\d+|[a-z]+)|half|a\s+third|two-thirds"
    r"|a\s+majority)"
    r"(?:\s+of\s+(?:[\w’'-]+\s+){0,4}[A-Za-z][\w-]+"
    r"|\s+(?:[A-Z][\w-]*\s+){0,3}(?:[a-z][\w-]+\s+){0,2}[a-z][\w-]+(?:\s+(?:voters|overall))?)?"
    r"(?:,\s+[\w-]+\s*(?:percent|%)\s+of\s+[\w-]+)*(?:,?\s+and\s+[\w-]+\s*(?:percent|%)\s+of\s+[\w-]+)?)"
)
# A bare plural: "Senior officials", "Trump's opponents", "attorneys for the family", "Companies and others".
_BARE = (
    r"(?:(?:[Ss]ome|[Mm]any|[Mm]ost|[Ff]ew|[Ss]everal|[Ll]arge\s+majorities\s+of|[Mm]ajorities\s+of)\s+)?"
    r"(?:(?!(?:In|On|At|For|From|With|By|Over|Under|After|Before|During|Since|Until)\s)"
    r"(?:[A-Z][\w’'-]*\s+)?(?:[a-z][\w’'-]*\s+|[A-Z][a-z][\w’'-]*\s+(?=[a-z])){0,3}[a-z][\w’'-]*s"
    # "Mrs. Lind's aides"
    r"|(?:Mr|Mrs|Ms|Dr)\.\s+[A-Z][\w-]*(?:’s|'s)\s+(?:[a-z][\w’'-]*\s+){0,2}[a-z][\w’'-]*s"
    r"|[A-Z][a-z’'-]+s|[Ss]taff)"
    r"(?:\s+(?:and|or|for|of|with|from|in|at|on|like|close\s+to|familiar\s+with)\s+(?:the\s+)?"
    r"(?:[\w’'.-]+\s+){0,3}[\w’'.-]*[a-z][\w’'.-]*){0,2}"
)
_SUBJECT = rf"(?:{PHRASE}|{_NOMINAL}|{_BARE}|who)"
_SUBJECT_RE = re.compile(_SUBJECT)
# Where a subject may start: the sentence's start, a clause's punctuation, or a conjunction.
_SUBJECT_AT_END = re.compile(
    rf"(?:^|(?<=[,;:(—–“”\"])\s*|(?<=\s-)\s+|(?:^|\s)(?i:and|but|that|as|because|while|when|so|which|if|although|though|"
    rf"after|before|since|until|where|whom|what|how|why|yet|then|or|now|also|instead)\s+|^{_FRONT}"
    rf"|^\(?(?:[Oo]n|[Ll]ast|[Tt]his|[Ee]arlier|[Ll]ater)\s+(?:{_DAY}|week|month|year|night|morning)\s+"
    rf"|^[A-Z][\w’'-]*\s+(?=(?:[a-z][\w’'-]*\s+){{1,3}}{_CAP}))"  # "Former federal prosecutor X"
    rf"(?P<who>{_SUBJECT})\s*$"
)
# Time and manner phrases between a subject and its verb ("Trump on Tuesday said").
_BETWEEN = re.compile(
    rf"(?:\s+(?:on\s+|last\s+|this\s+|early\s+|late\s+)?(?:{_DAY}|week|month|year|night|morning|"
    rf"afternoon|evening|weekend)(?:\s+(?:morning|afternoon|evening|night))?|\s+(?:in|at|during|on)\s+"
    rf"(?:a|an|the|his|her|their)\s+(?:[\w-]+\s+){{0,3}}?(?:{_NOUNS_EARLY})(?:\s+with\s+[\w.’' -]{{1,40}}?)?"
    rf"|\s+{_ADVERB}|\s+(?:also|still|often|now|then|again|too|never|always|all|both|each|once|first|just))\s*$"
)
_APPOSITIVE_BEFORE = re.compile(rf",\s+(?P<name>{_CAP}{_WORD}(?:\s+{_CAP}{_WORD}){{1,3}}),\s*$")
_POSSESSIVE = re.compile(r"(?:’s|'s|s’|s')$")
_PRONOUN_SUBJECT = {"he", "she", "they", "we", "i", "you", "who"}


_ANTECEDENT = re.compile(rf"(?P<who>{PHRASE})\s*(?:,|\s[-—–]{{1,2}})\s*$")


# A short aside between a subject and its verb: "Lind, in particular, has criticized …",
# "Many speakers — including ministers and rabbis — said …".
_ASIDE_BEFORE_VERB = re.compile(r"(?:,\s+[a-z][a-z ]{1,30},|\s[—–-]{1,2}\s[^—–“”\"]{1,120}\s[—–-]{1,2})$")


# A restrictive relative clause between a subject and its finite verb: "a White House official who
# spoke anonymously said …", "The state officials whose laws were struck down say …".
_RELATIVE_BEFORE_VERB = re.compile(r"(?<=[a-z])\s+(?:who|whose)\s+[^,;:“”\"()—–]{3,100}$")


def _subject_before(sentence: str, start: int, relative: bool = False) -> tuple[str, tuple[int, int]] | None:
    """The subject phrase that ends right before a verb at `start` (time phrases skipped; with
    `relative`, a restrictive relative clause too: "an official who spoke anonymously said")."""
    left = sentence[:start].rstrip()
    for _ in range(3):
        m = (
            _BETWEEN.search(left)
            or _ASIDE_BEFORE_VERB.search(left)
            or (_RELATIVE_BEFORE_VERB.search(left) if relative else None)
        )
        if not m or m.start() == 0:
            break
        left = left[: m.start()].rstrip()
    m = _SUBJECT_AT_END.search(left)
    if not m:
        return None
    who, start = _strip_opener(m.group("who"), m.start("who"))
    if who.endswith((" and", " or", " but")):
        return None
    named = _APPOSITIVE_BEFORE.search(left)
    if named and not PHRASE_RE.fullmatch(who):  # "Another delegate, Jim Poolman, said"
        return named.group("name"), (named.start("name"), named.end("name"))
    first = fold(who.split()[0]).strip(".’'")
    if _POSSESSIVE.search(who) or (
        first in {"his", "her", "its", "their", "my", "our", "your"} and len(who.split()) == 1
    ):
        return None
    if first in NOT_SPEAKERS and first not in _PRONOUN_SUBJECT:
        return None
    return who, (start, start + len(who))


_CONJUNCTIONS = "as when while but and so if because though although since after before until once".split()
_LEAD_OPENER = re.compile(
    rf"(?:(?i:{alternation(words('attribution.words.openers') | set(_CONJUNCTIONS))})\s+)+(?=\w)"
)


def _strip_opener(who: str, start: int) -> tuple[str, int]:
    """ "Then Blinken", "As Earnest": the opener or conjunction is not part of the name."""
    lead = _LEAD_OPENER.match(who)
    if lead and lead.end() < len(who):
        return who[lead.end() :], start + lead.end()
    return who, start


# The subject a coordinated verb shares: "Ms. Sherry smiled and said …", "X tried … and promised …".
_CLAUSE_SUBJECT = re.compile(
    rf"^{_FRONT}(?P<who>{PHRASE}|{_NOMINAL})(?:’s|'s|’ve|'ve|’d|'d)?\s+(?:[a-z][\w’'-]*)"
)
_LATER_SUBJECT = re.compile(
    rf"(?P<who>{PHRASE})(?:,\s+[^,“”\"]{{1,80}},)?\s+(?:(?:{_AUX})\s+)*(?:[a-z][\w’'-]*(?:ed|s)|{alternation(words('attribution.words.irregular_past'))})\b"
)
_COORDINATED = re.compile(r"(?:,?\s+(?:and|but)|,)\s*$")


# Words before "to <verb>" that report the speech as made ("continued to question", "went on to
# say", "took to Twitter to announce"); any other ("wants to say") has not been.
_ASPECT = words("attribution.words.said_before_to")
# Past tenses a coordinated subject's first verb may take ("Okafor put off … but said …").
_IRREGULAR_PAST = alternation(words("attribution.words.irregular_past"))
_CLAUSE_STARTS = re.compile(
    rf"(?:^|[,;]\s+|\s[—–]\s+|\b(?:when|as|after|while|because|since|if|that|before|until)\s+)"
    rf"(?P<who>{PHRASE})\s+(?:(?:{_AUX}|{_ADVERB}|on\s+{_DAY}|last\s+week|{_DAY})\s+)*"
    rf"(?:[a-z][\w’'-]*(?:ed|s)|{_IRREGULAR_PAST})\b"
)


def _clause_subject(left: str) -> tuple[str, tuple[int, int]] | None:
    """The subject of the clause a coordinated verb joins ("… when Trump spotted a sign and asked …")."""
    found = None
    for m in _CLAUSE_STARTS.finditer(left):
        who, start = _strip_opener(m.group("who"), m.start("who"))
        if _ok_phrase(who) and not _POSSESSIVE.search(who):
            found = who, (start, start + len(who))
    return found


_ASPECT_TAIL = re.compile(
    rf"\s+(?:(?:{_AUX}|{_ADVERB}|also|then|later)\s+)*(?:{alternation(_ASPECT - {'on', 'as'})})"
    r"(?:\s+on|\s+so\s+far\s+as|\s+to\s+[A-Z]?\w+)?\s*$"
)


# A leading adverbial clause ("When the mayor mentioned the port, …"): its verb is not the sentence's cue
# while the main clause after its comma has one of its own.
_LEADING_CLAUSE = re.compile(
    rf"^\s*(?i:{alternation(words('attribution.words.leading_clause'))})\s[^,;:“”\"]{{3,300}},\s"
)


def _speaker_verb(sentence: str, para_start: bool) -> Found | None:
    """`X said (that) …` anywhere a clause starts: "Speaking in Iowa, Trump said …", "… as Clinton
    told reporters …", "Trump on Tuesday is calling for …"; after a leading adverbial clause, the
    main clause's speaker first ("When the mayor mentioned the port, Dahl commented that …")."""
    lead = _LEADING_CLAUSE.match(sentence)
    if lead:
        found = _speaker_verb_after(sentence, lead.end())
        if found is not None:
            return found
    return _speaker_verb_after(sentence, 0)


def _speaker_verb_after(sentence: str, start: int) -> Found | None:
    """`_speaker_verb` for cues from `start` on."""
    quoted = quoted_spans(sentence)
    for m in VERB_GROUP.finditer(sentence, start):
        if quoted and any(a <= m.start() < b for a, b in quoted):
            continue  # a verb inside a quotation is the quoted speaker's, not the sentence's cue
        verb = m.group("verb") or m.group("ger") or m.group("base")
        vstart = m.start("verb") if m.group("verb") else m.start("ger") if m.group("ger") else m.start("base")
        if sentence[vstart - 1 : vstart] == "-":
            continue  # "the so-called …": part of a compound word, not a verb
        if sentence[m.start() : m.start() + 2] in ("’s", "'s") and m.group("verb") and verb.endswith("s"):
            continue  # "Okafor's comments": a possessive and a noun, not "he's said"
        rest = sentence[m.end() :]
        if not _verb_ok(verb, rest):
            continue
        to = re.search(r"(\w+)\s+to\s+(?:\w+\s+)*$", sentence[:vstart]) if m.group("base") else None
        if to and fold(to.group(1)) not in _ASPECT:
            continue  # "wants to say", "plans to announce": not (yet) said ("continued to question" is)
        at = m.start()
        aspect = _ASPECT_TAIL.search(sentence[:at]) if to else None
        if aspect:  # "He went on to say": the subject is before "went on"
            at = aspect.start()
        got = _subject_before(sentence, at, relative=bool(m.group("verb")))
        if got is None and _COORDINATED.search(sentence[: m.start()]):
            got = _clause_subject(sentence[: m.start()])
        passive = got is not None and _PASSIVE_SUBJECT.search(got[0] + " " + m.group("aux")) is not None
        by = _BY_AGENT.match(rest) if passive else None
        if by is not None and _nationality(by.group("who")):
            by = None  # "threatened by Russian strikes": a nationality's things, no agent who speaks
        if got is not None and passive and by is None:
            bare = _PASSIVE_SUBJECT.sub("", got[0])
            if bare != got[0] and _NAMED_SUBJECT.match(bare) and plausible_speaker(bare):
                # "Dahl was asked about …": the one asked, who answers
                return Found(
                    bare, (got[1][0], got[1][0] + len(bare)), (vstart, vstart + len(verb)), How.REPORTED
                )
        if by is not None:
            # "His death was confirmed by his son, Ola Dahl": the agent speaks, not the subject
            g = "name" if by.group("name") else "who"
            who = by.group("who") if g == "who" else f"{by.group('who')} {by.group('name')}"
            span = (m.end() + by.start("who"), m.end() + by.end(g))
            if g == "who":  # "by several economists on Monday": the agent, not the time
                who = _AGENT_TAIL.sub("", who)
                span = (span[0], span[0] + len(who))
            how = _how(sentence, is_quote(sentence), verb + rest)
            return Found(who, span, (vstart, vstart + len(verb)), how)
        if got is not None and fold(got[0]) not in {"who", "which"} and not plausible_speaker(got[0]):
            got = _lead_subject(sentence, *got)
        if got is None:
            continue
        if fold(verb) in _NOUN_S_FORMS and (not _NAMED_SUBJECT.match(got[0]) or fold(got[0]) in _MODIFIERS):
            continue  # "the two states hold …", "his populist attacks on …": a plural noun, not a verb
        who, span = got
        if fold(who) in {"who", "which"}:  # "Smith, who said …": the relative pronoun's antecedent
            ante = _ANTECEDENT.search(sentence[: span[0]])
            if not ante:
                continue
            who, span = ante.group("who"), (ante.start("who"), ante.end("who"))
        how = _how(sentence, is_quote(sentence), verb + rest)
        return Found(who, span, (vstart, vstart + len(verb)), how)
    for m in _BASE_RE.finditer(sentence):  # "Sanders and his supporters argue …", "critics say …"
        if quoted and any(a <= m.start() < b for a, b in quoted):
            continue
        rest = sentence[m.end() :]
        if not _verb_ok(m.group(), rest) or _TO_BEFORE.search(sentence[: m.start()]):
            continue
        got = _subject_before(sentence, m.start())
        if got is None or not _PLURAL_SUBJECT.search(got[0]):
            continue
        how = _how(sentence, is_quote(sentence), m.group() + rest)
        return Found(got[0], got[1], (m.start(), m.end()), how)
    return None


# "Initial reports from …": an adjective and a plural speech noun, not a subject and its verb.
_MODIFIERS = words("attribution.words.noun_modifiers")
# A subject in the passive ("The plan was", "Her death has been … confirmed"), and the agent after
# the verb ("by the ministry", "by his son, Ola Dahl").
_PASSIVE_SUBJECT = re.compile(r"\s(?:was|were|is|are|be|been|being)(?:\s+[a-z]+)*\s*$")
_BY_AGENT = re.compile(
    rf"^\s*(?:{_ADVERB}\s+)?by\s+(?P<who>{PHRASE}|{_NOMINAL}|{_BARE})"
    rf"(?:,\s+(?P<name>{_CAP}{_WORD}(?:\s+{_CAP}{_WORD}){{1,3}})(?=\s*[,.;]|$))?"
)
_AGENT_TAIL = re.compile(r"\s+(?:on|in|at|during|after|before|last|this|earlier|later|when|while)\b.*$")
_NOUN_S_FORMS = frozenset(inflect(lemma)[1] for lemma in words("speech.noun_forms.words"))
_NAMED_SUBJECT = re.compile(
    rf"^(?:he|she|it|(?!(?:The|A|An|This|That|These|Those|Its|Their)$){_CAP}[\w.’'-]*(?:\s+{_CAP}[\w.’'-]*)*)$"
)
_BASE_RE = re.compile(rf"\b{_BASE}\b")
_TO_BEFORE = re.compile(r"\b(?:to|not|n[’']t|will|would|could|can|may|might|should|must|did|does|do)\s+$")
_PLURAL_SUBJECT = re.compile(
    r"(?:^(?:they|we|I|you)$|^(?:those|people)\b|\b\w+[- ](?:in|of)[- ](?:\d+|four|five|ten)\b"
    r"|^(?:\w+\s+)?\d[\d.,]*\s*(?:%|percent)"
    rf"|\s(?:and|&)\s|[a-z]s$|\b(?:{alternation(words('attribution.words.collective'))})$)",
    re.I,
)


# `X, who …, said` / `X, the party's chairman, said` / `X, 45, said`
# A clause may open with a conjunction: "When the port director, Ida Strand, said …".
_OPEN_CONJ = r"(?:(?:When|As|After|While|Before|But|And|So|Yet|If|Although|Though|Because|Since|Then)\s+)?"
_INTERJECTED = re.compile(
    rf"^{_FRONT}{_OPEN_CONJ}(?P<who>{PHRASE}|{_NOMINAL}|{_BARE}),\s+[^“”\"]{{1,160}}?,\s+(?:(?:{_AUX})\s+)*"
    rf"(?P<verb>{_VERB})\b"
)


_INTERJECTED_AT_START = re.compile(
    rf"^{_OPEN_CONJ}(?P<who>{PHRASE}),\s+[^“”\"]{{1,220}}?,\s+(?:(?:{_AUX})\s+)*(?P<verb>{_VERB})\b"
)
_RELATIVE_AFTER_NAME = re.compile(r",\s+(?=(?:who|whose)\b)")
_APPOSITIVE_NAME = re.compile(rf"^(?P<name>{_CAP}{_WORD}(?:\s+(?:{_CAP}{_WORD}|de|van|von|al|bin)){{1,4}})$")


_OPENER_WORDS = words("attribution.words.openers")


def _speaker_aside_verb(sentence: str, para_start: bool) -> Found | None:
    """`X, who …, said`; `the port director, Ida Strand, said` (the name in the aside)."""
    m = _INTERJECTED_AT_START.match(sentence)
    if m is None or not plausible_speaker(m.group("who")):  # "On Saturday, Jo Lee, a rival, said"
        m = _INTERJECTED.match(sentence) or m
    if not m:
        return None
    who, start = _strip_opener(m.group("who"), m.start("who"))
    if fold(who) in _OPENER_WORDS:  # "However, the director, Ida Strand, said": the opener is nobody
        cut = m.end("who") + 1
        cut += len(sentence[cut:]) - len(sentence[cut:].lstrip())
        inner = _speaker_aside_verb(sentence[cut:], False)
        if inner is None or inner.cue_span is None:
            return None
        return Found(
            inner.who,
            (inner.who_span[0] + cut, inner.who_span[1] + cut),
            (inner.cue_span[0] + cut, inner.cue_span[1] + cut),
            inner.how,
        )
    if not _ok_phrase(who) or _POSSESSIVE.search(who):
        return None
    rest = sentence[m.end() :]
    if not _verb_ok(m.group("verb"), rest):
        return None
    span = (start, m.end("who"))
    aside = sentence[m.end("who") : m.start("verb")].strip(" ,")
    aside = _RELATIVE_AFTER_NAME.split(aside, maxsplit=1)[0]  # "Ambassador Jo Lee, who chairs it,"
    named = _APPOSITIVE_NAME.match(aside)
    if named and (
        who[:1].islower() or _POSSESSIVE_IN.search(who) or any(fold(w) in ROLE_WORDS for w in who.split())
    ):
        start = sentence.index(aside, m.end("who"))
        who, span = f"{who} {aside}", (span[0], start + len(aside))
    return Found(who, span, _span(m, "verb"), _how(sentence, is_quote(sentence), rest))


_POSSESSIVE_IN = re.compile(r"(?:’s|'s)\b")


_COLON_QUOTE = re.compile(
    rf"^{_FRONT}(?P<who>{PHRASE})\s+[a-z]\w*(?:\s+[^\s:“”\"]+){{0,8}}(?P<cue>:)\s*[“\"]"
)


def _speaker_colon_quote(sentence: str, para_start: bool) -> Found | None:
    m = _COLON_QUOTE.match(sentence)
    if not m or not is_quote(sentence) or not _ok_phrase(m.group("who")):
        return None
    return Found(m.group("who"), _span(m, "who"), _span(m, "cue"), How.QUOTE)


_ACC = rf"(?:{alternation(words('speech.phrases.according_to'))})"
_ACCORDING_BY = re.compile(
    rf"\b(?P<cue>(?i:{_ACC}))\s+(?:a|an|the|his|her)\s+(?:\w+\s+){{0,3}}?(?:by|from)\s+"
    rf"(?P<who>{PHRASE}|{_NOMINAL})"
)
_ACCORDING = re.compile(
    rf"\b(?P<cue>(?i:{_ACC}))\s+(?P<who>{PHRASE}|{_NOMINAL}|{_BARE})"
    rf"(?=\s*[,.;)]|\s+(?:in|on|at|who|familiar|close|with|from)\b|$)"
)


_ACCORDING_FRONT = re.compile(rf"^(?P<cue>(?i:{_ACC}))\s+(?P<who>{PHRASE}|{_NOMINAL}),\s+(?=\S)")
_NESTED_FORMS = frozenset(f for lemma in words("attribution.words.nested_cues") for f in inflect(lemma))
_NESTED = re.compile(rf"\b(?:{alternation(_NESTED_FORMS)})\b")


def _according_to_front(sentence: str, para_start: bool) -> Found | None:
    """`According to the President, Ukraine has proposed …`: the clause after the comma is the
    source's, not a speech by its subject (unless it names a speaker of its own: `…, Smith said`)."""
    m = _ACCORDING_FRONT.match(sentence)
    if not m or not _ok_phrase(m.group("who")) or _NESTED.search(sentence[m.end() :]):
        return None
    return Found(m.group("who"), _span(m, "who"), _span(m, "cue"), How.ACCORDING_TO)


def _according_to_noun(sentence: str, para_start: bool) -> Found | None:
    m = _ACCORDING_BY.search(sentence)
    if not m or not _ok_phrase(m.group("who")):
        return None
    how = How.TWEET if _SOCIAL.search(sentence) else How.ACCORDING_TO
    return Found(m.group("who"), _span(m, "who"), _span(m, "cue"), how)


# Any source up to the clause's end: "according to a Times/CBS poll released Tuesday, …".
_ACCORDING_ANY = re.compile(
    rf"\b(?P<cue>(?i:{_ACC}))\s+(?P<who>(?:[^,.;:()“”\"]|\.(?=\w)){{2,140}}?)(?=\s*(?:[,.;:)]|$))"
)
# Where a long source's own name ends: "a poll released Tuesday" is the poll.
_SOURCE_TAIL = re.compile(
    r"\s+(?:released|conducted|published|out|issued|taken|obtained|cited|made|filed)\b.*$"
)


def _according_to(sentence: str, para_start: bool) -> Found | None:
    m = _ACCORDING.search(sentence)
    if m and _ok_phrase(m.group("who")):
        return _source(m)
    m = _ACCORDING_ANY.search(sentence)
    if not m or len(m.group("who").split()) > 16 or not _ok_phrase(m.group("who")):
        return None
    if any(a <= m.start() < b for a, b in quoted_spans(sentence)):
        return None
    return _source(m)


def _source(m: re.Match[str]) -> Found:
    """The source `according to` names, without what is said of it ("a poll released Tuesday")."""
    who = _SOURCE_TAIL.sub("", m.group("who")) or m.group("who")
    return Found(who, (m.start("who"), m.start("who") + len(who)), _span(m, "cue"), How.ACCORDING_TO)


# `In a statement, X …` / `In an interview with CNN, X …` / `X's statement …` / `a statement from X`
_NOUN_BY = re.compile(
    rf"\b(?:in|via)\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+){{0,2}}?(?P<cue>{_NOUNS})\s+"
    rf"(?:(?:released|issued|posted|published|sent|given)\s+)?(?:by|from)\s+(?P<who>{PHRASE})",
    re.I,
)
_NOUN_FRONT = re.compile(
    rf"^(?:In|Via|During)\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){{0,2}}?(?P<cue>{_NOUNS})\b"
    rf"[^,]{{0,60}},\s+(?P<who>{PHRASE})\s+(?!{_VERB}\b)",
)
_POSSESSIVE_NOUN_ANY = re.compile(rf"(?P<who>{PHRASE})(?:’s|'s|s’)\s+(?:[a-z]+\s+)?(?P<cue>{_NOUNS})\b")
_POSSESSIVE_NOUN = re.compile(
    rf"^(?P<who>{PHRASE})(?:’s|'s)\s+(?:[a-z]+\s+)?(?P<cue>{_NOUNS})\b(?:\s+(?:read|reads|said|says|stated))?\s*[:“\"]"
)


def _speech_noun(sentence: str, para_start: bool) -> Found | None:
    for pat in (_NOUN_BY, _NOUN_FRONT, _POSSESSIVE_NOUN):
        m = pat.search(sentence)
        if m and _ok_phrase(m.group("who")):
            cue = fold(m.group("cue"))
            how = How.TWEET if _SOCIAL.search(cue) else How.STATEMENT if "statement" in cue else How.QUOTE
            if how is How.QUOTE and not is_quote(sentence):
                how = How.REPORTED
            return Found(m.group("who"), _span(m, "who"), _span(m, "cue"), how)
    return None


# `The message reads, in part: “…”` / `His letter said:` / `The statement reads: “…”`.
_MESSAGE_READS = re.compile(
    r"^(?:(?i:part|parts|much)\s+of\s+)?"  # "Part of the judge's statement reads"
    r"(?P<who>(?:(?i:the|this|that|his|her|their|its)\s+|(?:(?i:the)\s+)?(?:[\w.-]+\s+){0,2}?[\w.-]+['’]s\s+)"
    r"(?:[\w-]+\s+){0,2}?"
    rf"(?i:{alternation(words('attribution.message.nouns'))}))\s+"
    rf"(?P<cue>(?i:{alternation(words('attribution.message.cues'))}))(?:,?\s+in\s+part|\s+on)?"
    r"\s*,?\s*(?::|(?=[“\"]))"
)


def _message_reads(sentence: str, para_start: bool) -> Found | None:
    """A written message quoted whole after its noun ("The message reads, in part:"): the phrase is
    the message, whose author the attributor finds in the sentences before."""
    m = _MESSAGE_READS.match(sentence)
    if not m:
        return None
    how = How.QUOTE if is_quote(sentence) else How.STATEMENT
    return Found(m.group("who"), _span(m, "who"), _span(m, "cue"), how)


def _reported_speaker_after(sentence: str, para_start: bool) -> Found | None:
    if is_quote(sentence):
        return None
    got = after(sentence)
    if not got:
        return None
    who, span, cue, rest = got
    return Found(who, span, cue, How.TWEET if _SOCIAL.search(rest) else How.REPORTED)


RULES: tuple[Rule, ...] = (
    Rule("floor-question", "a question from the floor: `Q: …` (nobody's)", _floor_question),
    Rule(
        "interview-label", "an interview's turn: `((Jo Lee)) …` (`((WN)) …` asks: nobody's)", _interview_label
    ),
    Rule("label", "a transcript label: `Vladimir Putin: …`", _label),
    Rule("headed-label", "a heading run into a label: `Talks … President Jo Lee: …`", _label_after_heading),
    Rule("signature", "`“…” ― Jo Lee` / a line `― Jo Lee` / `HEADLINE - Jo Lee: “…”`", _signature),
    Rule("message-reads", "`The message reads, in part: “…”` (its sender's, named before)", _message_reads),
    Rule("quote-verb-speaker", "`“…,” said X` (also `said his father, X`)", _quote_verb_speaker),
    Rule("quote-tail-speaker", "`“…,” said a campaign veteran` / `“…,” X fumed`", _quote_tail_speaker),
    Rule("quote-speaker-verb", "`“…,” X said` / `“…,” he added. “…”`", _quote_speaker_verb),
    Rule("speaker-aside-verb", "`X, who …, said …` / `the director, X, said …`", _speaker_aside_verb),
    Rule("according-to-front", "`According to X, Y proposed …` (the clause is X's)", _according_to_front),
    Rule("reported-speaker-after", "`…, X said.` (no quotation marks)", _reported_speaker_after),
    Rule("speaker-verb", "`X said (that) …` / `Last week, X warned …` / `… as X told …`", _speaker_verb),
    Rule("speaker-colon-quote", "`X told reporters: “…”`", _speaker_colon_quote),
    Rule("speaker-participle", "`X escalated her attacks, telling CNN that …`", _speaker_participle),
    Rule("according-to-noun", "`according to a statement by X`", _according_to_noun),
    Rule("according-to", "`according to X, …`", _according_to),
    Rule("speech-noun", "`in a statement by X` / `In an interview, X …` / `X's remarks`", _speech_noun),
)
RULE_IDS = tuple(r.id for r in RULES)


# Cut out before matching (spans are mapped back): a dateline ("WASHINGTON — ", "LA CROSSE, Wisc. — ")
# and a party tag after a name ("(R-Ohio)", "(D)", "(I-Vt.)").
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][\w.]{1,14}\.?)?(?:\s*\([A-Za-z ]{1,20}\))?\s*[―—–-]{1,2}\s+"
)
# A name's aside in parentheses is cut the same way: an acronym ("… National Crime Agency (NCA) said"),
# an age ("(45)") or a photo's pointer (lexicon `attribution.words.name_asides`: "(pictured)"); and a
# suffix after a comma (`attribution.words.name_suffixes`: ", Jr.").
_NAME_ASIDE = re.compile(
    r"(?<=[\w.’'])(?:\s\((?:[RDI](?:-[A-Z][\w. ]{0,12})?|[A-Z]{1,3}-[A-Z][\w.]{0,10}|[A-Z][A-Z&]{1,7}s?"
    r"|\d{1,3})\)"
    rf"|\s?\((?i:{alternation(words('attribution.words.name_asides'))})\)"  # "Ola Dahl(retranslated):" too
    rf"|,\s(?i:{alternation(words('attribution.words.name_suffixes'))})(?=[\s,]))"  # "Joseph Lind, Jr."
)


_CUE_WORDS = frozenset(
    f.split()[0] for f in _STRONG | words("speech.nouns.speech") | words("speech.phrases.according_to")
)
_WORD_RE = re.compile(r"[a-z]+")


def could_attribute(sentence: str) -> bool:
    """A cheap test that some rule might read the sentence: a quotation mark, a colon, or a cue word.

    Most sentences of news copy have none, and skipping the rule table for them is most of the
    attributor's speed.
    """
    if any(c in sentence for c in '“”":―') or "''" in sentence or sentence.lstrip()[:1] in "—–-":
        return True
    if _FLOOR.match(sentence) or sentence.startswith("(("):
        return True  # "Q Why?", "((WN)) Why?": a turn's label, with no colon or cue word of its own
    return not _CUE_WORDS.isdisjoint(_WORD_RE.findall(sentence.lower()))


_LOCATIVES = words("attribution.words.locatives")
_ADDRESSEES = words("attribution.words.addressees")
_GROUP_WORDS = words("attribution.words.groups")
_POSSESSIVES = words("attribution.words.possessives")
_PARTICIPLE_BEFORE = words("attribution.words.participle_before")
# Words that alone name nobody; but "Most say …" is a group, "the Independent" a newspaper.
_EMPTY_WORDS = (
    words("attribution.words.function_words", "attribution.words.not_speakers")
    | words("attribution.words.verb_fillers")
    | CALENDAR
) - (words("attribution.words.collective", "attribution.words.groups") | {"independent", "former", "dear"})


def plausible_speaker(who: str, mid: bool = False) -> bool:
    """Whether a rule's speaker phrase can name someone: not a clause ("the artwork was", "I was"),
    not only function or calendar words ("In", "on Sunday", "Those"), not an addressee and a place
    ("reporters in New York, New York"). A rule whose phrase is none of these yields to the next."""
    last = who.split()[-1:]
    if last and fold(last[0]) in _PARTICIPLE_BEFORE:
        return False  # "… an investigation into" alleged misconduct: the verb form is a participle
    who = _clause_cut(_DANGLING.sub("", who) or who)  # "a member of the": "a member" (`_cut_short`)
    ws = who.replace(",", " ").split()
    folded = [fold(w).strip(".’'") for w in ws]
    if not ws or all(f in _EMPTY_WORDS for f in folded):
        # "…,” From said": a capitalised word inside a sentence is a name, whatever it means
        return mid and len(ws) == 1 and ws[0][:1].isupper() and folded[0] not in CALENDAR

    if len(ws) > 1 and folded[-1] in _POSSESSIVES:
        return False  # "Biden conveyed his" (thanks): the word after a possessive is a noun
    lead = [k for k, w in enumerate(ws) if w[:1].islower()]
    if ws[0].islower() and folded[0] in _ADDRESSEES:
        return False
    at = next((k for k in lead if folded[k] in _LOCATIVES), None)
    if at is not None and all(w[:1].isupper() for w in ws[at + 1 :]) and at + 1 < len(ws):
        tail = fold(" ".join(dict.fromkeys(ws[at + 1 :])))  # "New York, New York": one place
        # "The senator from Vermont", "Party leaders in Norland": someone of a place
        heads = {f for f in folded[:at]} | {f.rstrip("s") for f in folded[:at]}
        return tail not in places() or bool(heads & (ROLE_WORDS | _GROUP_WORDS))
    return True


_LEAD_NAME = re.compile(rf"^{_OPEN_CONJ}(?P<who>{PHRASE}),\s+(?!and\b|or\b)")


def _lead_subject(sentence: str, who: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]] | None:
    """ "Jo Lee, who chairs the board, on Friday said …": a time phrase read as the subject stands
    for the sentence's opening name (the subject of the clause its aside interrupts)."""
    if not all(fold(w).strip(".,’'") in _EMPTY_WORDS for w in who.split()):
        return None
    m = _LEAD_NAME.match(sentence)
    if m is None or m.end("who") >= span[0] or not plausible_speaker(m.group("who")):
        return None
    return apposed_name(sentence, m.group("who"), (m.start("who"), m.end("who")))


# A description, then the name it describes between commas: "One activist, Nur Khan Liton, …".
_DESCRIPTION = re.compile(r"^(?:[Aa]n?|[Oo]ne|[Aa]nother|[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Ss]ome)\s")
_APPOSED = re.compile(rf",\s+(?P<name>{_CAP}{_WORD}(?:\s+{_CAP}{_WORD}){{1,3}}),")


def apposed_name(sentence: str, who: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """The name a description is followed by between commas ("One activist, Nur Khan Liton, on Sunday
    told …", "…,” a spokesman, Jo Lee, said"): the speaker the article names, rather than the words
    describing them; else the phrase itself."""
    m = _APPOSED.match(sentence, span[1]) if _DESCRIPTION.match(who) else None
    if m is None or not plausible_speaker(m.group("name")):
        return who, span
    return m.group("name"), (m.start("name"), m.end("name"))


_DANGLING = re.compile(r"(?:\s+(?:of|the|and|for|a|an|to))+$")


def _cut_short(found: Found) -> Found:
    """ "his future secretary of", "senator and secretary of": a phrase the rule cut off before its
    last (lower-case) word; the words before the dangling particles are the speaker phrase. "Dahl is"
    ("Dahl is now assured of …"): the name before a verb the phrase ran into."""
    who = _clause_cut(found.who)
    cut = _DANGLING.search(who)
    if cut is not None and cut.start() > 0:
        who = who[: cut.start()]
    if who == found.who:
        return found
    return Found(who, (found.who_span[0], found.who_span[0] + len(who)), found.cue_span, found.how)


_CLAUSE_VERB_AT = re.compile(rf"\s(?:{alternation(words('attribution.words.clause_verbs'))})\b")


def _clause_cut(who: str) -> str:
    """The words before a phrase's own verb ("Dahl is" → "Dahl", "the statue was" → "the statue"):
    a speaker phrase is never a clause."""
    m = _CLAUSE_VERB_AT.search(who)
    if m is None:
        return who
    head = who[: m.start()]
    return head if head.split() else who


def _nationality(phrase: str) -> bool:
    """ "Russian", "the Ukrainian": a nationality word (not a country's name), nobody in particular."""
    ws = [fold(w).strip(".,’'") for w in phrase.split() if fold(w) not in {"the", "a", "an"}]
    return len(ws) == 1 and country_of(ws[0]) is not None and ws[0] not in places()


def first_match(sentence: str, para_start: bool) -> tuple[Rule, Found] | None:
    """The first rule of the table that reads the sentence, and what it read."""
    if not could_attribute(sentence):
        return None
    cuts = [(m.start(), m.end()) for m in _NAME_ASIDE.finditer(sentence)]
    dateline = _DATELINE.match(sentence)
    if dateline:  # "WASHINGTON — Sen. Chuck Grassley on Wednesday said …"
        cuts.insert(0, (0, dateline.end()))
    text = sentence
    for a, b in reversed(cuts):
        text = text[:a] + text[b:]
    for rule in RULES:
        found = rule.find(text, para_start)
        if found is not None and found.how is not None:
            found = _cut_short(found)
        if found is not None and (found.how is None or plausible_speaker(found.who, found.who_span[0] > 0)):
            found = _trimmed(found)
            return rule, _restore(found, cuts) if cuts else found
    return None


def _restore(found: Found, cuts: list[tuple[int, int]]) -> Found:
    """Spans of a sentence that had its datelines and asides (party tags, acronyms, …) cut out, as
    offsets into the sentence as written."""

    def back(pos: int, end: bool) -> int:
        for a, b in cuts:
            if pos > a or (pos == a and not end):
                pos += b - a
        return pos

    def span(sp: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if sp is None else (back(sp[0], False), back(sp[1], True))

    return Found(found.who, span(found.who_span) or found.who_span, span(found.cue_span), found.how)


def _trimmed(found: Found) -> Found:
    """The speaker phrase without the sentence's closing punctuation ("Carl Dahl." → "Carl Dahl")."""
    who = found.who.rstrip(" ,;:")
    if who.endswith(".") and not re.search(r"\b(?:[A-Z]|Jr|Sr|St|Inc|Co)\.$", who):
        who = who[:-1]
    if who == found.who:
        return found
    start = found.who_span[0]
    return Found(who, (start, start + len(who)), found.cue_span, found.how)
