"""One Redis connection for everything citebot shares between replicas, and how an outage is survived.

Dedupe claims, thread conversations, feedback (and later feature state such as followed speakers)
all go through `SharedState.run`: a Redis failure returns the caller's fallback instead of raising,
logs at most one warning a minute, and Redis is not tried again for `retry_after` seconds, so an
outage costs a request nothing. redis-py's pool reconnects on the next try by itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

T = TypeVar("T")
PREFIX = "citebot:"


class StateSettings(BaseSettings):
    """Where shared state lives: `CITEBOT_REDIS_URL`, e.g. redis://127.0.0.1:6379/0 (unset: in memory)."""

    model_config = SettingsConfigDict(env_prefix="CITEBOT_", env_file=".env", extra="ignore")

    redis_url: str | None = Field(default=None, description="Redis for state shared by replicas")


class RateLimitedWarning:
    """Logs a warning at most once per `every` seconds; repeats in between are counted, not logged."""

    def __init__(self, every: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.every = every
        self._clock = clock
        self._last: float | None = None
        self._suppressed = 0
        self._lock = threading.Lock()

    def warn(self, message: str, *args: object) -> bool:
        """True when this call logged."""
        now = self._clock()
        with self._lock:
            if self._last is not None and now - self._last < self.every:
                self._suppressed += 1
                return False
            suppressed, self._suppressed, self._last = self._suppressed, 0, now
        more = f" ({suppressed} more since the last warning)" if suppressed else ""
        log.warning(message + more, *args)
        return True


class SharedState:
    """A Redis client under the `citebot:` key prefix whose every call degrades instead of failing."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 0.5,
        retry_after: float = 1.0,
        warn_every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.retry_after = retry_after
        self._clock = clock
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            health_check_interval=30,
            decode_responses=True,
        )
        self.warning = RateLimitedWarning(warn_every, clock)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    @staticmethod
    def key(*parts: str) -> str:
        """`citebot:part:part…`: every key citebot writes carries the prefix."""
        return PREFIX + ":".join(parts)

    @property
    def up(self) -> bool:
        """False while an outage is being waited out (no call is made then)."""
        return not self._down

    def run(self, what: str, op: Callable[[redis.Redis], T], fallback: Callable[[], T]) -> T:
        """`op(client)`, or `fallback()` when Redis fails or failed less than `retry_after` s ago."""
        if self._down and self._clock() < self._down_until:
            return fallback()
        try:
            result = op(self.client)
        except redis.RedisError as exc:
            with self._lock:
                self._down, self._down_until = True, self._clock() + self.retry_after
            self.warning.warn(
                "Redis unavailable (%s: %s: %s); carrying on without it", what, type(exc).__name__, exc
            )
            return fallback()
        if self._down:
            with self._lock:
                was_down, self._down = self._down, False
            if was_down:
                log.warning("Redis is back at %s", self.safe_url)
        return result

    def ping(self) -> bool:
        return self.run("ping", lambda r: bool(r.ping()), lambda: False)

    @property
    def safe_url(self) -> str:
        """The URL without a password, for log lines."""
        _, sep, tail = self.url.rpartition("@")
        return f"{self.url.split('//', 1)[0]}//…@{tail}" if sep else self.url

    def close(self) -> None:
        self.client.close()


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def url_problem(url: str | None) -> str | None:
    """Why `CITEBOT_REDIS_URL` cannot be used, as one line; None when it is unset or fine."""
    if not url:
        return None
    if not url.startswith(REDIS_SCHEMES):
        return "CITEBOT_REDIS_URL must be a redis://, rediss:// or unix:// URL, e.g. redis://127.0.0.1:6379/0"
    try:
        redis.connection.parse_url(url)  # type: ignore[no-untyped-call]
    except ValueError as exc:
        return f"CITEBOT_REDIS_URL is not a usable Redis URL: {exc}"
    return None


def from_env(settings: StateSettings | None = None) -> SharedState | None:
    """The shared state `CITEBOT_REDIS_URL` names, or None for the in-process defaults."""
    url = (settings or StateSettings()).redis_url
    return SharedState(url) if url else None
