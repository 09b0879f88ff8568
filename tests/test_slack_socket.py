"""The same app in Socket Mode, against a local WebSocket server speaking Slack's envelope protocol.

`apps.connections.open` on the fake Web API hands out the fake's ws:// URL; the fake sends
`hello`, envelopes and `disconnect`, and records the app's acks.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import httpx
import pytest
from fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    PROXY_VARS,
    FakeSlack,
    FakeSocketMode,
    button_click,
    dm,
    event_body,
    mention,
    slash_command,
)

from bot.corpus import Corpus
from bot.slack.app import build_app
from bot.slack.server import SlackHTTPServer, start_socket_mode
from bot.slack.settings import SlackSettings

pytest_plugins = ["fake_slack"]
pytestmark = [pytest.mark.timeout(60)]


class SocketBot:
    def __init__(self, corpus: Corpus, fake: FakeSlack, sock: FakeSocketMode) -> None:
        self.fake, self.sock = fake, sock
        fake.ws_url = sock.url
        settings = SlackSettings(
            _env_file=None,
            bot_token=BOT_TOKEN,
            app_token=APP_TOKEN,
            api_url=fake.base_url,
            workers=1,
            api_backoff=0.05,
        )
        self.app = build_app(corpus, settings)
        self.handler = start_socket_mode(self.app, APP_TOKEN, concurrency=4)
        sock.wait_connections(1)

    def event(self, event: dict, *, event_id: str | None = None, retry_attempt: int = 0) -> dict:
        envelope_id = self.sock.send(event_body(event, event_id), retry_attempt=retry_attempt)
        return self.sock.wait_ack(envelope_id)

    def reply_to(self, ev: dict) -> dict:
        self.fake.wait_for("reactions.remove", where=lambda c: c.args.get("timestamp") == ev["ts"])
        return self.fake.calls_to("chat.postMessage", where=lambda c: c.args["channel"] == ev["channel"])[
            -1
        ].args

    def close(self) -> None:
        self.handler.close()


@pytest.fixture(scope="module")
def sbot(bundled_corpus: Corpus) -> Iterator[SocketBot]:
    """One connected bot for the module: closing a Socket Mode client takes slack_sdk ~1-3 s.

    Tests keep to their own channels, so the shared record of calls does not mix them up.
    """
    with pytest.MonkeyPatch.context() as mp:
        for name in PROXY_VARS:
            mp.delenv(name, raising=False)
        fake, sock = FakeSlack().start(), FakeSocketMode().start()
        bot = SocketBot(bundled_corpus, fake, sock)
        yield bot
        bot.close()
        sock.stop()
        fake.stop()


def test_connects_through_apps_connections_open_with_the_app_token(sbot: SocketBot) -> None:
    call = sbot.fake.calls_to("apps.connections.open")[0]
    assert call.token == APP_TOKEN


def test_mention_is_acked_and_answered_in_its_thread(sbot: SocketBot) -> None:
    ev = mention("What did Blinken say?", channel="C1000")
    ack = sbot.event(ev)
    assert "payload" not in ack  # events are acked with just the envelope_id
    reply = sbot.reply_to(ev)
    assert reply["thread_ts"] == ev["ts"] and reply["text"].startswith("Antony Blinken said:")


def test_dm_is_answered(sbot: SocketBot) -> None:
    ev = dm("What did Ned Price say?", channel="D1000")
    sbot.event(ev)
    reply = sbot.reply_to(ev)
    assert reply.get("thread_ts") is None and reply["text"].startswith("Ned Price said:")


def test_redelivered_envelope_is_acked_but_answered_once(sbot: SocketBot) -> None:
    sbot.fake.delays["reactions.add"] = 0.5  # the retry lands while the first answer is in flight
    ev = mention("What did Blinken say?", channel="C1100")
    sbot.event(ev, event_id="EvSOCK1")
    sbot.event(ev, event_id="EvSOCK1", retry_attempt=1)
    sbot.fake.delays.clear()
    sbot.reply_to(ev)
    sbot.event(ev, event_id="EvSOCK1", retry_attempt=2)
    sentinel = dm("What did Blinken say?", channel="DSENTINEL")  # one worker: FIFO
    sbot.event(sentinel)
    sbot.reply_to(sentinel)
    assert len(sbot.fake.calls_to("chat.postMessage", where=lambda c: c.args["channel"] == "C1100")) == 1


def test_ignored_message_subtypes_are_still_acked(sbot: SocketBot) -> None:
    # An unacked envelope is redelivered by Slack; Bolt sends no ack for a 404 "unhandled request".
    sbot.event(dm("", subtype="message_changed", hidden=True, message={"text": "hi"}))
    sbot.event(
        {"type": "app_home_opened", "user": "U0001", "channel": "D1", "tab": "home", "event_ts": "1.0"}
    )


def test_reconnects_after_disconnect_and_keeps_answering(sbot: SocketBot) -> None:
    before = len(sbot.sock.connections)
    sbot.sock.disconnect("refresh_requested")
    sbot.sock.wait_connections(before + 1)
    sbot.fake.wait_for("apps.connections.open", count=before + 1)
    ev = mention("What did Blinken say?", channel="C1200")
    sbot.event(ev)
    assert sbot.reply_to(ev)["thread_ts"] == ev["ts"]


def test_slash_command_and_button_over_socket_mode(sbot: SocketBot) -> None:
    command = slash_command("What did Blinken say?", sbot.fake, channel="C1300")
    sbot.sock.wait_ack(sbot.sock.send(command, kind="slash_commands"))
    eph = sbot.fake.wait_for("chat.postEphemeral", where=lambda c: c.args["channel"] == "C1300")[0].args
    button = next(b for b in eph["blocks"] if b["type"] == "actions")["elements"][0]
    click = button_click(button["value"], sbot.fake, channel="C1300")
    sbot.sock.wait_ack(sbot.sock.send(click, kind="interactive"))
    posted = sbot.fake.wait_for("chat.postMessage", where=lambda c: c.args["channel"] == "C1300")[0].args
    assert "Antony Blinken said:" in posted["text"]


def test_health_endpoint_in_socket_mode_reports_the_connection(
    sbot: SocketBot, bundled_corpus: Corpus
) -> None:
    server = SlackHTTPServer(("127.0.0.1", 0), None, bundled_corpus, sbot.handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", trust_env=False, timeout=5) as http:
            resp = http.get("/healthz")
            assert resp.status_code == 200
            assert resp.json()["socket_mode_connected"] is True
            assert resp.json()["articles"] == bundled_corpus.index.manifest.articles
            # no HTTP events endpoint in Socket Mode: nothing unsigned gets dispatched
            assert http.post("/slack/events", content=json.dumps({"type": "x"})).status_code == 404
    finally:
        server.shutdown()
        server.server_close()
