"""Where subscriptions live: a JSON file beside the index, or Redis when `CITEBOT_REDIS_URL` is set.

Both backends keep the same three things: the subscriptions, the sentence keys already posted
to each channel (so a sentence is posted once, whichever process posts and however often a
refresh runs), and the last digest (for `citebot digest` and `/healthz`-style questions). The
posting lock makes the compute–claim–post step of one refresh run in one process at a time:
a file lock beside the JSON file, or a Redis lock shared by every replica.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, Field

from bot.follow.models import DigestRecord, Subscription, key_text
from bot.models import SentenceKey

if TYPE_CHECKING:
    import redis

STATE_FILE = "follow.json"
PREFIX = "citebot:follow:"
MAX_POSTED_KEPT = 20_000  # per channel: far more than a refresh adds, so nothing is posted twice
LOCK_SECONDS = 300  # a posting step that takes longer (a crashed process) loses the Redis lock


class FollowStore(Protocol):
    def subscriptions(self, channel: str | None = None) -> list[Subscription]: ...

    def put(self, sub: Subscription) -> bool:
        """Add or replace (same channel and speaker); True when it was new."""
        ...

    def remove(self, channel: str, key: str) -> Subscription | None: ...

    def claim(self, channel: str, keys: list[SentenceKey]) -> list[SentenceKey]:
        """Mark `keys` as posted to `channel`; return those that were not already (in order)."""
        ...

    def record(self, digest: DigestRecord) -> None: ...

    def last_digest(self) -> DigestRecord | None: ...

    def lock(self) -> AbstractContextManager[None]:
        """Held while one refresh's digests are computed, claimed and posted."""
        ...


# --- a JSON file -------------------------------------------------------------------------------


class _State(BaseModel):
    subscriptions: list[Subscription] = Field(default_factory=list)
    posted: dict[str, list[str]] = Field(default_factory=dict)  # channel → key_text, oldest first
    last_digest: DigestRecord | None = None


class FileFollowStore:
    """`follow.json` in the index folder, rewritten atomically (temp file + `os.replace`) under a file lock.

    Every call reads the file again, so a `citebot follow` in a shell is seen by a running bot.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_FILE
        self._thread_lock = threading.Lock()

    def _file_lock(self, suffix: str) -> Any:
        from filelock import FileLock

        self.path.parent.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + suffix, timeout=60)

    def _read(self) -> _State:
        try:
            return _State.model_validate_json(self.path.read_bytes())
        except FileNotFoundError:
            return _State()

    def _write(self, state: _State) -> None:
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(state.model_dump_json(indent=1), encoding="utf-8")
        os.replace(tmp, self.path)

    @contextmanager
    def _update(self) -> Iterator[_State]:
        with self._thread_lock, self._file_lock(".lock"):
            state = self._read()
            yield state
            self._write(state)

    def subscriptions(self, channel: str | None = None) -> list[Subscription]:
        return [s for s in self._read().subscriptions if channel is None or s.channel == channel]

    def put(self, sub: Subscription) -> bool:
        with self._update() as state:
            before = len(state.subscriptions)
            state.subscriptions = [s for s in state.subscriptions if s.key != sub.key] + [sub]
            return len(state.subscriptions) > before

    def remove(self, channel: str, key: str) -> Subscription | None:
        with self._update() as state:
            gone = [s for s in state.subscriptions if s.key == key and s.channel == channel]
            state.subscriptions = [s for s in state.subscriptions if s not in gone]
            return gone[0] if gone else None

    def claim(self, channel: str, keys: list[SentenceKey]) -> list[SentenceKey]:
        with self._update() as state:
            posted = state.posted.setdefault(channel, [])
            seen = set(posted)
            fresh = []
            for k in keys:
                t = key_text(k)
                if t not in seen:
                    seen.add(t)
                    posted.append(t)
                    fresh.append(k)
            del posted[:-MAX_POSTED_KEPT]
            return fresh

    def record(self, digest: DigestRecord) -> None:
        with self._update() as state:
            state.last_digest = digest

    def last_digest(self) -> DigestRecord | None:
        return self._read().last_digest

    def lock(self) -> AbstractContextManager[None]:
        return self._file_lock(".post.lock")  # type: ignore[no-any-return]


# --- Redis -------------------------------------------------------------------------------------


class RedisFollowStore:
    """Keys under `citebot:follow:`: a hash of subscriptions, a sorted set of posted keys per channel
    (scored by time, trimmed to the newest `MAX_POSTED_KEPT`), the last digest, and a lock."""

    def __init__(self, client: redis.Redis) -> None:
        self.r = client

    def subscriptions(self, channel: str | None = None) -> list[Subscription]:
        subs = [Subscription.model_validate_json(v) for v in self.r.hvals(PREFIX + "subs")]
        subs.sort(key=lambda s: s.created)
        return [s for s in subs if channel is None or s.channel == channel]

    def put(self, sub: Subscription) -> bool:
        return bool(self.r.hset(PREFIX + "subs", sub.key, sub.model_dump_json()))

    def remove(self, channel: str, key: str) -> Subscription | None:
        raw = self.r.hget(PREFIX + "subs", key)
        if raw is None:
            return None
        sub = Subscription.model_validate_json(raw)
        if sub.channel != channel or not self.r.hdel(PREFIX + "subs", key):
            return None
        return sub

    def claim(self, channel: str, keys: list[SentenceKey]) -> list[SentenceKey]:
        name = f"{PREFIX}posted:{channel}"
        now = time.time()
        pipe = self.r.pipeline(transaction=True)
        for k in keys:
            pipe.zadd(name, {key_text(k): now}, nx=True)  # 1 = newly added: ours to post
        pipe.zremrangebyrank(name, 0, -MAX_POSTED_KEPT - 1)
        added = pipe.execute()[: len(keys)]
        return [k for k, a in zip(keys, added, strict=True) if a]

    def record(self, digest: DigestRecord) -> None:
        self.r.set(PREFIX + "last_digest", digest.model_dump_json())

    def last_digest(self) -> DigestRecord | None:
        raw = self.r.get(PREFIX + "last_digest")
        return DigestRecord.model_validate_json(raw) if raw else None

    @contextmanager
    def lock(self) -> Iterator[None]:
        lock = self.r.lock(PREFIX + "lock", timeout=LOCK_SECONDS, blocking_timeout=LOCK_SECONDS)
        if not lock.acquire():
            raise TimeoutError("another process held the follow lock for too long")
        try:
            yield
        finally:
            with suppress(Exception):  # expired meanwhile: nothing left to release
                lock.release()


def connect(url: str) -> redis.Redis:
    """A Redis client for `CITEBOT_REDIS_URL` (`redis://host:port/db`), with short timeouts.

    Unlike dedupe and thread state (`bot.state.redis`, which fall back to memory in an outage),
    subscriptions are the user's data: a follow command fails with its error rather than be
    written where the other replicas cannot see it."""
    import redis as redis_lib

    return redis_lib.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)


def open_store(index_root: Path, redis_url: str | None = None) -> FollowStore:
    """Redis when a URL is given (or `CITEBOT_REDIS_URL` is set), else the JSON file in `index_root`."""
    if redis_url is None:
        from bot.state.redis import StateSettings  # the setting dedupe and conversations read too

        redis_url = StateSettings().redis_url or ""
    url = redis_url.strip()
    if url:
        return RedisFollowStore(connect(url))
    return FileFollowStore(index_root)
