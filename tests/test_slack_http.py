"""The Slack app in HTTP mode: the real Bolt App behind our HTTP server, talking to a fake Slack.

Requests are signed like Slack's; replies are read from the fake Web API's record, polled
until a deadline. "No reply" is shown with a sentinel: the bot runs one worker here, so its
answers are FIFO, and once the sentinel DM is answered every earlier event has been handled.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from fake_slack import (
    BOT_ID,
    BOT_TOKEN,
    BOT_USER,
    BUNDLED_CORPUS,
    SIGNING_SECRET,
    FakeSlack,
    blocks_text,
    button_click,
    dm,
    event_body,
    mention,
    next_ts,
    sign,
    slash_command,
)

from bot.corpus import Corpus
from bot.slack.app import build_app
from bot.slack.server import SlackHTTPServer
from bot.slack.settings import SlackSettings

pytest_plugins = ["fake_slack"]
pytestmark = [pytest.mark.usefixtures("clean_env"), pytest.mark.timeout(60)]

EVIL_ARTICLE = """---
title: "Alert <!here> & <@U999> in the <https://evil.example|newsroom>"
date: 2024-03-05
url: https://news.example.org/a?x=1&y=2
---

Mayor Jane Roe spoke to reporters in Springfield on Tuesday about the new bridge.

“All <!channel> <!here> read <@U123> and <https://evil.example|click> now & later,” Jane Roe said.

The bridge will open next year, officials said.
"""


class HttpBot:
    """build_app + SlackHTTPServer on a loopback port, and a client that signs like Slack."""

    def __init__(self, corpus: Corpus, fake: FakeSlack, workers: int = 1) -> None:
        self.fake = fake
        settings = SlackSettings(
            _env_file=None,
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=fake.base_url,
            workers=workers,
            api_backoff=0.05,
        )
        self.app = build_app(corpus, settings)
        self.server = SlackHTTPServer(("127.0.0.1", 0), self.app, corpus)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.server.port}", trust_env=False, timeout=10)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.http.close()

    def post(
        self,
        body: str,
        *,
        ctype: str = "application/json",
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
        signed: bool = True,
        retry_num: int | None = None,
    ) -> httpx.Response:
        headers = {"Content-Type": ctype, **(sign(body, secret, timestamp) if signed else {})}
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return self.http.post("/slack/events", content=body.encode(), headers=headers)

    def event(
        self, event: dict, *, event_id: str | None = None, retry_num: int | None = None
    ) -> httpx.Response:
        resp = self.post(json.dumps(event_body(event, event_id)), retry_num=retry_num)
        assert resp.status_code == 200, resp.text
        return resp

    def command(self, text: str) -> httpx.Response:
        body = urlencode(slash_command(text, self.fake))
        return self.post(body, ctype="application/x-www-form-urlencoded")

    def click(self, value: str) -> httpx.Response:
        body = urlencode({"payload": json.dumps(button_click(value, self.fake))})
        return self.post(body, ctype="application/x-www-form-urlencoded")

    def reply_to(self, ev: dict, timeout: float = 10.0) -> dict:
        """The one answer posted for event `ev` (waits for it and for its reaction to go)."""
        self.fake.wait_for(
            "reactions.remove", where=lambda c: c.args.get("timestamp") == ev["ts"], timeout=timeout
        )
        posts = self.fake.calls_to("chat.postMessage", where=lambda c: c.args.get("channel") == ev["channel"])
        return posts[-1].args

    def sentinel(self) -> None:
        """Ask one DM and wait for its answer: everything sent before it has been handled."""
        ev = dm("What did Blinken say?", channel="DSENTINEL")
        self.event(ev)
        self.reply_to(ev)


@pytest.fixture
def bot(bundled_corpus: Corpus, fake_slack: FakeSlack) -> Iterator[HttpBot]:
    b = HttpBot(bundled_corpus, fake_slack)
    yield b
    b.close()


def posts(fake: FakeSlack, channel: str) -> list[dict]:
    return [
        c.args for c in fake.calls_to("chat.postMessage", where=lambda c: c.args.get("channel") == channel)
    ]


# --- answering ---------------------------------------------------------------------------


def test_mention_gets_one_threaded_reply_with_blocks_and_citations(bot: HttpBot) -> None:
    ev = mention("What did Blinken say?")
    started = time.monotonic()
    bot.event(ev)
    assert time.monotonic() - started < 1.0  # acked before answering
    reply = bot.reply_to(ev)
    assert reply["thread_ts"] == ev["ts"]
    text = blocks_text(bot.fake.calls_to("chat.postMessage")[-1])
    assert "Antony Blinken said:" in text
    assert "> *[1]* “Good call with Turkish Foreign Minister" in text
    kinds = [b["type"] for b in reply["blocks"]]
    assert kinds[0] == "section" and "context" in kinds
    assert "*[1]* Çavuşoğlu, Blinken discuss Russia-Ukraine tension over phone · undated" in text
    assert reply["text"].startswith("Antony Blinken said:")  # plain fallback
    bot.sentinel()
    assert len(posts(bot.fake, ev["channel"])) == 1


def test_mention_inside_a_thread_is_answered_in_that_thread(bot: HttpBot) -> None:
    parent = next_ts()
    ev = mention("What did Ned Price say?", thread_ts=parent)
    bot.event(ev)
    assert bot.reply_to(ev)["thread_ts"] == parent


def test_mention_text_is_unescaped_before_asking(bot: HttpBot) -> None:
    ev = mention("What did <https://example.org/x|Blinken> say &amp; why?")
    bot.event(ev)
    assert "Antony Blinken said:" in bot.reply_to(ev)["text"]


def test_dm_is_answered_in_the_dm_and_a_dm_thread_in_its_thread(bot: HttpBot) -> None:
    flat = dm("What did Blinken say?")
    bot.event(flat)
    reply = bot.reply_to(flat)
    assert reply["channel"] == flat["channel"] and reply.get("thread_ts") is None
    parent = next_ts()
    threaded = dm("What did Ned Price say?", thread_ts=parent, channel="D0002")
    bot.event(threaded)
    assert bot.reply_to(threaded)["thread_ts"] == parent


def test_follow_ups_in_a_thread_use_the_previous_subject(bot: HttpBot) -> None:
    first = mention("What did Blinken say?", channel="C0100")
    bot.event(first)
    bot.reply_to(first)
    thread = first["ts"]
    for question in ("What else did he say?", "When did he say it?"):
        ev = mention(question, channel="C0100", thread_ts=thread)
        bot.event(ev)
        reply = bot.reply_to(ev)
        assert "Blinken" in reply["text"], (question, reply["text"])
        assert reply["thread_ts"] == thread
    # the subject outlives an answer without one, and belongs to this thread only
    ev = mention("What did he say?", channel="C0100", thread_ts=thread)
    bot.event(ev)
    assert bot.reply_to(ev)["text"].startswith("Antony Blinken said:")
    other = mention("What did he say?", channel="C0100", thread_ts=next_ts())
    bot.event(other)
    assert "Blinken" not in bot.reply_to(other)["text"]


def test_follow_up_in_a_flat_dm_conversation(bot: HttpBot) -> None:
    first = dm("What did Ned Price say?", channel="D0300")
    bot.event(first)
    bot.reply_to(first)
    ev = dm("What did he say?", channel="D0300")
    bot.event(ev)
    assert bot.reply_to(ev)["text"].startswith("Ned Price said:")


def test_empty_mention_and_help_get_usage_with_examples_from_the_corpus(
    bot: HttpBot, bundled_corpus: Corpus
) -> None:
    speakers = [s["display"] for s in bundled_corpus.index.speakers]
    for text in ("", "help"):
        ev = mention(text)
        bot.event(ev)
        reply = bot.reply_to(ev)
        shown = blocks_text(bot.fake.calls_to("chat.postMessage")[-1])
        assert "Try:" in shown
        examples = [line[2:] for line in shown.splitlines() if line.startswith("> ")]
        assert len(examples) == 2
        assert any(f"What did {s} say?" in examples for s in speakers)
        for q in examples:  # every example really gets an answer
            assert bundled_corpus.answer(q).found, q
        assert "couldn't find" not in reply["text"]


def test_unanswerable_question_is_declined_without_citations(bot: HttpBot) -> None:
    ev = mention("What did Putin say?")
    bot.event(ev)
    reply = bot.reply_to(ev)
    assert reply["text"].startswith("I couldn't find that in the corpus.")
    assert [b["type"] for b in reply["blocks"]] == ["section"]
    assert "[1]" not in json.dumps(reply["blocks"])


def test_corpus_text_is_escaped_and_never_pings_or_links(tmp_path: Path, fake_slack: FakeSlack) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "evil.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
    corpus = Corpus(tmp_path / "corpus", tmp_path / "index")
    corpus.open()
    b = HttpBot(corpus, fake_slack)
    try:
        ev = mention("What did Jane Roe say?")
        b.event(ev)
        reply = b.reply_to(ev)
    finally:
        b.close()
    shown = blocks_text(fake_slack.calls_to("chat.postMessage")[-1])
    for raw in ("<!channel>", "<!here>", "<@U123>", "<@U999>", "<https://evil"):
        assert raw not in shown and raw not in reply["text"], raw
    assert "&lt;!channel&gt; &lt;!here&gt; read &lt;@U123&gt; and &lt;https://evil.example|click&gt;" in shown
    assert "now &amp; later" in reply["text"]
    assert "&amp;amp;" not in shown
    # the title links to the article (its own URL, escaped), and its label is escaped text
    assert "<https://news.example.org/a?x=1&amp;y=2|Alert &lt;!here&gt; &amp; &lt;@U999&gt;" in shown
    assert "· 5 Mar 2024" in shown
    texts = [b["text"] for b in reply["blocks"] if b["type"] == "section"]
    assert all(t["verbatim"] is True for t in texts)


# --- retries, ignored events, signatures ------------------------------------------------------


def test_a_retried_event_is_answered_once_even_while_the_first_is_being_answered(bot: HttpBot) -> None:
    bot.fake.delays["reactions.add"] = 0.5  # keep the first answer in flight while retries arrive
    ev = mention("What did Blinken say?", channel="C0200")
    bot.event(ev, event_id="EvRETRY1")
    bot.fake.wait_for(
        "reactions.add", ok=False, timeout=5, where=lambda c: c.args.get("timestamp") == ev["ts"]
    )
    bot.event(ev, event_id="EvRETRY1", retry_num=1)  # arrives mid-answer
    bot.fake.delays.clear()
    bot.reply_to(ev)
    bot.event(ev, event_id="EvRETRY1", retry_num=2)  # and after the answer
    bot.sentinel()
    assert len(posts(bot.fake, "C0200")) == 1
    assert len(bot.fake.calls_to("reactions.add", where=lambda c: c.args.get("timestamp") == ev["ts"])) == 1


def test_a_retry_of_an_event_never_seen_is_answered(bot: HttpBot) -> None:
    ev = mention("What did Blinken say?", channel="C0201")
    bot.event(ev, event_id="EvLOSTFIRST", retry_num=1)
    bot.reply_to(ev)


@pytest.mark.parametrize(
    "event",
    [
        dm("What did Blinken say?", user=BOT_USER, bot_id=BOT_ID),  # our own post
        dm("What did Blinken say?", user="", subtype="bot_message", bot_id="BOTHER", username="otherbot"),
        dm("What did Blinken say?", user="U0002", bot_id="BOTHER"),  # modern bot post, no subtype
        dm(
            "",
            subtype="message_changed",
            hidden=True,
            message={"type": "message", "user": "U0001", "text": "What did Blinken say?", "ts": "1.1"},
        ),
        dm("", subtype="message_deleted", hidden=True, deleted_ts="1.1"),
        dm("<@U0001> has joined the channel", subtype="channel_join"),
        {**dm("What did Blinken say?"), "channel": "C0001", "channel_type": "channel"},  # not a DM
        {
            "type": "reaction_added",
            "user": "U0001",
            "reaction": "eyes",
            "item": {"type": "message"},
            "event_ts": "1.2",
            "ts": "1.2",
            "channel": "C0001",
        },  # an event type nobody listens to
    ],
    ids=[
        "own",
        "bot_message",
        "other_bot",
        "message_changed",
        "message_deleted",
        "channel_join",
        "channel_msg",
        "other_event",
    ],
)
def test_other_messages_are_acked_and_never_answered(bot: HttpBot, event: dict) -> None:
    resp = bot.event(event)  # asserts 200 (an unmatched event must not be 404)
    assert resp.status_code == 200
    bot.sentinel()
    assert bot.fake.calls_to("chat.postMessage", where=lambda c: c.args["channel"] != "DSENTINEL") == []
    assert bot.fake.calls_to("reactions.add", where=lambda c: c.args["channel"] != "DSENTINEL") == []


@pytest.mark.parametrize("how", ["wrong_secret", "stale", "unsigned", "tampered"])
def test_bad_or_stale_signatures_get_401_and_no_answer(bot: HttpBot, how: str) -> None:
    body = json.dumps(event_body(mention("What did Blinken say?", channel="C0300")))
    if how == "wrong_secret":
        resp = bot.post(body, secret="not-the-secret")
    elif how == "stale":
        resp = bot.post(body, timestamp=int(time.time()) - 6 * 60)
    elif how == "unsigned":
        resp = bot.post(body, signed=False)
    else:
        headers = {"Content-Type": "application/json", **sign(body)}
        resp = bot.http.post(
            "/slack/events", content=body.replace("Blinken", "Price").encode(), headers=headers
        )
    assert resp.status_code == 401
    bot.sentinel()
    assert posts(bot.fake, "C0300") == []


@pytest.mark.parametrize("signed", [False, True])
def test_a_body_that_is_not_json_gets_400_not_a_traceback(
    bot: HttpBot, signed: bool, caplog: pytest.LogCaptureFixture
) -> None:
    resp = bot.post("{not json at all", signed=signed)
    assert resp.status_code in {400, 401}
    assert "Traceback" not in caplog.text and "dispatch failed" not in caplog.text
    bot.sentinel()  # still serving


def test_url_verification_returns_the_challenge(bot: HttpBot) -> None:
    body = json.dumps(
        {"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gm", "type": "url_verification"}
    )
    resp = bot.post(body)
    assert resp.status_code == 200
    assert resp.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gm"}
    assert bot.post(body, secret="wrong").status_code == 401


# --- /citebot and its button ---------------------------------------------------------------


def test_slash_command_answers_ephemerally_and_the_button_posts_it(bot: HttpBot) -> None:
    started = time.monotonic()
    resp = bot.command("What did Blinken say?")
    assert resp.status_code == 200 and time.monotonic() - started < 2.5
    eph = bot.fake.wait_for("chat.postEphemeral")[0].args
    assert eph["user"] == "U0001" and eph["channel"] == "C0001"
    assert "Antony Blinken said:" in eph["text"]
    actions = [b for b in eph["blocks"] if b["type"] == "actions"]
    button = actions[0]["elements"][0]
    assert button["action_id"] == "citebot_post"
    assert bot.fake.calls_to("chat.postMessage") == []  # nothing in the channel yet

    assert bot.click(button["value"]).status_code == 200
    posted = bot.fake.wait_for("chat.postMessage")[0].args
    assert posted["channel"] == "C0001" and "Antony Blinken said:" in posted["text"]
    assert (
        posted["blocks"][0]["type"] == "context"
        and "<@U0001> asked" in posted["blocks"][0]["elements"][0]["text"]
    )
    buttons = [e["action_id"] for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == ["citebot_feedback_up", "citebot_feedback_down"]  # and no second post button
    assert bot.fake.wait_for("response_url")[0].args["delete_original"] is True


def test_slash_command_decline_has_no_button(bot: HttpBot) -> None:
    bot.command("What did Putin say?")
    eph = bot.fake.wait_for("chat.postEphemeral")[0].args
    assert not any(b["type"] == "actions" for b in eph["blocks"])


# --- Slack API failures ---------------------------------------------------------------------


def test_rate_limited_post_is_retried_and_answered(bot: HttpBot) -> None:
    bot.fake.fail_next(1, status=429, retry_after=0, methods={"chat.postMessage"})
    ev = mention("What did Blinken say?", channel="C0400")
    bot.event(ev)
    bot.reply_to(ev)
    calls = bot.fake.calls_to("chat.postMessage", ok=False)
    assert [c.status for c in calls] == [429, 200]


def test_server_errors_are_logged_and_the_app_keeps_serving(
    bot: HttpBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.slack")
    bot.fake.fail_next(3, status=500, methods={"chat.postMessage"})  # first try + 2 retries
    ev = mention("What did Blinken say?", channel="C0500")
    bot.event(ev)
    bot.fake.wait_for("reactions.remove", where=lambda c: c.args.get("timestamp") == ev["ts"])
    assert [c.status for c in bot.fake.calls_to("chat.postMessage", ok=False)] == [500, 500, 500]
    assert any("chat.postMessage failed" in r.getMessage() for r in caplog.records)
    nxt = mention("What did Ned Price say?", channel="C0501")
    bot.event(nxt)
    assert bot.reply_to(nxt)["text"].startswith("Ned Price said:")


def test_refused_blocks_fall_back_to_the_plain_text(bot: HttpBot) -> None:
    bot.fake.fail_next(1, error="invalid_blocks", methods={"chat.postMessage"})
    ev = mention("What did Blinken say?", channel="C0550")
    bot.event(ev)
    bot.reply_to(ev)
    first, second = bot.fake.calls_to("chat.postMessage", where=lambda c: c.args["channel"] == "C0550")
    assert first.args.get("blocks") and not second.args.get("blocks")
    assert second.args["text"].startswith("Antony Blinken said:") and second.args["thread_ts"] == ev["ts"]


def test_eyes_reaction_is_added_while_answering_and_removed_after(bot: HttpBot) -> None:
    ev = mention("What did Blinken say?", channel="C0600")
    bot.event(ev)
    bot.reply_to(ev)
    mine = [c for c in bot.fake.calls if c.args.get("channel") == "C0600"]
    assert [c.method for c in mine] == ["reactions.add", "chat.postMessage", "reactions.remove"]
    assert all(c.args["name"] == "eyes" and c.args["timestamp"] == ev["ts"] for c in (mine[0], mine[2]))


def test_answers_run_concurrently(bundled_corpus: Corpus, fake_slack: FakeSlack) -> None:
    b = HttpBot(bundled_corpus, fake_slack, workers=4)
    try:
        fake_slack.delays["chat.postMessage"] = 1.0
        started = time.monotonic()
        events = [mention("What did Blinken say?", channel=f"C07{i:02d}") for i in range(4)]
        for ev in events:
            b.event(ev)
        for ev in events:
            b.reply_to(ev)
        assert time.monotonic() - started < 3.0  # one at a time would take 4 s
    finally:
        b.close()


# --- health, hot reload ----------------------------------------------------------------------


def test_healthz_reports_corpus_size_and_index_age(bot: HttpBot, bundled_corpus: Corpus) -> None:
    resp = bot.http.get("/healthz")
    assert resp.status_code == 200
    data = resp.json()
    m = bundled_corpus.index.manifest
    assert data["articles"] == m.articles == 1 and data["sentences"] == m.sentences > 0
    assert 0 <= data["index_age_seconds"] < 24 * 3600
    assert bot.http.get("/nope").status_code == 404


def test_a_refresh_by_another_process_is_seen_by_the_next_question(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    shutil.copytree(BUNDLED_CORPUS, tmp_path / "corpus", ignore=shutil.ignore_patterns(".citebot*"))
    corpus = Corpus(tmp_path / "corpus", tmp_path / "index")
    corpus.open()
    b = HttpBot(corpus, fake_slack)
    try:
        ev = mention("What did Jane Roe say?", channel="C0800")
        b.event(ev)
        assert b.reply_to(ev)["text"].startswith("I couldn't find")
        (tmp_path / "corpus" / "evil.txt").write_text(EVIL_ARTICLE, encoding="utf-8")
        Corpus(tmp_path / "corpus", tmp_path / "index").refresh()  # as `citebot refresh` elsewhere would
        ev = mention("What did Jane Roe say?", channel="C0801")
        b.event(ev)
        assert b.reply_to(ev)["text"].startswith("Jane Roe said:")
        assert b.http.get("/healthz").json()["articles"] == 2
    finally:
        b.close()


# --- `citebot serve` as a process ------------------------------------------------------------


def _serve(
    tmp_path: Path, env: dict[str, str], *args: str, timeout: float = 30
) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve", *args],
        env=base | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("env", "args", "variable"),
    [
        ({}, [], "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, [], "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, ["--mode", "http"], "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, [], "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, ["--mode", "socket"], "SLACK_APP_TOKEN"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "CITEBOT_SLACK_WORKERS": "many"},
            [],
            "CITEBOT_SLACK_WORKERS",
        ),
    ],
    ids=["missing_bot", "user_token", "no_secret", "bad_app_token", "socket_no_app_token", "bad_workers"],
)
def test_serve_refuses_bad_settings_with_one_line(
    tmp_path: Path, env: dict, args: list, variable: str
) -> None:
    proc = _serve(tmp_path, env, *args)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0] and lines[0].startswith("error:"), proc.stderr
    assert "Traceback" not in proc.stderr


def test_serve_refuses_an_app_token_slack_rejects(tmp_path: Path, fake_slack: FakeSlack) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-revoked"}
    env["SLACK_API_URL"] = fake_slack.base_url
    proc = _serve(tmp_path, env, "--corpus", str(BUNDLED_CORPUS), "--index", str(tmp_path / "index"))
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == "error: SLACK_APP_TOKEN was refused by Slack: invalid_auth"
    assert "Traceback" not in proc.stderr


def test_serve_refuses_a_token_slack_rejects(tmp_path: Path, fake_slack: FakeSlack) -> None:
    proc = _serve(
        tmp_path,
        {
            "SLACK_BOT_TOKEN": "xoxb-revoked",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": fake_slack.base_url,
        },
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: SLACK_BOT_TOKEN was refused by Slack: invalid_auth"
    assert [c.method for c in fake_slack.calls] == ["auth.test"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_http_mode_from_a_dotenv_file(tmp_path: Path, fake_slack: FakeSlack) -> None:
    port = _free_port()
    (tmp_path / ".env").write_text(
        f"SLACK_BOT_TOKEN={BOT_TOKEN}\nSLACK_SIGNING_SECRET={SIGNING_SECRET}\n"
        f"SLACK_API_URL={fake_slack.base_url}\n",
        encoding="utf-8",
    )
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    cmd = [
        sys.executable,
        "-m",
        "bot",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--refresh-every",
        "1h",
        "--corpus",
        str(BUNDLED_CORPUS),
        "--index",
        str(tmp_path / "index"),
    ]
    log = tmp_path / "serve.log"
    with log.open("w") as out, subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=out, stderr=out) as proc:
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=5) as http:
                deadline = time.monotonic() + 30
                while True:  # poll /healthz until the server is up (bounded)
                    assert proc.poll() is None, log.read_text()
                    try:
                        if http.get("/healthz").status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert time.monotonic() < deadline, "citebot serve did not come up: " + log.read_text()
                    time.sleep(0.1)
                ev = mention("What did Blinken say?", channel="C0900")
                body = json.dumps(event_body(ev))
                headers = {"Content-Type": "application/json", **sign(body)}
                assert http.post("/slack/events", content=body.encode(), headers=headers).status_code == 200
                (reply,) = fake_slack.wait_for("chat.postMessage")
                assert reply.args["channel"] == "C0900" and reply.args["thread_ts"] == ev["ts"]
            proc.send_signal(signal.SIGTERM)  # docker stop
            assert proc.wait(timeout=10) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
    assert "HTTP mode on http://127.0.0.1" in log.read_text()


def test_healthz_reports_each_sources_last_fetch(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from conftest import write_corpus

    from bot.slack.server import health
    from bot.sources.store import FetchState, SourceState, save_state

    corpus_dir = tmp_path / "corpus"
    write_corpus(
        corpus_dir, {"a.txt": ("Harbour news", ["Harbour master Ines Costa said the pier would open."])}
    )
    when = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    save_state(
        corpus_dir,
        FetchState(
            sources={
                "http://127.0.0.1:9/feed.xml": SourceState(last_fetch=when, outcome="ok", new=3),
                "http://127.0.0.1:9/gone.xml": SourceState(
                    last_fetch=when, outcome="error", error="HTTP 404"
                ),
            }
        ),
    )
    c = Corpus(corpus_dir, tmp_path / "idx")
    c.open()
    status, body = health(c)
    assert status == 200 and body["articles"] == 1
    by_url = {s["url"]: s for s in body["sources"]}
    assert (
        by_url["http://127.0.0.1:9/feed.xml"]["outcome"] == "ok"
        and by_url["http://127.0.0.1:9/feed.xml"]["new"] == 3
    )
    assert by_url["http://127.0.0.1:9/gone.xml"]["error"] == "HTTP 404"
    assert body["sources"][0]["last_fetch"].startswith("2026-11-27T09:30")
