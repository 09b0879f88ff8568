"""Periods of time named in a question or an option: "in June 2022", "this week", "since May 3".

Parsed once, here, for question analysis, `citebot quotes --since/--from/--to` and follow digests.
A period is a closed range of dates; relative phrases ("yesterday", "last week") count from `now`
(`CITEBOT_NOW`, an ISO date, overrides today for tests and evaluation). dateparser reads the
date expressions themselves (month names, day-month order); the phrases around them are rules here.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import dateparser

from bot.text import words

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_MON = rf"(?:{_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# One date expression, coarsest last so the longest form wins: "3 March 2022", "March 3, 2022",
# "March 2022", "March 3", "2022-03-03", "2022", "March".
_DATE = (
    rf"(?:\d{{4}}-\d\d-\d\d|{_DAY}\s+{_MON},?\s+{_YEAR}|{_MON}\s+{_DAY},?\s+{_YEAR}|{_MON},?\s+{_YEAR}"
    rf"|{_MON}\s+{_DAY}\b|{_DAY}\s+{_MON}|{_YEAR}|(?:{_MONTHS})\b)"
)
_ATTRIBUTIVE_MONTHS = "|".join(m for m in _MONTHS.split("|") if m not in {"march", "may"})
# "feb" → "february", "sept" → "september": how articles write a month a question abbreviates.
_MONTH_NAMES = {calendar.month_abbr[m].lower(): calendar.month_name[m].lower() for m in range(1, 13)} | {
    "sept": "september"
}
EVENT_WORDS = 3  # words after an attributive period read as the event it dates ("the march 18 video address")
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}


@dataclass(frozen=True)
class Period:
    """Dates from `start` to `end`, both inclusive; either may be open (None). A question's month with
    no year ("in April", "his June visit") is that month of any year (`month`, and `day` if given):
    a news archive spans years, and the user means the April the corpus reports, not this year's."""

    start: date | None
    end: date | None
    label: str  # the words that named it, as the user typed them ("in June 2022")
    month: int = 0  # 1-12: that month of any year (start and end are then None)
    day: int = 0  # with `month`: that day of it

    def contains(self, day: date | None) -> bool:
        """Whether an article of that date falls in the period; undated articles never do."""
        if day is None:
            return False
        if self.month:
            return day.month == self.month and (not self.day or day.day == self.day)
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def whole_months(self) -> bool:
        """A month or more the user named ("in 2021", "in March", "the 2021 parade"): not a day, which
        is often reported the day after, nor a period counted from today."""
        if is_relative(self.label) or self.day:
            return False
        if self.month:
            return True
        return self.start is not None and self.end is not None and (self.end - self.start).days >= 27

    def written(self) -> str:
        """The period's words as articles write them: a month abbreviated in full ("feb 16" →
        "february 16")."""
        return " ".join(_MONTH_NAMES.get(w, w) for w in words(self.label))

    def describe(self) -> str:
        """A short name for answer heads: "June 2022", "2024-05-06 to 2024-05-12", "since 2022-03-01"."""
        if self.month:
            name = calendar.month_name[self.month]
            return f"{name} {self.day}" if self.day else name
        s, e = self.start, self.end
        if s and e:
            if s.day == 1 and e == _month_end(s):
                return s.strftime("%B %Y")
            if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
                return str(s.year)
            return s.isoformat() if s == e else f"{s.isoformat()} to {e.isoformat()}"
        if s:
            return f"since {s.isoformat()}"
        return f"until {e.isoformat()}" if e else "any time"


@dataclass(frozen=True)
class PeriodMatch:
    """A period found in a text, where it was, and whether the text asks for the newest ("last")."""

    period: Period | None
    span: tuple[int, int]
    newest: bool = False
    attributive: bool = False  # "the 2020 election", "his june visit": the event's attribute, named with it
    event: tuple[str, ...] = ()  # an attributive period's next words, the event it dates ("visit")


def today() -> date:
    """Today, or `CITEBOT_NOW` (an ISO date) when set: relative periods count from here."""
    fixed = os.environ.get("CITEBOT_NOW", "").strip()
    if fixed:
        try:
            return date.fromisoformat(fixed[:10])
        except ValueError:
            pass
    return date.today()


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _expand(expr: str) -> tuple[date, date] | None:
    """The dates one expression covers: a day, a whole month, or a whole year."""
    text = expr.strip().rstrip(",")
    low = text.lower()
    if re.fullmatch(_YEAR, low):
        y = int(low)
        return date(y, 1, 1), date(y, 12, 31)
    parsed = dateparser.parse(
        text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}
    )
    if parsed is None:
        return None
    d = parsed.date()
    has_day = bool(
        re.search(r"\d{4}-\d\d-\d\d|\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", low.replace(str(d.year), ""))
    )
    if not has_day:
        if not re.search(_YEAR, low):  # "in March": the latest March not after today
            ref = today()
            d = d.replace(year=ref.year if d.month <= ref.month else ref.year - 1)
        first = d.replace(day=1)
        return first, _month_end(first)
    if not re.search(_YEAR, low):
        ref = today()
        d = d.replace(year=ref.year if (d.month, d.day) <= (ref.month, ref.day) else ref.year - 1)
    return d, d


def _relative(phrase: str, now: date) -> tuple[date | None, date | None] | None:
    p = phrase.lower()
    if p == "today":
        return now, now
    if p == "yesterday":
        return now - timedelta(days=1), now - timedelta(days=1)
    m = re.fullmatch(r"(this|last|past|previous)\s+(week|month|year)", p)
    if m:
        which, unit = m.groups()
        if unit == "week":
            monday = now - timedelta(days=now.weekday())
            if which == "this":
                return monday, now
            if which == "past":
                return now - timedelta(days=6), now
            return monday - timedelta(days=7), monday - timedelta(days=1)
        if unit == "month":
            first = now.replace(day=1)
            if which == "this":
                return first, now
            if which == "past":
                return now - timedelta(days=29), now
            prev = (first - timedelta(days=1)).replace(day=1)
            return prev, _month_end(prev)
        if which == "this":
            return date(now.year, 1, 1), now
        if which == "past":
            return now - timedelta(days=364), now
        return date(now.year - 1, 1, 1), date(now.year - 1, 12, 31)
    m = re.fullmatch(r"(?:the\s+)?(?:last|past)\s+(\d+)\s+(days?|weeks?|months?|years?)", p)
    if m:
        n = int(m.group(1)) * _UNITS[m.group(2)]
        return now - timedelta(days=max(n - 1, 0)), now
    return None


_RELATIVE = (
    r"today|yesterday|(?:this|last|past|previous)\s+(?:week|month|year)"
    r"|(?:the\s+)?(?:last|past)\s+\d+\s+(?:days?|weeks?|months?|years?)"
)
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("between", re.compile(rf"\b(?:between|from)\s+({_DATE})\s+(?:and|to|until)\s+({_DATE})", re.I)),
    ("since", re.compile(rf"\b(?:since|after)\s+({_DATE})", re.I)),
    ("until", re.compile(rf"\b(?:before|until|till)\s+({_DATE})", re.I)),
    ("relative", re.compile(rf"(?:\b(?:in|during|over|within)\s+)?\b({_RELATIVE})\b", re.I)),
    ("in", re.compile(rf"\b(?:in|on|during|of)\s+(?:early\s+|late\s+|mid-?)?({_DATE})", re.I)),
    # "the january meeting", "his june visit": a month as the attribute of an event (not "march" or
    # "may", which are also common words: "the anti-brexit march", unless a day follows: "his may 15
    # address"); a year so ("the 2021 parade", "his 2020 campaign")
    (
        "attributive",
        re.compile(
            rf"\b(?:the|his|her|their|its)\s+({_MON}\s+{_DAY}|{_ATTRIBUTIVE_MONTHS}|{_YEAR})\s+(?=[a-z])",
            re.I,
        ),
    ),
]
_RELATIVE_RE = re.compile(rf"\b(?:{_RELATIVE})\b", re.I)


def is_relative(label: str) -> bool:
    """Whether a period's words count from today ("this week", "the past 3 days") rather than name
    dates ("in 2021", "on March 8")."""
    return bool(_RELATIVE_RE.search(label))


_AFTER_ORDER = re.compile(r"\b(?:before|after|since|until|prior\s+to)\s+(?:\w+\s+)?$", re.I)
_NEWEST = re.compile(r"\b(?:last|latest|most\s+recent(?:ly)?|newest)\b", re.I)


def _yearless(expr: str) -> tuple[int, int] | None:
    """(month, day or 0) of a date expression without a year ("April", "February 23", "23 Feb")."""
    low = expr.strip().rstrip(",").lower()
    if re.search(_YEAR, low) or re.search(r"\d{4}-", low):
        return None
    m = re.fullmatch(rf"(?:({_DAY})\s+)?({_MON})(?:\s+({_DAY}))?", low)
    if m is None:
        return None
    parsed = dateparser.parse(m.group(2), languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        return None
    day = m.group(1) or m.group(3) or ""
    return parsed.month, int(re.sub(r"\D", "", day) or 0)


def find_period(text: str, now: date | None = None, any_year: bool = False) -> PeriodMatch | None:
    """The period a question names, if any; `newest` when it asks for the latest ("when did X last …").

    "last" alone ("When did Putin last speak about Mariupol?") is not a period but an order. With
    `any_year` (questions about the archive), a month or day without a year is that one of any year;
    otherwise (options, digests) the latest one not after today.
    """
    now = now or today()
    for kind, pat in _PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        attributive = kind == "attributive"
        if attributive:
            if not any_year or _AFTER_ORDER.search(text[: m.start()]):
                continue  # "before his april trip": not in April, an order in time
            kind = "in"
        label = m.group(0).strip()
        event = tuple(words(text[m.end() :])[:EVENT_WORDS]) if attributive else ()
        yearless = _yearless(m.group(1)) if any_year and kind == "in" else None
        if yearless is not None:
            return PeriodMatch(
                Period(None, None, label, *yearless), m.span(), attributive=attributive, event=event
            )
        if kind == "relative":
            rng = _relative(re.sub(r"\s+", " ", m.group(1)), now)
            if rng is None:
                continue
            return PeriodMatch(Period(rng[0], rng[1], label), m.span())
        first = _expand(m.group(1))
        if first is None:
            continue
        if kind == "between":
            second = _expand(m.group(2))
            if second is None:
                continue
            return PeriodMatch(Period(first[0], second[1], label), m.span())
        if kind == "since":
            return PeriodMatch(
                Period(first[0] if "since" in label.lower() else first[1], None, label), m.span()
            )
        if kind == "until":
            return PeriodMatch(
                Period(None, first[0] if "before" in label.lower() else first[1], label), m.span()
            )
        return PeriodMatch(Period(first[0], first[1], label), m.span(), attributive=attributive, event=event)
    newest = _NEWEST.search(text)
    if newest:
        return PeriodMatch(None, newest.span(), newest=True)
    return None


def parse_since(value: str, now: date | None = None) -> date:
    """`--since 7d|24h|2w|3m|DATE` → the first day included. Raises ValueError with a usable message."""
    now = now or today()
    m = re.fullmatch(r"\s*(\d+)\s*([hdwmy])\s*", value.lower())
    if m:
        n, unit = int(m.group(1)), m.group(2)
        days = {"h": n / 24, "d": n, "w": 7 * n, "m": 30 * n, "y": 365 * n}[unit]
        return (datetime.combine(now, datetime.min.time()) - timedelta(days=days)).date()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"expected 7d, 24h, 2w, 3m or an ISO date (YYYY-MM-DD), not {value!r}") from None
