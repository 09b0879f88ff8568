"""follow / unfollow / following, as plain text replies: shared by `/citebot` and the terminal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.follow.digest import quote_count
from bot.follow.link import link
from bot.follow.models import Subscription
from bot.follow.store import FollowStore
from bot.index import CorpusIndex
from bot.text import fold

USAGE = "Use `follow NAME [about WORDS]`, `unfollow NAME` or `following`."
_ABOUT = re.compile(r"\s+about\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Request:
    """`follow NAME [about WORDS]`, `unfollow NAME` or `following`, as typed after /citebot
    (`usage` when a follow word comes without a name)."""

    action: str
    name: str = ""
    about: tuple[str, ...] = ()


def parse(text: str) -> Request | None:
    """The follow request in a /citebot text, or None when it is a question."""
    head, _, rest = text.strip().partition(" ")
    action = head.lower()
    rest = rest.strip()
    if action == "following" and not rest:
        return Request("following")
    if action not in {"follow", "unfollow"} or rest.endswith("?"):
        return None  # "follow the money?" is a question
    if not rest:
        return Request("usage")
    m = _ABOUT.search(rest)
    name, about = (rest[: m.start()], rest[m.end() :]) if m else (rest, "")
    return Request(action, name.strip(" .,"), tuple(about.split()))


def follow(
    index: CorpusIndex, store: FollowStore, channel: str, name: str, about: list[str], user: str | None = None
) -> tuple[Subscription | None, str]:
    """Subscribe `channel` to the speaker `name` resolves to; the reply names whom it resolved to."""
    who = link(index, name)
    if who is None:
        return None, f"I couldn't find anyone called “{name}” quoted in the corpus, so nothing was followed."
    sub = Subscription(
        channel=channel,
        speaker=who.display,
        names=list(who.names),
        description=who.description,
        about=about,
        user=user,
    )
    new = store.put(sub)
    n = quote_count(index, sub)
    note = f"(no “{name}” in the corpus; taking it for {who.display}) " if who.corrected else ""
    verb = "Following" if new else "Still following"
    return sub, f"{note}{verb} {sub.label()}, {n} quote{'s' if n != 1 else ''} so far."


def unfollow(index: CorpusIndex, store: FollowStore, channel: str, name: str) -> str:
    """Drop the channel's subscription to `name` (resolved like `follow`, or matched by its words)."""
    subs = store.subscriptions(channel)
    who = link(index, name)
    typed = set(fold(name).split())
    for sub in subs:
        same = who is not None and sub.key == Subscription(channel=channel, speaker=who.display).key
        if same or (typed and typed <= set(" ".join(sub.names).split())):
            store.remove(channel, sub.key)
            return f"Unfollowed {sub.speaker}."
    return f"This channel does not follow “{name}”."


def following(store: FollowStore, channel: str | None) -> str:
    """The channel's subscriptions (every channel's when `channel` is None), one per line."""
    subs = store.subscriptions(channel)
    if not subs:
        return "This channel follows nobody yet." if channel else "No channel follows anyone yet."
    lines = [(f"{s.channel}: " if channel is None else "• ") + s.label() for s in subs]
    head = "This channel follows:" if channel else "Followed speakers:"
    return "\n".join([head, *lines])
