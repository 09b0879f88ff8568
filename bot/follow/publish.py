"""After a refresh publishes an index: find what is new for each followed channel, claim it, post it.

Runs in the process that published (the `citebot refresh` job, or `serve --refresh-every`),
under the follow store's lock (a Redis lock when Redis is configured, shared by replicas).
Every sentence key is claimed per channel before it is posted, so a sentence reaches a channel
once: not again on the next refresh, and not from a second process that compared the same versions.
Without a poster (no bot token) the digest is computed and recorded, not claimed and not posted.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from bot.follow.digest import DEFAULT_MAX_POSTS, by_channel, cap, new_sentences, sentence_key
from bot.follow.models import ChannelDigest, DigestRecord
from bot.follow.store import FollowStore
from bot.index import CorpusIndex, IndexUnusable
from bot.index_store import IndexStore

log = logging.getLogger(__name__)

#: Posts one channel's digest; returns whether it reached the channel.
Poster = Callable[[ChannelDigest], bool]


def max_posts() -> int:
    """`CITEBOT_FOLLOW_MAX_POSTS` (default 10): quotes posted per channel per refresh."""
    raw = os.environ.get("CITEBOT_FOLLOW_MAX_POSTS", "").strip()
    try:
        return max(int(raw), 0) if raw else DEFAULT_MAX_POSTS
    except ValueError:
        log.warning("CITEBOT_FOLLOW_MAX_POSTS=%r is not a number; using %d", raw, DEFAULT_MAX_POSTS)
        return DEFAULT_MAX_POSTS


def previous_index(index_store: IndexStore, index: CorpusIndex) -> CorpusIndex | None:
    """The version published before `index` (kept by the store), or None (first build, or pruned)."""
    if index.path is None:
        return None
    path = index_store.previous_path(index.path.name)
    if path is None:
        return None
    try:
        return CorpusIndex.load(path)
    except IndexUnusable as exc:
        log.warning("no digest: the previous index did not load: %s", exc)
        return None


def compute(
    follow: FollowStore,
    index_store: IndexStore,
    index: CorpusIndex,
    *,
    claim: bool,
    limit: int | None = None,
) -> DigestRecord:
    """The digest of the refresh that published `index`; with `claim`, only sentences no process has
    claimed for the channel yet, and those are claimed now."""
    limit = max_posts() if limit is None else limit
    old = previous_index(index_store, index)
    subs = follow.subscriptions()
    fresh = new_sentences(old, index)
    channels = []
    for channel, found in by_channel(index, subs, fresh).items():
        if claim:
            keys = [sentence_key(index, s) for _, sents in found for s in sents]
            ours = set(follow.claim(channel, keys))
            found = [(sub, [s for s in sents if sentence_key(index, s) in ours]) for sub, sents in found]
            found = [(sub, sents) for sub, sents in found if sents]
        if found:
            channels.append(cap(index, channel, found, limit))
    return DigestRecord(
        previous=old.path.name if old is not None and old.path else None,
        current=index.path.name if index.path else None,
        new_sentences=len(fresh),
        channels=channels,
    )


def after_publish(
    follow: FollowStore, index_store: IndexStore, poster: Poster | None, *, no_poster_reason: str = ""
) -> Callable[[CorpusIndex], None]:
    """The `Corpus.on_publish` hook: digest, claim and post under the lock; record what was done."""

    def hook(index: CorpusIndex) -> None:
        if not follow.subscriptions():
            return
        with follow.lock():
            record = compute(follow, index_store, index, claim=poster is not None)
            if poster is None:
                record.reason = no_poster_reason
            else:
                record.posted = all([poster(ch) for ch in record.channels])
            follow.record(record)
        log.info(
            "follow digest: %d new sentences, %d channel(s), %d quote(s)%s",
            record.new_sentences,
            len(record.channels),
            sum(ch.quotes for ch in record.channels),
            "" if poster else f", not posted ({no_poster_reason})",
        )

    return hook
