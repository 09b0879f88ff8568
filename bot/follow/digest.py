"""What a refresh brought each followed channel: pure functions of the old index, the new one and
the subscriptions (no Slack, no store).

A sentence is new when its key `(article_id, start, end)` was not in the previous index: an
article added, or the changed sentences of an edited one. Carried-over articles (same body
checksum and sentence spans) are skipped whole, so a refresh of a million sentences that adds
two articles compares two articles.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from bot.follow.link import on_topic, sentences_of, speaker_rows
from bot.follow.models import ChannelDigest, SpeakerDigest, Subscription
from bot.index import CorpusIndex
from bot.models import Citation, SentenceKey

DEFAULT_MAX_POSTS = 10


def new_sentences(old: CorpusIndex | None, new: CorpusIndex) -> np.ndarray:
    """Sentence numbers of `new` whose keys were not in `old` (none when there is no old index:
    a first build is not news)."""
    if old is None:
        return np.zeros(0, dtype=np.int64)
    old_ids = old.article_ids
    out: list[np.ndarray] = []
    for a, meta in enumerate(new.articles):
        rows = new.article_sentences(a)
        if not len(rows):
            continue
        spans = np.asarray(new.sent_span[rows.start : rows.stop, :2])
        o = old_ids.get(meta["article_id"])
        if o is None:
            out.append(np.arange(rows.start, rows.stop, dtype=np.int64))
            continue
        old_rows = old.article_sentences(o)
        old_spans = np.asarray(old.sent_span[old_rows.start : old_rows.stop, :2])
        if int(old.body_crc[o]) == int(new.body_crc[a]) and np.array_equal(old_spans, spans):
            continue
        known = {(int(s), int(e)) for s, e in old_spans.tolist()}
        fresh = [i for i, (s, e) in enumerate(spans.tolist()) if (s, e) not in known]
        out.append(rows.start + np.asarray(fresh, dtype=np.int64))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def sentence_key(index: CorpusIndex, sent: int) -> SentenceKey:
    s, e, _ = index.sent_span[sent]
    return (index.articles[int(index.sent_article[sent])]["article_id"], int(s), int(e))


def citation(index: CorpusIndex, sent: int, speaker: str) -> Citation:
    """A sentence as a citation, like an answer's (the verbatim sentence and its article)."""
    meta = index.articles[int(index.sent_article[sent])]
    aid, start, end = sentence_key(index, sent)
    return Citation(
        article_id=aid,
        title=meta.get("title") or "",
        url=meta.get("url"),
        published=meta.get("published"),
        sentence=index.sentence(sent),
        score=0.0,
        speaker=speaker,
        start=start,
        end=end,
        start_sent=sent,
    )


def _published(index: CorpusIndex, sent: int) -> date | None:
    raw = index.articles[int(index.sent_article[sent])].get("published")
    try:
        return date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        return None


def newest_first(index: CorpusIndex, sents: np.ndarray) -> list[int]:
    """Newest article first (undated last), an article's sentences in reading order."""
    return sorted(
        sents.tolist(),
        key=lambda s: (-(_published(index, s) or date.min).toordinal(), int(index.sent_article[s]), s),
    )


def matching(index: CorpusIndex, sub: Subscription, sents: np.ndarray) -> list[int]:
    """Those of `sents` said by the followed speaker, on the followed topic; newest first."""
    rows = speaker_rows(index, sub.names)
    mine = np.intersect1d(sents, sentences_of(index, rows))
    return newest_first(index, on_topic(index, mine, sub.about))


def quote_count(index: CorpusIndex, sub: Subscription) -> int:
    """How many sentences of the index the subscription covers ("14 quotes so far")."""
    return len(on_topic(index, sentences_of(index, speaker_rows(index, sub.names)), sub.about))


def by_channel(
    index: CorpusIndex, subs: list[Subscription], sents: np.ndarray
) -> dict[str, list[tuple[Subscription, list[int]]]]:
    """Each channel's subscriptions with their new sentences (those with none are left out)."""
    out: dict[str, list[tuple[Subscription, list[int]]]] = {}
    for sub in subs:
        found = matching(index, sub, sents)
        if found:
            out.setdefault(sub.channel, []).append((sub, found))
    return out


def cap(
    index: CorpusIndex, channel: str, found: list[tuple[Subscription, list[int]]], max_posts: int
) -> ChannelDigest:
    """At most `max_posts` quotes for the channel, taken in turn from each followed speaker; the rest
    are counted as `more` (the digest head summarises them)."""
    taken: list[list[int]] = [[] for _ in found]
    budget = max(max_posts, 0)
    depth = 0
    while budget and any(depth < len(sents) for _, sents in found):
        for k, (_, sents) in enumerate(found):
            if budget and depth < len(sents):
                taken[k].append(sents[depth])
                budget -= 1
        depth += 1
    speakers = [
        SpeakerDigest(
            subscription=sub,
            citations=[citation(index, s, sub.speaker) for s in mine],
            more=len(sents) - len(mine),
        )
        for (sub, sents), mine in zip(found, taken, strict=True)
    ]
    return ChannelDigest(channel=channel, speakers=speakers)
