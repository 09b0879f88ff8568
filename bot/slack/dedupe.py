"""A thread-safe set of recently seen keys, so a redelivered Slack event is answered only once.

Slack resends an event (same `event_id`) when its ack was slow or lost, possibly while the
first delivery is still being answered, and behind a load balancer the retry may reach another
replica; Bolt does not drop repeats. Keys are claimed on receipt, before answering: in this
process (`SeenSet`), and with Redis configured also across replicas and restarts (`SharedClaims`,
one `SET NX EX` per key).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from bot.state.redis import SharedState

#: Slack retries within minutes; an hour covers every retry with room to spare.
CLAIM_TTL = 3600


class Claims(Protocol):
    def claim(self, key: str) -> bool: ...


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


class SharedClaims:
    """Claims shared by every replica through Redis; this process's `SeenSet` goes first.

    The local set drops a repeat to the same replica without a round trip and keeps doing so
    during a Redis outage, when a retry reaching another replica may be answered twice (the
    issue's trade: never silence). Claims resume in Redis as soon as it answers again.
    """

    def __init__(self, state: SharedState, ttl: int = CLAIM_TTL, local: SeenSet | None = None) -> None:
        self.state = state
        self.ttl = ttl
        self.local = local or SeenSet(ttl=ttl)

    def claim(self, key: str) -> bool:
        if not self.local.claim(key):
            return False
        redis_key = self.state.key("seen", key)
        return self.state.run(
            "dedupe", lambda r: bool(r.set(redis_key, "1", nx=True, ex=self.ttl)), lambda: True
        )


def delivery_key(body: dict[str, Any]) -> str | None:
    """What identifies one delivery across retries: `event_id`, else an interaction's `trigger_id`."""
    if body.get("event_id"):
        return "event:" + str(body["event_id"])
    if body.get("trigger_id"):
        return "trigger:" + str(body["trigger_id"])
    return None
