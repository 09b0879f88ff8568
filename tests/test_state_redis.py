"""Shared state in a real Redis: claims, conversations and votes across "replicas", and outages."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from redis_server import RedisServer

from bot.feedback import Feedback, FileFeedback, RedisFeedback, Vote
from bot.models import Conversation
from bot.slack.dedupe import SharedClaims
from bot.state.conversations import RedisConversations
from bot.state.redis import RateLimitedWarning, SharedState, url_problem

pytest_plugins = ["redis_server"]
pytestmark = pytest.mark.timeout(60)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_key_is_claimed_once_across_replicas_with_an_hour_ttl(redis_server: RedisServer) -> None:
    a, b = SharedClaims(SharedState(redis_server.url)), SharedClaims(SharedState(redis_server.url))
    assert a.claim("event:Ev1") is True
    assert b.claim("event:Ev1") is False  # the other replica
    assert a.claim("event:Ev1") is False  # the same one (its own set answers)
    assert b.claim("event:Ev2") is True and a.claim("event:Ev2") is False
    ttl = a.state.client.ttl("citebot:seen:event:Ev1")
    assert 3590 <= ttl <= 3600


def test_an_outage_answers_warns_once_a_minute_and_dedupe_resumes(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    a = SharedClaims(SharedState(redis_server.url, retry_after=1.0, clock=clock))
    b = SharedClaims(SharedState(redis_server.url, retry_after=1.0, clock=clock))
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="bot.state.redis"):
        for n in range(30):  # 30 s of deliveries, each reaching both replicas
            clock.now += 1.0
            assert a.claim(f"event:down{n}") is True
            assert b.claim(f"event:down{n}") is True  # answered twice: never silence
            assert a.claim(f"event:down{n}") is False  # the same replica still drops its repeats
    warnings = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
    assert len(warnings) == 2  # one per replica in those 30 s
    caplog.clear()
    redis_server.start()
    clock.now += 1.5
    with caplog.at_level(logging.WARNING, logger="bot.state.redis"):
        assert a.claim("event:back") is True
        assert b.claim("event:back") is False
    assert any("Redis is back" in r.getMessage() for r in caplog.records)


def test_rate_limited_warning_counts_what_it_held_back(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    w = RateLimitedWarning(60, clock)
    with caplog.at_level(logging.WARNING):
        assert w.warn("down") is True
        clock.now += 59
        assert w.warn("down") is False and w.warn("down") is False
        clock.now += 1
        assert w.warn("down") is True
    assert [r.getMessage() for r in caplog.records] == ["down", "down (2 more since the last warning)"]


def test_conversations_are_shared_and_survive_a_new_process_state(redis_server: RedisServer) -> None:
    conv = Conversation(subject="Jane Roe", topic="bridge", cited=[("a1", 0, 10)])
    RedisConversations(SharedState(redis_server.url)).put("C1:1.0", conv)
    other = RedisConversations(SharedState(redis_server.url))
    assert other.get("C1:1.0") == conv
    assert other.get("C1:2.0") is None
    assert 0 < other.state.client.ttl("citebot:conv:C1:1.0") <= 30 * 24 * 3600


def test_conversations_fall_back_to_this_process_during_an_outage(redis_server: RedisServer) -> None:
    store = RedisConversations(SharedState(redis_server.url))
    conv = Conversation(subject="Jane Roe")
    redis_server.stop()
    store.put("C1:1.0", conv)  # Redis is down: kept locally, no exception
    assert store.get("C1:1.0") == conv


def test_votes_go_to_redis_and_to_the_file_while_it_is_down(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    file = FileFeedback(tmp_path / "feedback.jsonl")
    store = RedisFeedback(SharedState(redis_server.url, retry_after=0), file)
    store.add(Feedback(vote=Vote.up, question="What did Jane Roe say?", cited=[("a1", 0, 10)], user="U1"))
    assert file.all() == []
    assert [f.user for f in store.all()] == ["U1"]
    redis_server.stop()
    store.add(Feedback(vote=Vote.down, question="Who is Roe?", user="U2"))
    assert [f.user for f in file.all()] == ["U2"]
    redis_server.start()  # empty again (no persistence in tests)
    store.add(Feedback(vote=Vote.up, question="What did Roe say?", cited=[("a2", 5, 9)], user="U3"))
    assert [(f.vote, f.user, f.cited) for f in store.all()] == [
        (Vote.down, "U2", []),
        (Vote.up, "U3", [("a2", 5, 9)]),
    ]


@pytest.mark.parametrize("url", ["localhost:6379", "redis://127.0.0.1:notaport/0"])
def test_serve_refuses_a_malformed_redis_url_with_one_line(tmp_path: Path, url: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "CITEBOT_REDIS_URL": url,
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--mode", "http"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: CITEBOT_REDIS_URL"), proc.stderr


def test_url_problem_accepts_the_usual_forms() -> None:
    assert url_problem(None) is None and url_problem("redis://127.0.0.1:6379/0") is None
    assert url_problem("rediss://user:secret@cache.example:6380/1") is None
    assert url_problem("unix:///run/redis.sock") is None
    state = SharedState("rediss://user:secret@cache.example:6380/1")
    assert "secret" not in state.safe_url and state.safe_url.endswith("cache.example:6380/1")


def test_during_an_outage_redis_is_tried_once_per_retry_period(redis_server: RedisServer) -> None:
    clock = Clock()
    state = SharedState(redis_server.url, retry_after=1.0, clock=clock)
    redis_server.stop()
    tried = 0

    def op(r: object) -> bool:
        nonlocal tried
        tried += 1
        return bool(state.client.ping())

    results = []
    for _ in range(50):  # 50 requests within half a second: one attempt, 49 straight to the fallback
        clock.now += 0.01
        results.append(state.run("probe", op, lambda: False))
    assert tried == 1 and results == [False] * 50 and not state.up
    clock.now += 1.0
    state.run("probe", op, lambda: False)
    assert tried == 2
