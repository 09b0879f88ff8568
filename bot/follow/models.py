"""The records of following: a channel's subscription, and what one refresh brought each channel."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from bot.models import Citation, SentenceKey
from bot.text import fold


class Subscription(BaseModel):
    """A channel following one speaker, optionally only on some topic words.

    The speaker is kept by name (display name and folded name words), not by an index row or an
    entity number: those are renumbered by every rebuild, a name is found again in the next index.
    """

    channel: str
    speaker: str  # display name the name resolved to ("Antony Blinken")
    names: list[str] = Field(default_factory=list)  # folded name words, to find the speaker again
    description: str | None = None  # a role to show beside the name ("U.S. Secretary of State")
    about: list[str] = Field(default_factory=list)  # topic words as typed; empty = everything
    user: str | None = None  # who asked for it
    created: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def key(self) -> str:
        """One subscription per channel and speaker: following again replaces the topic."""
        return f"{self.channel}\t{fold(self.speaker)}"

    def label(self) -> str:
        """For confirmations and lists: "Antony Blinken (U.S. Secretary of State) about ukraine"."""
        who = f"{self.speaker} ({self.description})" if self.description else self.speaker
        return who + (f" about {' '.join(self.about)}" if self.about else "")


class SpeakerDigest(BaseModel):
    """The new sentences of one followed speaker for one channel, at most the posting cap of them."""

    subscription: Subscription
    citations: list[Citation] = Field(default_factory=list)
    more: int = 0  # new sentences beyond the cap: summarised, not posted

    def more_line(self) -> str:
        """'Antony Blinken: and 12 more — `citebot quotes --speaker "Antony Blinken"`' (plain text)."""
        who = self.subscription.speaker
        about = f' --about "{" ".join(self.subscription.about)}"' if self.subscription.about else ""
        return f'{who}: and {self.more} more — `citebot quotes --speaker "{who}"{about}`'


class ChannelDigest(BaseModel):
    channel: str
    speakers: list[SpeakerDigest] = Field(default_factory=list)

    @property
    def quotes(self) -> int:
        return sum(len(s.citations) for s in self.speakers)

    @property
    def total(self) -> int:
        return sum(len(s.citations) + s.more for s in self.speakers)


class DigestRecord(BaseModel):
    """What the last refresh that published an index brought each followed channel; posted or not."""

    previous: str | None  # index versions compared
    current: str | None
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    new_sentences: int = 0
    channels: list[ChannelDigest] = Field(default_factory=list)
    posted: bool = False
    reason: str = ""  # why not posted


def key_text(key: SentenceKey) -> str:
    """A sentence key as one string (Redis members, JSON keys): `article_id<TAB>start<TAB>end`."""
    return f"{key[0]}\t{key[1]}\t{key[2]}"
