"""Where a Slack thread's conversation comes from: the store, else the thread itself.

The store is Redis when configured (any replica, any restart) or this process's LRU. Every
answer also carries its next `Conversation` as Slack message `metadata` (event_type
`citebot_answer`), so when the store has nothing, e.g. a single process after a restart, one
`conversations.replies` call (`include_all_metadata`) recovers it from the bot's last reply.
In a thread citebot never answered, the same call yields the people's earlier messages, and the
newest person they name whom the corpus knows becomes the subject "he"/"she" refers to.
Reading is bounded (one page, the last `HUMAN_MESSAGES` human messages) and never raises.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient

from bot.answering.questions import _NAME_GROUP
from bot.attribution import name_key
from bot.conversation import ConversationStore
from bot.index import CorpusIndex
from bot.models import Conversation, SentenceKey
from bot.slack.escaping import question_from

log = logging.getLogger(__name__)

EVENT_TYPE = "citebot_answer"
HUMAN_MESSAGES = 20
PAGE = 200  # one conversations.replies / history page: the read stays one bounded call
METADATA_CHARS = 4000  # cited keys are dropped oldest first to stay within this


def thread_key(channel: str, thread_ts: str | None) -> str:
    """A thread is (channel, parent ts); a flat DM conversation counts as one thread."""
    return f"{channel}:{thread_ts or ''}"


# --- message metadata ------------------------------------------------------------------------


def to_metadata(conv: Conversation) -> dict[str, Any]:
    """`Conversation` → chat.postMessage `metadata` (keys flattened to strings: Slack wants flat values)."""
    cited = [_flat(k) for k in conv.cited]
    first = _flat(conv.first) if conv.first else ""
    while True:
        payload = {"subject": conv.subject or "", "topic": conv.topic or "", "cited": cited, "first": first}
        if len(json.dumps(payload, ensure_ascii=False)) <= METADATA_CHARS or not cited:
            return {"event_type": EVENT_TYPE, "event_payload": payload}
        cited = cited[len(cited) // 4 + 1 :]


def from_metadata(metadata: Any) -> Conversation | None:
    """The conversation a `citebot_answer` metadata carries; None for anything else or malformed."""
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return None
    payload = metadata.get("event_payload")
    if not isinstance(payload, dict):
        return None
    cited = [k for item in payload.get("cited") or [] if (k := _key(item)) is not None]
    return Conversation(
        subject=payload.get("subject") or None,
        topic=payload.get("topic") or None,
        cited=cited,
        first=_key(payload.get("first")),
    )


def _flat(key: SentenceKey) -> str:
    article_id, start, end = key
    return f"{article_id}:{start}:{end}"


def _key(item: Any) -> SentenceKey | None:
    """ "article:start:end" → the key; None for anything else (an id may hold colons itself)."""
    parts = str(item or "").rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return (parts[0], int(parts[1]), int(parts[2]))
    return None


# --- reading a thread ------------------------------------------------------------------------


@dataclass
class ThreadHistory:
    """What a thread holds before the question: the bot's last state, the people's messages."""

    state: Conversation | None = None
    human: list[str] = field(default_factory=list)  # oldest first, at most HUMAN_MESSAGES


def is_human(message: dict, me: str | None) -> bool:
    return (
        not message.get("bot_id")
        and not message.get("bot_profile")
        and message.get("subtype") in (None, "thread_broadcast", "file_share")
        and bool(message.get("user"))
        and message.get("user") != me
    )


def read_thread(
    client: WebClient, channel: str, thread_ts: str | None, before_ts: str, me: str | None
) -> ThreadHistory:
    """One page of the thread (or flat DM) up to `before_ts`; an empty history when Slack fails."""
    try:
        if thread_ts:
            resp = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=PAGE, include_all_metadata=True
            )
        else:
            resp = client.conversations_history(
                channel=channel, latest=before_ts, limit=PAGE, include_all_metadata=True
            )
        messages = list(resp.get("messages") or [])
    except Exception as exc:  # no scope, not in channel, rate limited after retries: no context
        log.info("could not read the thread %s in %s: %s", thread_ts or "(flat)", channel, exc)
        return ThreadHistory()
    messages.sort(key=lambda m: float(m.get("ts") or 0))
    earlier = [m for m in messages if float(m.get("ts") or 0) < float(before_ts)]
    history = ThreadHistory()
    for m in earlier:
        if (me and m.get("user") == me) or (not me and m.get("bot_id")):
            state = from_metadata(m.get("metadata"))
            if state is not None:
                history.state = state
    human = [question_from(m.get("text"), me) for m in earlier if is_human(m, me)]
    history.human = [h for h in human if h][-HUMAN_MESSAGES:]
    return history


def subject_from(messages: list[str], index: CorpusIndex) -> Conversation | None:
    """The person (or body) named first in the newest message naming one the corpus knows.

    A name group counts when every name word of it is a name word of one of the corpus's speakers
    ("Blinken", "Antony Blinken"); the message that names them is kept as the topic.
    """
    speakers = [(spk["display"], {name_key(n) for n in spk["names"]}) for spk in index.speakers]
    for text in reversed(messages):
        for m in _NAME_GROUP.finditer(text):  # a message's first name is usually its grammatical subject
            words = [name_key(w) for w in m.group(1).split() if len(w) > 1]
            if not words:
                continue
            for display, keys in speakers:
                if set(words) <= keys:
                    return Conversation(subject=display, topic=text[:300])
    return None


class ThreadMemory:
    """The conversation store plus the thread itself as the fallback when the store has nothing."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store

    def recall(
        self,
        client: WebClient,
        index: CorpusIndex,
        *,
        channel: str,
        thread_ts: str | None,
        ts: str,
        me: str | None,
    ) -> Conversation | None:
        if thread_ts == ts:
            return None  # the first message of a new thread: nothing before it, no lookup
        conv = self.store.get(thread_key(channel, thread_ts))
        if conv is not None:
            return conv
        history = read_thread(client, channel, thread_ts, ts, me)
        if history.state is not None:
            return history.state
        return subject_from(history.human, index) if thread_ts else None

    def remember(self, channel: str, thread_ts: str | None, conv: Conversation | None) -> None:
        if conv is not None:
            self.store.put(thread_key(channel, thread_ts), conv)
