"""Follow-up context: the subject of the last question answered in each thread.

"What else did he say?" after "What did Blinken say?" means Blinken. The engine resolves the
pronoun when given the previous subject as `context`; this remembers it per thread, in a
bounded LRU so a long-running bot does not grow without limit.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

ThreadKey = tuple[str, str]


def thread_key(channel: str, thread_ts: str | None) -> ThreadKey:
    """A thread is (channel, parent ts); a flat DM conversation counts as one thread."""
    return (channel, thread_ts or "")


class ThreadContext:
    """Thread → subject of the last question answered there (at most `max_threads` kept)."""

    def __init__(self, max_threads: int = 10_000) -> None:
        self.max_threads = max_threads
        self._subjects: OrderedDict[ThreadKey, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: ThreadKey) -> str | None:
        with self._lock:
            subject = self._subjects.get(key)
            if subject is not None:
                self._subjects.move_to_end(key)
            return subject

    def remember(self, key: ThreadKey, subject: str | None) -> None:
        """Keep `subject` for the thread; an answer without one keeps the previous subject."""
        if not subject:
            return
        with self._lock:
            self._subjects[key] = subject
            self._subjects.move_to_end(key)
            while len(self._subjects) > self.max_threads:
                self._subjects.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._subjects)
