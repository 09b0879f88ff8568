"""A thread-safe set of recently seen keys, so a redelivered Slack event is answered only once.

Slack resends an event (same `event_id`) when its ack was slow or lost, possibly while the
first delivery is still being answered; Bolt does not drop repeats. Keys are claimed on
receipt, before answering, under one lock.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class SeenSet:
    """Keys seen in the last `ttl` seconds, bounded to `max_size` (oldest forgotten first)."""

    def __init__(
        self, ttl: float = 3600.0, max_size: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """Record `key`; True the first time within the TTL, False for a repeat."""
        now = self._clock()
        with self._lock:
            self._purge(now)
            if key in self._expiry:
                return False
            self._expiry[key] = now + self.ttl
            if len(self._expiry) > self.max_size:
                self._expiry.popitem(last=False)
            return True

    def _purge(self, now: float) -> None:
        # Same TTL for all, so insertion order is expiry order: stop at the first live key.
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now:
                break
            del self._expiry[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)


def delivery_key(body: dict[str, Any]) -> str | None:
    """What identifies one delivery across retries: `event_id`, else an interaction's `trigger_id`."""
    if body.get("event_id"):
        return "event:" + str(body["event_id"])
    if body.get("trigger_id"):
        return "trigger:" + str(body["trigger_id"])
    return None
