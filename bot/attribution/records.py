"""What attribution says about one sentence: who speaks, how, and where in the sentence it says so."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.text import name_key


class How(StrEnum):
    """How a sentence is attributed (README: "Who said it")."""

    QUOTE = "quote"  # direct speech with its speaker in or beside it
    REPORTED = "reported"  # indirect speech: X said (that) …
    ACCORDING_TO = "according_to"  # according to X, …
    LABEL = "label"  # a transcript label: "Vladimir Putin: …"
    TWEET = "tweet"  # posted on social media
    STATEMENT = "statement"  # a release by X (its title says so) or X said in a statement
    CONTINUED = "continued"  # a quote continued from an attributed sentence


@dataclass(frozen=True)
class Speaker:
    """A person or body as the article names it: its fullest name there, name words, stated roles.

    `gender` is "m", "f" or None, from what the article shows (Mr./Mrs., "his father", a first
    name); `org` marks bodies ("the Foreign Ministry"), which `he`/`she` never refer to.
    """

    name: str
    names: tuple[str, ...]
    roles: frozenset[str] = field(default_factory=frozenset)
    org: bool = False
    gender: str | None = None
    keys: frozenset[str] = field(init=False, repr=False, compare=False)  # name keys, made once

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", frozenset(name_key(n) for n in self.names))

    @property
    def display(self) -> str:
        return self.name


@dataclass(frozen=True)
class SentenceAttribution:
    """One sentence's attribution. Spans are (start, end) offsets into the sentence, or None when
    the sentence does not hold them (a continued quote, a release's sentence)."""

    speaker: Speaker | None = None
    how: How | None = None
    rule: str = ""  # id in bot.attribution.rules.RULES (or a spreading step)
    mention: str = ""  # the speaker as written here ("he", "the minister", "Blinken")
    mention_span: tuple[int, int] | None = None
    cue_span: tuple[int, int] | None = None
