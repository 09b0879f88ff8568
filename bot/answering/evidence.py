"""What a sentence holds that a question kind wants: a date, a place, a number, a cause, a role."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from bot import lexicon

_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_RE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTHS}(?:\s+\d{{4}})?|"
    rf"{_MONTHS}\s+\d{{4}}|(?:on|last|next|this|since|until|by)\s+{_WEEKDAYS}|{_WEEKDAYS}|"
    rf"(?:in|for|by|until|since|from|early|late|mid-)\s*{_MONTHS}\b|"
    r"(?:in|since|until|by|from)\s+(?:19|20)\d{2}|\d{4}-\d{2}-\d{2}|yesterday|today|tonight|tomorrow|"
    r"(?:last|next|this|earlier this|later this)\s+(?:week|month|year|weekend)|"
    r"\d{1,2}:\d{2}|(?:19|20)\d{2}|(?:19|20)\d0s|(?:in|on|at)\s+the\s+(?:morning|evening|night))\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|(?:am|pm)\b)",  # "7 p.m." ends in a stop, not a \b
    re.I,
)
NUMBER_RE = re.compile(
    r"(?:\b\d[\d,.]*(?:\s*(?:%|percent|per cent|million|billion|trillion|thousand|hundred))?|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|hundreds|thousand|thousands|dozens?|million|millions|billion|billions)\b|[$€£]\s?\d)",
    re.I,
)
PLACE_RE = re.compile(
    r"\b(?:in|at|near|inside|outside|held in|hosted by|venue|from|to|on|of|across|into|off)\s+"
    r"(?:the\s+)?(?:[a-z-]+\s+){0,2}[A-ZÀ-Þ][\w’'-]+",
)
CAUSE_RE = re.compile(
    r"\b(?:because|due to|since|as a result|owing to|in order to|so that|in response to|after|"
    r"following|amid|over|reason|caused by|led to|aims? to|aimed at|to (?:protest|prevent|support|ensure))\b",
    re.I,
)
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
    r"(?:in|since|until|by|from|of)\s+(?:19|20)\d{2}|\d{4}-\d{2}-\d{2})",
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
    "future": re.compile(r"\b(?:next|later this)\s+(?:week|month|year|weekend)|\btomorrow\b", re.I),
}
_OPPOSITE = {"past": "future", "future": "past"}


def date_evidence(sentence: str, tense: str | None = None) -> float:
    """How plainly a sentence dates something: a calendar date ("on Jan. 3", "in 2020") answers "when"
    by itself (1); a relative one ("last week", "on Monday", "today") needs the article's date (0.5);
    one that only points the other way in time from the question's tense ("next week" for "when did …")
    barely (0.25)."""
    if _DIGIT.search(sentence) and CALENDAR_RE.search(sentence):  # each of its forms has a digit
        return 1.0
    if not has_date(sentence):
        return 0.0
    other = _RELATIVE.get(_OPPOSITE.get(tense or "", ""))
    if other is not None and other.search(sentence):
        rest = other.sub(" ", sentence)
        if not has_date(rest):
            return 0.25
    return 0.5


def has_place(sentence: str) -> bool:
    return bool(PLACE_RE.search(sentence))


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


def has_count(sentence: str) -> bool:
    """A number that counts something: a year ("in 2007") is not an answer to "how many"."""
    counts = [
        m.start()
        for m in NUMBER_RE.finditer(sentence)
        if is_count(m.group(0), sentence[m.end() : m.end() + 2])
    ]
    if not counts:  # the dates are looked for only when there is a number they could hold
        return False
    dated = [m.span() for rx in (DATE_RE, CLOCK_RE) for m in rx.finditer(sentence)]
    return any(not any(a <= at < b for a, b in dated) for at in counts)  # "Jan. 3", "19:00" are not counts


def is_count(number: str, after: str = "") -> bool:
    """Not a year ("in 2007") and not an ordinal ("116th")."""
    n = number.strip(" .,")
    return not YEAR_RE.match(n) and not re.match(r"(?:st|nd|rd|th)\b", after + " ")


@cache
def _measure_re(unit_classes: tuple[str, ...]) -> re.Pattern[str]:
    """A number followed by a unit of the classes, maybe one word between: "22 minutes", "two full
    days", "a 22-minute flight", "(1,367 km)"; not a point in time ("three years ago") nor a rate ("km/h")."""
    units = lexicon.alternation(lexicon.words(*(f"questions.units.{c}" for c in unit_classes)))
    return re.compile(rf"(?:{NUMBER_RE.pattern})(?:\s+[\w-]+)?[\s-]+(?:{units})s?\b(?!/|\s+ago\b)", re.I)


def has_measure(sentence: str, unit_classes: tuple[str, ...]) -> bool:
    """A number with a unit of one of `unit_classes` (questions.units): a duration for "how long"."""
    return any(
        is_count(m.group(0).split()[0].split("-")[0]) for m in _measure_re(unit_classes).finditer(sentence)
    )


KIND_EVIDENCE: dict[str, Callable[..., float]] = {
    "when": date_evidence,
    "how_many": has_count,
    "where": has_place,
    "why": has_cause,
}
