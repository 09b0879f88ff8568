"""What a sentence holds that a question kind wants: a date, a place, a number, a cause, a role."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bot import lexicon
from bot.entities.lexicon import countries
from bot.text import STOP_WORDS, fold, stem

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_RE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTHS}(?:\s+\d{{4}})?|"
    rf"{_MONTHS}\s+\d{{4}}|(?:on|last|next|this|since|until|by)\s+{_WEEKDAYS}|{_WEEKDAYS}|"
    rf"(?:in|for|by|until|since|from|early|late|mid-)\s*{_MONTHS}\b|"
    r"(?:in|since|until|by|from)\s+(?:1[5-9]|20)\d{2}|\d{4}-\d{2}-\d{2}|yesterday|today|tonight|tomorrow|"
    r"(?:last|next|this|earlier this|later this)\s+(?:week|month|year|weekend)|"
    r"(?:within|in|over|during)\s+the\s+(?:next|coming)\s+(?:[\w-]+\s+)?(?:days|weeks|months|years)|"
    r"within\s+(?:a|an|one|two|three|four|five|six|seven|ten|\d+)\s+(?:days?|weeks?|months?|years?)|"
    r"by\s+the\s+end\s+of\s+(?:the|this|next)\s+(?:week|month|year)|"
    r"\d{1,2}:\d{2}|(?:19|20)\d{2}|(?:19|20)\d0s|(?:in|on|at)\s+the\s+(?:morning|evening|night))\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|(?:am|pm)\b)",  # "7 p.m." ends in a stop, not a \b
    re.I,
)
_NUMBER_WORDS = lexicon.alternation(lexicon.words("questions.numbers.words"))
NUMBER_RE = re.compile(
    r"(?:\b\d[\d,.]*(?:\s*(?:%|percent|per cent|million|billion|trillion|thousand|hundred))?|"
    rf"\b(?:{_NUMBER_WORDS})\b|[$€£]\s?\d)",  # the number words: questions.numbers.words
    re.I,
)
PLACE_RE = re.compile(
    r"\b(?:in|at|near|inside|outside|held in|hosted by|venue|from|to|on|of|across|into|off)\s+"
    r"(?:the\s+)?(?:[a-z-]+\s+){0,2}[A-ZÀ-Þ][\w’'-]+",
)
CAUSE_RE = re.compile(
    rf"\b(?:{lexicon.alternation(lexicon.words('questions.causes'))})\b", re.I
)  # questions.causes: a cause or purpose cue ("because", "due to", "impacted by", "to take part in")
ROLE_RE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|minister|president|secretary|chancellor|governor|senator|mayor|"
    r"director|chief|chair(?:man|woman)?|leader|ambassador|envoy|official|adviser|advisor|speaker|"
    r"representative|commissioner|king|queen|pope|deputy|head|founder|ceo|general|commander|judge|"
    r"prosecutor|candidate|member|professor|analyst|journalist|correspondent|activist|author|coach|"
    r"player|captain|premier|lawmaker|legislator|congress(?:man|woman)|prime)\b",
    re.I,
)


CALENDAR_RE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\d{{1,2}}\s+{_MONTHS}|{_MONTHS}\s+\d{{4}}|"
    r"(?:in|since|until|by|from|of)\s+(?:1[5-9]|20)\d{2}|\d{4}-\d{2}-\d{2}|"
    r"(?:mid|early|late)[- ]?(?:19|20)\d{2})",  # a deadline's part of a year: "by mid-2023"
    re.I,
)


_DIGIT = re.compile(r"\d")  # the same digits as the patterns' \d
# Every form DATE_RE matches holds a digit or one of these (case aside): a month's first three
# letters, "day" (weekdays, today, yesterday), "tomorrow", "week", "month", "year", "morning",
# "evening", "night". A sentence with none is no date, and is not run through DATE_RE.
_DATE_CUES = (
    *("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "day"),
    *("tomorrow", "week", "month", "year", "morning", "evening", "night"),
)
# The only characters re.IGNORECASE matches to an ASCII letter besides A-Z, and that str.lower()
# does not turn into that letter: with one of them the sentence goes through DATE_RE.
_CASE_ODD = re.compile("[\u0130\u0131\u017f\u212a]")


def has_date(sentence: str) -> bool:
    if not _DIGIT.search(sentence) and not _CASE_ODD.search(sentence):
        low = sentence.lower()
        if not any(cue in low for cue in _DATE_CUES):
            return False
    return bool(DATE_RE.search(sentence))


# Relative dates that point one way in time: the past ones cannot date what a question says will happen.
_RELATIVE = {
    "past": re.compile(r"\b(?:last|earlier this)\s+(?:week|month|year|weekend)|\byesterday\b", re.I),
    "future": re.compile(
        r"\b(?:next|later this)\s+(?:week|month|year|weekend)|\btomorrow\b|\b(?:in|within|over|during)\s+"
        r"the\s+(?:next|coming)\s+(?:[\w-]+\s+)?(?:days|weeks|months|years)\b"
        r"|\bwithin\s+\w+\s+(?:days?|weeks?|months?|years?)\b",
        re.I,
    ),
}
_AHEAD = re.compile(rf"\b(?:{lexicon.alternation(lexicon.words('questions.tense.ahead'))})\b", re.I)
_OPPOSITE = {"past": "future", "future": "past"}


AHEAD_WORDS = 6  # a date this many words after a verb of plan or future is set ahead


def _set_ahead(sentence: str) -> bool:
    """A date the sentence sets ahead: a relative date pointing forward ("in the next five days") or
    one a few words after a verb of plan or future (questions.tense.ahead: "will be tested again on
    Wednesday"); not one in a past narrative ("before appearing in court on the next day")."""
    if _RELATIVE["future"].search(sentence):
        return True
    for m in DATE_RE.finditer(sentence):
        before = sentence[: m.start()].split()[-AHEAD_WORDS:]
        if _AHEAD.search(" ".join(before)):
            return True
    return False


def has_calendar_date(sentence: str) -> bool:
    """A date that answers "when" by itself ("on Jan. 3", "in 2020", "by mid-2023"): each form has a digit."""
    return bool(_DIGIT.search(sentence) and CALENDAR_RE.search(sentence))


def date_evidence(sentence: str, tense: str | None = None) -> float:
    """How plainly a sentence dates something: a calendar date ("on Jan. 3", "in 2020") answers "when"
    by itself (1); a relative one ("last week", "on Monday", "today") needs the article's date (0.5);
    one that only points the other way in time from the question's tense ("next week" for "when did …")
    barely (0.25). For a question on a plan or the future, a relative date the sentence sets ahead
    ("He will be tested again on Wednesday", "we plan to withdraw in the next five days") answers as
    plainly as a calendar one: the article's date fixes it, and the plan is what was asked."""
    if has_calendar_date(sentence):
        return 1.0
    if not has_date(sentence):
        return 0.0
    if tense == "future" and _set_ahead(sentence):
        return 1.0
    other = _RELATIVE.get(_OPPOSITE.get(tense or "", ""))
    if other is not None and other.search(sentence):
        rest = other.sub(" ", sentence)
        if not has_date(rest):
            return 0.25
    return 0.5


def clock_evidence(sentence: str, tense: str | None = None) -> float:
    """For "what time …": a clock time ("at 7:37 p.m.") answers it (1); a date alone ("earlier this
    year", "on Wednesday") only dates the day, as `date_evidence` reads it, at most 0.5."""
    if has_clock_time(sentence):
        return 1.0
    return min(date_evidence(sentence, tense), 0.5)


def has_place(sentence: str) -> bool:
    return bool(PLACE_RE.search(sentence))


_CLAUSE_MARK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_CALENDAR_NAME = re.compile(rf"^(?:{_MONTHS}|{_WEEKDAYS})$")


@cache
def _attached_re() -> re.Pattern[str]:
    """A preposition that places only beside the event's words (questions.places.attached) before a name."""
    preps = lexicon.alternation(lexicon.words("questions.places.attached"))
    return re.compile(
        rf"\b(?i:{preps})\s+(?:the\s+)?(?:(?![a-z-]*ing\s)[a-z-]+\s+){{0,2}}(?P<name>[A-ZÀ-Þ][\w’'-]+)"
    )


@cache
def _locative_re() -> re.Pattern[str]:
    """A locative preposition (questions.places.locative) before a capitalised name, maybe after
    "the" and up to two lower-case words ("in Calabasas", "at the White House"), or a place noun
    before "of" and a name (questions.places.nouns: "the island of Majorca")."""
    preps = lexicon.alternation(lexicon.words("questions.places.locative"))
    nouns = lexicon.alternation(lexicon.words("questions.places.nouns"))
    return re.compile(
        rf"(?:\b(?i:{preps})\s+(?:the\s+)?(?:(?![a-z-]*ing\s)[a-z-]+\s+){{0,2}}|\b(?:{nouns})\s+of\s+(?:the\s+)?)"
        r"(?P<name>[A-ZÀ-Þ][\w’'-]+)"
    )


SHORT_CLAUSE = 6  # a clause of at most this many words ("on June 20 in Tulsa") reads the one before too


def _clause(sentence: str, start: int, end: int) -> str:
    """The text of the clause (between commas, semicolons, colons, brackets, dashes) around the span;
    a short one joins the clause before it: "…his first rally since …, on June 20 in Tulsa"."""
    head = _CLAUSE_MARK.split(sentence[:start])
    tail = _CLAUSE_MARK.split(sentence[end:])[0]
    own = head[-1] + sentence[start:end] + tail
    if len(own.split()) <= SHORT_CLAUSE and len(head) > 1:
        own = head[-2] + " " + own
    return own


# A place in brackets after what it places, its last part a country of the entity layer's table
# (pycountry and the demonyms): "the opening of the Forum (Milan, Italy)", "the summit (Bali, Indonesia)".
_BRACKETED_PLACE = re.compile(
    r"\((?:[A-ZÀ-Þ][\w’'.-]*(?:\s+[A-ZÀ-Þ][\w’'.-]*){0,2},\s+)?(?P<country>[A-ZÀ-Þ][\w’'.-]*(?:\s+[A-ZÀ-Þ][\w’'.-]*){0,2})\)"
)


# A noun of the asked event before "of" and a name: the name is the event's place ("Mayor of Las
# Vegas" for "where did he run for mayor", "the siege of Mariupol" for "where was the siege").
# A name followed by a lower-case content word modifies it ("of the Russian occupiers"): no place.
_OF_PLACE = re.compile(
    r"\b(?P<head>[A-Za-z][\w-]+)\s+of\s+(?:the\s+)?(?P<name>[A-ZÀ-Þ][\w’'-]+)"
    r"(?P<rest>(?:\s+[A-ZÀ-Þ][\w’'-]+)*)(?:\s+(?P<next>[a-z][\w’'-]*))?"
)


def _names_event(clause: str, topic: frozenset[str]) -> bool:
    """Whether a word of the clause is a term of the asked event (`topic`, stems)."""
    return bool(topic) and any(stem(w.lower()) in topic for w in _WORD.findall(clause) if w[:1].isalpha())


def _given(name: str, given: frozenset[str]) -> bool:
    """Whether a word of a name is a term of the question (`given`, stems): "the killing of Qasem
    Soleimani" for "where was soleimani killed" says whom, not where."""
    terms = [stem(fold(w)) for w in _WORD.findall(name) if w[:1].isalpha() and fold(w) not in STOP_WORDS]
    return any(t in given for t in terms)


def place_evidence(
    sentence: str,
    topic: frozenset[str] = frozenset(),
    asked: str | None = None,
    given: frozenset[str] = frozenset(),
) -> float:
    """How plainly a sentence puts the asked event at a place (rule ids in brackets): 1 for a
    locative phrase with a name ("in Calabasas", questions.places) in the clause of a term of the
    event (`topic`: the question's terms less its names, "helicopter … go down": "a helicopter …
    crashed in Calabasas", place.attached); 0.75 for such a phrase elsewhere (place.locative); 0.5
    where only the broad PLACE_RE holds ("the head of Ukraine's office", place.weak); 0 for none.
    "to", "on" place only in such a clause (questions.places.attached: "delivered to the Mykolaiv
    hospital"). A month or weekday is no place ("in January"). A bracketed place whose last part is
    a country ("the Forum (Milan, Italy)") places the phrase before it (place.bracketed); a term
    of the event before "of" and a name ("ran for Mayor of Las Vegas") is 1 (place.of_event). With
    `asked` (the preposition a where-question ends in, "where are they from"), a locative of that
    preposition is 1 wherever it stands (place.asked) and one of another at most 0.5: it places
    something else. A name after "of" that the question holds (`given`, its terms) is whom the event
    was done to, not its place (a locative "in Kamchatka" still places "the ice arena in Kamchatka"
    that "where … in kamchatka" asks for)."""
    best = 0.0
    for m in _BRACKETED_PLACE.finditer(sentence):  # place.bracketed: "the Forum (Milan, Italy)"
        if fold(m.group("country")) not in countries():
            continue
        if asked is not None:
            best = max(best, 0.5)
            continue
        if _names_event(_CLAUSE_MARK.split(sentence[: m.start()])[-1], topic):
            return 1.0
        best = max(best, 0.75)
    if topic and asked is None:  # place.of_event: "ran for Mayor of Las Vegas", "the siege of Mariupol"
        for m in _OF_PLACE.finditer(sentence):
            modifies = m.group("next") is not None and m.group("next") not in STOP_WORDS
            if modifies or _CALENDAR_NAME.match(m.group("name")):
                continue
            if _given(m.group("name") + m.group("rest"), given):
                continue  # "where was Soleimani killed": "the killing of Qasem Soleimani" is whom, not where
            if stem(m.group("head").lower()) in topic:
                return 1.0
    for rx, alone in ((_locative_re(), 0.75), (_attached_re(), 0.0)):
        for m in rx.finditer(sentence):
            name = m.group("name")
            if _CALENDAR_NAME.match(name):
                continue
            if asked is not None:
                if m.group(0).lower().startswith(asked + " "):
                    return 1.0  # place.asked
                best = max(best, 0.5)
                continue
            if _names_event(_clause(sentence, m.start(), m.end()), topic):
                return 1.0  # place.attached
            best = max(best, alone)  # place.locative
    if best == 0.0 and has_place(sentence):
        return 0.5  # place.weak
    return best


def has_cause(sentence: str) -> bool:
    return bool(CAUSE_RE.search(sentence))


def has_role(sentence: str) -> bool:
    return bool(ROLE_RE.search(sentence))


CLOCK_RE = re.compile(
    r"\b\d{1,2}(?::\d{2})\b|\b\d{1,2}\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock)|\b(?:noon|midnight)\b", re.I
)
YEAR_RE = re.compile(r"^(?:1[89]|20)\d{2}$")


def has_clock_time(sentence: str) -> bool:
    return bool(CLOCK_RE.search(sentence))


def has_number(sentence: str) -> bool:
    """Any number, a year or an ordinal too ("his 100th race" answers how many races he rowed)."""
    return NUMBER_RE.search(sentence) is not None


def has_count(sentence: str) -> bool:
    """A number that counts something: a year ("in 2007") is not an answer to "how many"."""
    return _undated_counts(sentence) is not None


def _undated_counts(sentence: str) -> tuple[list[re.Match[str]], list[tuple[int, int]]] | None:
    """The sentence's counts (NUMBER_RE matches that are no year or ordinal) and the spans of its
    dates and clock times, or None when no count lies outside those ("Jan. 3", "19:00" are not
    counts): what `has_count` asks and `count_evidence` reads, so the patterns run once."""
    counts = [
        m for m in NUMBER_RE.finditer(sentence) if is_count(m.group(0), sentence[m.end() : m.end() + 2])
    ]
    if not counts:  # the dates are looked for only when there is a number they could hold
        return None
    dated = _not_counts(sentence)
    if all(any(a <= m.start() < b for a, b in dated) for m in counts):
        return None
    return counts, dated


_ORDINAL_END = re.compile(r"(?:st|nd|rd|th)\b")


def _not_counts(sentence: str) -> list[tuple[int, int]]:
    """Spans whose numbers count nothing: dates, clock times and ages ("all aged fifteen")."""
    return [m.span() for rx in (DATE_RE, CLOCK_RE, _age_re()) for m in rx.finditer(sentence)]


def is_count(number: str, after: str = "") -> bool:
    """Not a year ("in 2007") and not an ordinal ("116th")."""
    n = number.strip(" .,")
    return not YEAR_RE.match(n) and not _ORDINAL_END.match(after + " ")


_WORD = re.compile(r"[^\W_][\w’'-]*|[^\w\s]")


ANOTHER_THINGS_COUNT = 0.5  # count_evidence where every count counts another thing than the one asked
OTHER_NOUN_COUNT = 0.75  # with the counted noun asked: a count of a topic term or of no noun of its own


def count_evidence(sentence: str, topic: frozenset[str], counted: frozenset[str] = frozenset()) -> float:
    """A count of the thing asked for: 1 where a count is followed, within three words, by a topic
    term ("four ferries", "390 tonnes of humanitarian cargo"), by no noun of its own ("over 1,000
    in Poland", "$52.5 million was collected": the noun is the one the text is about) or by a unit
    of money or goods (questions.units: "a loss of 123 billion rubles"); 0.5 where every count counts
    another thing ("killed five girls" for "how many escape rooms"); 0 for none. With `counted` (the
    noun after "how many", as stems with their synonyms: "how many people work …"), only a count of
    that noun is 1 ("employs over 38,000 people"); the others above are OTHER_NOUN_COUNT ("8,000
    Russian-made helicopters")."""
    found = _undated_counts(sentence)
    if found is None:
        return 0.0
    counts, dated = found
    best = ANOTHER_THINGS_COUNT
    top = OTHER_NOUN_COUNT if counted else 1.0
    for m in counts:
        if any(a <= m.start() < b for a, b in dated):
            continue
        after = _WORD.findall(sentence[m.end() :])[:4]
        if after[:1] == ["-"]:  # "a 16-jurisdiction initiative": the count is of the word joined to it
            after = after[1:]
        after = after[:3]
        stems = {stem(w.lower()) for w in after if w[:1].isalpha()}
        if counted and stems & counted:
            # …in a clause holding another term of the topic: "The study examined 93 statues", not
            # "the Nazis executed 100,000 people" for "how many people were killed when …".
            clause = {stem(w.lower()) for w in _WORD.findall(_clause(sentence, m.start(), m.end()))}
            if (clause - counted) & topic:
                return 1.0
            best = max(best, top)
            continue
        if not after or not after[0][:1].isalpha() or after[0].lower() in STOP_WORDS:
            best = max(best, top)  # "1,000 in Poland", "190 were dead", "83%."
        elif stems & topic:
            best = max(best, top)
        else:
            w = after[0].lower()
            if {w, w.removesuffix("s"), w.removesuffix("es")} & _units():
                best = max(best, top)  # "123 billion rubles": a unit, the count's noun is the one asked about
    return best


@cache
def _units() -> frozenset[str]:
    """Units a count of money, goods or a share is given in; a duration or length ("two days") counts another
    thing than a count question asks (those are what "how long" asks)."""
    return lexicon.words("questions.units.money", "questions.units.mass", "questions.units.share")


@cache
def _measure_re(unit_classes: tuple[str, ...]) -> re.Pattern[str] | None:
    """A number followed by a unit of the classes, maybe one word between: "22 minutes", "two full
    days", "a 22-minute flight", "(1,367 km)"; not a rate ("km/h"). "ago" after it is read apart."""
    classes = [c for c in unit_classes if c not in ("count", "age")]
    if not classes:
        return None
    units = lexicon.alternation(lexicon.words(*(f"questions.units.{c}" for c in classes)))
    return re.compile(
        rf"(?:{NUMBER_RE.pattern})(?:\s+[\w-]+)?(?P<joint>[\s-]+)(?:{units})s?\b(?!/)(?P<ago>\s+ago\b)?", re.I
    )


@cache
def _age_re() -> re.Pattern[str]:
    """An age: a number after a word that gives one (questions.numbers.age_before: "aged 15", "at the
    age of fifteen") or before "year(s) old" ("the sixteen-year-old", "75 years old")."""
    before = lexicon.alternation(lexicon.words("questions.numbers.age_before"))
    num = rf"(?:\d{{1,3}}|(?:{_NUMBER_WORDS})(?:-[a-z]+)?)"  # "twenty-five" is read whole
    return re.compile(rf"\b(?:(?:{before})\s+{num}\b|{num}[\s-]+years?[\s-]+old\b)", re.I)


def has_age(sentence: str) -> bool:
    return bool(_age_re().search(sentence))


START_WORDS = 4  # "N years ago": a verb of starting this many words after it makes it a duration


@cache
def _starts() -> frozenset[str]:
    """Forms of the verbs of starting (questions.verbs.start): "started", "began", "joined"."""
    return frozenset(f for v in lexicon.words("questions.verbs.start") for f in lexicon.inflect(v))


def measure_evidence(
    sentence: str, unit_classes: tuple[str, ...], topic: frozenset[str] = frozenset()
) -> float:
    """A measure of the thing asked for, in a unit of `unit_classes` (questions.measures: a duration or
    length for "how long"): 1 for one the sentence states ("this one is 15.5 km", "for 40 years"),
    or a time since a start ("Forty years ago, I started as an operator" for "how long has he worked
    there"; "three years ago" alone is a point in time, unless "how long ago" is asked); 0.5 where
    every one measures another thing: a measure written before a compound noun whose head is not the
    topic's ("an 11-metre tunnel boring machine" for "how long is the tunnel"); with "count" among
    the classes ("how big"), a count of the thing counts as `count_evidence` reads it; 0 for none."""
    if "age" in unit_classes and has_age(sentence):  # "how old": an age answers it as it stands
        return 1.0
    best = 0.0
    rx = _measure_re(unit_classes)
    for m in rx.finditer(sentence) if rx is not None else ():
        if not is_count(m.group(0).split()[0].split("-")[0]):
            continue
        after = _WORD.findall(sentence[m.end() :])
        if m.group("ago"):  # a point in time, unless it is when something asked about started
            started = any(w.lower() in _starts() for w in after[:START_WORDS])
            if "duration" in unit_classes and (started or "ago" in topic):  # or "how long ago"
                return 1.0
            continue
        if "-" in m.group("joint"):  # "an 11-metre tunnel boring machine": it measures the compound's head
            run = list(itertools.takewhile(_noun_word, after))
            if run and stem(run[-1].lower()) not in topic:
                best = 0.5
                continue
        return 1.0
    if "count" in unit_classes and best < 1.0:
        best = max(best, count_evidence(sentence, topic))
    return best


def _noun_word(word: str) -> bool:
    """A word of the compound noun after a measure: not a stop word, a mark or a past verb ("the
    9-metre tunnel opened")."""
    w = word.lower()
    return word[:1].isalpha() and w not in STOP_WORDS and not w.endswith("ed")


def has_measure(sentence: str, unit_classes: tuple[str, ...]) -> bool:
    """A number with a unit of one of `unit_classes` (questions.units): a duration for "how long"."""
    return measure_evidence(sentence, unit_classes) > 0


_DEFINING = re.compile(  # ", a …", "(a …", " - a …", " is a …" right after the thing
    r"^\s*(?:[,(]|\s[-\u2013\u2014])\s*(?:a|an|the|one)\b|^\s+(?:is|are)\s+(?:a|an|the|one)\b", re.I
)


DEFINE_GAP = 6  # words that may stand between the thing's head word and its apposition


def definition_evidence(sentence: str, head: str) -> float:
    """1 where the sentence says what the thing is: its head word (a stem) followed, within DEFINE_GAP words,
    by an apposition or a copula and an article ("Build Back Better World, a values-driven …
    partnership", "the Book of Torturers has been initiated - a collection of …", "The fund is a
    …"); 0 otherwise."""
    for m in re.finditer(r"[\w’'-]+", sentence):
        if stem(m.group(0).lower()) != head:
            continue
        rest = sentence[m.end() :]
        for _ in range(DEFINE_GAP + 1):  # "Book of Torturers has already been initiated - a …"
            if _DEFINING.match(rest):
                return 1.0
            nxt = re.match(r"\s*[\w’'-]+", rest)
            if nxt is None:
                break
            rest = rest[nxt.end() :]
    return 0.0


def instance_evidence(sentence: str, noun: str) -> float:
    """How plainly a sentence names a thing of the asked kind (`noun`, stemmed): 1 for the noun
    beside a capitalised word that does not open the sentence ("singer Mina", "the Dog Tag bakery")
    or before a quotation ("a theme, "Each for Equal""), else 0: the noun alone is often the
    question's echo, and an answer need not repeat it ("what action" → "imposed sanctions"). A
    name owning the noun ("Russia's actions") or placing it ("actions in Ukraine") names no instance.
    "Which singer did X quote" is answered by the singer's name."""
    words = _WORD.findall(sentence)
    at = [i for i, w in enumerate(words) if w[:1].isalpha() and stem(w.lower()) == noun]
    if not at:
        return 0.0

    first = next((k for k, w in enumerate(words) if w[:1].isalpha()), 0)  # after an opening quote

    def names(j: int) -> bool:
        w = words[j] if first < j < len(words) else ""
        return w[:1].isupper() and not w.lower().endswith(("'s", "’s"))

    def quotes(j: int) -> bool:
        return any(k < len(words) and words[k] in {'"', "“"} for k in (j, j + 1))

    return float(any(names(i - 1) or names(i + 1) or quotes(i + 1) for i in at))


KIND_EVIDENCE: dict[str, Callable[..., float]] = {
    "when": date_evidence,
    "how_many": has_count,
    "where": has_place,
    "why": has_cause,
}


# --- the doer a "who did …" question asks for -------------------------------------------------

_TOKEN = re.compile(r"[^\W_][\w’'.-]*|[,;:()]")
_BE = frozenset({"is", "was", "were", "are", "be", "been", "being"})
_AGENT_SUFFIX = ("er", "or", "ant", "ist")


@dataclass(frozen=True)
class AgentCue:
    """How a sentence may name the doer a "who VERB …" question asks for: the surface forms of the
    verb's synonym/derivation class (bot/lexicon/synonyms.tsv), the agent nouns of that class
    ("command" → "commander"), whether an appointment names them (who holds a role), and the index
    terms of all these (the sentences that may hold the cue, for a pool of their own)."""

    verbs: frozenset[str]
    nouns: frozenset[str]
    appoints: bool = False
    terms: frozenset[str] = frozenset()


def agent_cue(verb: str | None, roles: tuple[str, ...] = ()) -> AgentCue | None:
    """The cue of a question's verb ("paid", "commanded", "heads") or of the role words it asks the
    holder of ("the new head of the prison service"); None when it asks for no doer. An agent noun
    is a word of the verb's class that is a role word ("head") or ends as agents do ("payer")."""
    table = lexicon.synonyms()
    role_words = lexicon.words("roles.words.person")
    klass: set[str] = set()
    if verb and verb.lower() not in lexicon.words("questions.verbs.no_agent"):
        v = verb.lower()
        key = stem(v)
        # The table's entries for the word as written and for its stem ("commanded" → command).
        heads = {v, key, *(w for w in (key + "e",) if w in table)}
        if "_" in v:  # a phrasal verb ("set_up"): its class and its verb's own forms ("set up")
            heads = {v}
        klass = {w for h in heads for w in (h, *table.get(h, ())) if w.isalpha()}
        if "_" in v:
            klass.add(v.split("_")[0])
    nouns = {w for w in klass if w in role_words or (w.endswith(_AGENT_SUFFIX) and len(w) > 4)}
    nouns.update(roles)
    if not klass and not nouns:
        return None
    verbs = {f for w in klass for f in (w, *lexicon.inflect(w))}
    appoints = bool(roles) or bool(nouns & role_words)
    terms = {stem(w) for w in klass | nouns}
    if appoints:
        terms |= _appointment_stems()
    plural = {n + "s" for n in nouns}
    return AgentCue(frozenset(verbs), frozenset(nouns | plural), appoints, frozenset(terms))


@cache
def _appointment_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in lexicon.words("questions.verbs.appointment"))


@cache
def _appointment_forms() -> frozenset[str]:
    """The appointment verbs' forms and their nouns ("the appointment of Y")."""
    verbs = lexicon.words("questions.verbs.appointment")
    nouns = lexicon.words("questions.verbs.appointment_nouns")
    return frozenset({f for v in verbs for f in lexicon.inflect(v)} | nouns)


def _named(tokens: list[str], i: int) -> bool:
    """A capitalised word not opening the sentence: part of a name ("Alexander Suvorov", "CSTO")."""
    return 0 < i < len(tokens) and tokens[i][:1].isupper()


SUBJECT_AGENT = 0.5  # a name before the active verb: the doer, or only the first name of its clause
SUBJECT_WORDS = 10  # how far back in the clause the subject's name may stand


def _subject_named(tokens: list[str], i: int) -> bool:
    """A name before the verb at `i` in its clause (no comma, colon or bracket between), within
    SUBJECT_WORDS tokens: the doer of an active verb ("Berg and the council established …")."""
    for j in range(i - 1, max(-1, i - SUBJECT_WORDS - 1), -1):
        if tokens[j] in {",", ";", ":", "(", ")"}:
            return False
        if _named(tokens, j):
            return True
    return False


PASSIVE_GAP = 3  # "was handed over to him by X": this many words may stand between a participle and "by"


def _by_after(low: list[str], i: int) -> int | None:
    """The position of the "by" that names the agent of the verb at `i`: right after it, or within
    PASSIVE_GAP words with no clause mark between ("was handed over to him by", "was funded in
    2019 by")."""
    for j in range(i + 1, min(i + 2 + PASSIVE_GAP, len(low))):
        if low[j] == "by":
            return j
        if low[j] in {",", ";", ":", "(", ")"}:
            return None
    return None


def agent_evidence(sentence: str, cue: AgentCue) -> float:
    """How plainly the sentence names a doer of the asked verb (rule ids in brackets):
    1 for a passive agent of the verb's class ("was funded by … Suvorov", agent.passive), an agent
    noun beside a name ("the commander of the forces, Colonel-General X", "X, head of …",
    agent.noun) or an appointment of a named person to a role (agent.appointed); 0.5 for a passive
    agent of another verb ("was restored by X", agent.passive_other), where the question's verb is
    the article's paraphrase ("who paid for" ↔ "was funded by"); SUBJECT_AGENT for a name in the
    clause before an active form of the verb ("the council set up the fund", agent.subject); else 0."""
    tokens = _TOKEN.findall(sentence)
    low = [t.lower() for t in tokens]
    appoint = _appointment_forms() if cue.appoints else frozenset()
    if (
        "by" not in low
        and not cue.nouns.intersection(low)
        and not appoint.intersection(low)
        and not cue.verbs.intersection(low)
    ):
        return 0.0  # none of its forms: most sentences, read without stemming a word
    best = 0.0
    for i, w in enumerate(low):
        nxt = low[i + 1] if i + 1 < len(low) else ""
        by = _by_after(low, i)
        if by is not None and any(_named(tokens, j) for j in range(by + 1, min(by + 10, len(tokens)))):
            if w in cue.verbs and (by == i + 1 or _BE & set(low[max(0, i - 3) : i])):
                return 1.0  # agent.passive
            if w.endswith(("ed", "en")) and _BE & set(low[max(0, i - 3) : i]):
                best = max(best, 0.5)  # agent.passive_other
        if (
            w in cue.verbs
            and nxt != "by"
            and not _BE & set(low[max(0, i - 2) : i])
            and _subject_named(tokens, i)
        ):
            best = max(best, SUBJECT_AGENT)  # agent.subject: "the Brenton council … set up a fund"
        if w in cue.nouns:
            if _named(tokens, i + 1):  # "Commander X"
                return 1.0
            after = low[i + 1 : i + 11]
            if "," in after and _named(tokens, i + 2 + after.index(",")):  # "the head of X, Y"
                return 1.0
            for j in range(max(1, i - 4), i):  # "Y, (the new) head of X"
                if low[j] == "," and _named(tokens, j - 1) and all(t.islower() for t in tokens[j + 1 : i]):
                    return 1.0
        if w in appoint:
            if _named(tokens, i + 1):  # "appoints Y director", "the appointment of" is below
                return 1.0
            if nxt == "of" and _named(tokens, i + 2):
                return 1.0
            back = low[max(0, i - 3) : i]
            if _BE & set(back) and any(_named(tokens, j) for j in range(max(0, i - 5), i)):
                return 1.0  # "Y was appointed", "Y has been elected"
    return best
