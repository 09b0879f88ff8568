"""Where follow-up state lives between questions: one small interface, several backends.

The engine is pure: it takes a `Conversation` and returns the next one on `Answer.conversation`.
Adapters keep it per thread (Slack) or per session (`citebot chat`) behind `ConversationStore`;
the in-memory LRU here is the embedded default, Redis and Slack-metadata backends plug in beside it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

from bot.models import Conversation


class ConversationStore(Protocol):
    """Thread key → the conversation state after the last answer there."""

    def get(self, key: str) -> Conversation | None: ...

    def put(self, key: str, conversation: Conversation) -> None: ...


class MemoryConversations:
    """A bounded LRU in this process: lost on restart, the default without Redis."""

    def __init__(self, max_threads: int = 10_000) -> None:
        self.max_threads = max_threads
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Conversation | None:
        with self._lock:
            conv = self._items.get(key)
            if conv is not None:
                self._items.move_to_end(key)
            return conv

    def put(self, key: str, conversation: Conversation) -> None:
        with self._lock:
            self._items[key] = conversation
            self._items.move_to_end(key)
            while len(self._items) > self.max_threads:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
