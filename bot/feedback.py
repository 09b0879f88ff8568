"""Readers' 👍 / 👎 on answers, kept so they can become test questions.

A record holds what is needed to replay the answer: the question, the cited sentence keys and
who voted. It is stored in Redis when configured (one list every replica appends to), else in a
JSON Lines file beside the index; a Redis outage writes to the file instead, so no vote is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock
from pydantic import BaseModel, Field, ValidationError
from redis import Redis

from bot.models import SentenceKey
from bot.state.redis import SharedState

FILE_NAME = "feedback.jsonl"
REDIS_LIST = "feedback"


class Vote(StrEnum):
    up = "up"
    down = "down"


class Feedback(BaseModel):
    """One click on an answer's 👍 or 👎."""

    vote: Vote
    question: str
    cited: list[SentenceKey] = Field(default_factory=list)
    user: str
    channel: str | None = None
    message_ts: str | None = None
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class FeedbackStore(Protocol):
    def add(self, item: Feedback) -> None: ...

    def all(self) -> list[Feedback]: ...


def _parse(lines: list[str]) -> list[Feedback]:
    out = []
    for line in lines:
        if not line.strip():
            continue
        try:
            out.append(Feedback.model_validate_json(line))
        except ValidationError:
            continue  # a torn last line after a crash: skip it, keep the rest
    return out


class FileFeedback:
    """JSON Lines beside the index; appends are serialised across processes with a file lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(str(path) + ".lock")

    def add(self, item: Feedback) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(item.model_dump_json() + "\n")

    def all(self) -> list[Feedback]:
        if not self.path.is_file():
            return []
        return _parse(self.path.read_text(encoding="utf-8").splitlines())


class RedisFeedback:
    """One Redis list (`citebot:feedback`) for all replicas; the file takes votes during an outage."""

    def __init__(self, state: SharedState, file: FileFeedback) -> None:
        self.state = state
        self.file = file

    def add(self, item: Feedback) -> None:
        data = item.model_dump_json()
        ok = self.state.run(
            "feedback", lambda r: bool(r.rpush(self.state.key(REDIS_LIST), data)), lambda: False
        )
        if not ok:
            self.file.add(item)

    def all(self) -> list[Feedback]:
        def read(r: Redis) -> list[str]:
            return [str(line) for line in r.lrange(self.state.key(REDIS_LIST), 0, -1)]

        lines: list[str] = self.state.run("feedback export", read, lambda: [])
        return sorted(_parse(lines) + self.file.all(), key=lambda f: f.at)


def feedback_store(index_root: Path, state: SharedState | None) -> FeedbackStore:
    """Redis when configured, else `feedback.jsonl` in the index folder."""
    file = FileFeedback(index_root / FILE_NAME)
    return RedisFeedback(state, file) if state is not None else file


def dumps(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)


# --- turning votes into test questions -------------------------------------------------------

EXPECT_CHARS = 60


def sentence_start(sentence: str, limit: int = EXPECT_CHARS) -> str:
    """The opening of a sentence, cut at a word boundary: what an eval set's `expect` matches."""
    text = " ".join(sentence.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def export_rows(
    items: list[Feedback], sentence_of: Callable[[SentenceKey], str | None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """👍 votes as eval-set rows (`expect` = the start of the first cited sentence), 👎 as review rows.

    A 👍 whose first cited sentence is no longer in the index is left out (it cannot be checked);
    the same question and expectation voted up twice becomes one row.
    """
    good: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    review: list[dict[str, Any]] = []
    for item in items:
        if item.vote is Vote.up:
            first = sentence_of(item.cited[0]) if item.cited else None
            if not first:
                continue
            expect = sentence_start(first)
            if (item.question, expect) in seen:
                continue
            seen.add((item.question, expect))
            good.append(
                {
                    "id": f"feedback-{len(good) + 1:03d}",
                    "question": item.question,
                    "expect": [expect],
                    "article": item.cited[0][0],
                }
            )
        else:
            cited = [{"article_id": k[0], "sentence": sentence_of(k)} for k in item.cited]
            review.append(
                {"question": item.question, "cited": cited, "user": item.user, "at": item.at.isoformat()}
            )
    return good, review
