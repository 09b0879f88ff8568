"""Each Bolt listener called on its own, the bolt-python starter's way: the listener function
with hand-written fakes for `ack`, `respond` and `client`, and the real `Responder` over the
bundled corpus. (The end-to-end tests run the same listeners through Bolt against fake_slack.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from slack_bolt.context import BoltContext

from bot.corpus import Corpus
from bot.slack.blocks import POST_ACTION, with_post_button
from bot.slack.listeners import actions, commands, fallback, mentions, messages
from bot.slack.responder import REACTION, Responder

ME = "UBOT0001"


class FakeClient:
    """The WebClient methods the listeners use, recording each call and answering `ok`."""

    def __init__(self, fail: set[str] | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail or set()
        self._ts = 0

    def _record(self, method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((method, kwargs))
        if method in self.fail:
            raise ConnectionError(f"{method}: no route to Slack")
        self._ts += 1
        return {"ok": True, "channel": kwargs.get("channel"), "ts": f"1700000000.{self._ts:06d}"}

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("chat.postMessage", kwargs)

    def chat_postEphemeral(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("chat.postEphemeral", kwargs)

    def reactions_add(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("reactions.add", kwargs)

    def reactions_remove(self, **kwargs: Any) -> dict[str, Any]:
        return self._record("reactions.remove", kwargs)

    def methods(self) -> list[str]:
        return [m for m, _ in self.calls]

    def posted(self) -> list[dict[str, Any]]:
        return [kw for m, kw in self.calls if m == "chat.postMessage"]


class Recorder:
    """`ack` / `respond`: callables that remember what they were called with."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append({"args": args, **kwargs})


class Listeners:
    """Stands in for the Bolt App at registration time, keeping each listener function by its
    matcher so a test can call it directly, as Bolt would after matching a request."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], Callable[..., None]] = {}

    def _keep(self, kind: str, key: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
        name = key.pattern if isinstance(key, re.Pattern) else str(key)

        def keep(fn: Callable[..., None]) -> Callable[..., None]:
            self.found[(kind, name)] = fn
            return fn

        return keep

    def event(self, key: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
        return self._keep("event", key)

    def command(self, key: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
        return self._keep("command", key)

    def action(self, key: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
        return self._keep("action", key)

    def shortcut(self, key: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
        return self._keep("shortcut", key)

    def view(self, key: object) -> Callable[[Callable[..., None]], Callable[..., None]]:
        return self._keep("view", key)


@pytest.fixture
def responder(seed_corpus: Corpus) -> Responder:
    return Responder(seed_corpus)


def listener(module: Any, responder: Responder, kind: str, name: str) -> Callable[..., None]:
    found = Listeners()
    module.register(found, responder)
    return found.found[(kind, name)]


def context() -> BoltContext:
    return BoltContext({"bot_user_id": ME})


# --- app_mention -------------------------------------------------------------------------------


def test_mention_is_answered_in_its_thread_between_eyes_reactions(responder: Responder) -> None:
    on_mention = listener(mentions, responder, "event", "app_mention")
    client = FakeClient()
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{ME}> What did Blinken say?",
        "channel": "C1",
        "ts": "5.1",
    }
    on_mention(event=event, body={}, context=context(), client=client)
    assert client.methods() == ["reactions.add", "chat.postMessage", "reactions.remove"]
    (post,) = client.posted()
    assert post["channel"] == "C1" and post["thread_ts"] == "5.1"
    assert "Antony Blinken said" in post["text"] and post["blocks"]
    assert client.calls[0][1]["name"] == REACTION == client.calls[2][1]["name"]


def test_mention_by_another_bot_or_an_edit_is_ignored(responder: Responder) -> None:
    on_mention = listener(mentions, responder, "event", "app_mention")
    client = FakeClient()
    base = {"type": "app_mention", "text": f"<@{ME}> What did Blinken say?", "channel": "C1", "ts": "5.1"}
    on_mention(event=base | {"bot_id": "B2"}, body={}, context=context(), client=client)
    on_mention(event=base | {"subtype": "message_changed"}, body={}, context=context(), client=client)
    assert client.calls == []


def test_a_failed_post_is_logged_and_the_reaction_still_removed(responder: Responder) -> None:
    on_mention = listener(mentions, responder, "event", "app_mention")
    client = FakeClient(fail={"chat.postMessage"})
    event = {
        "type": "app_mention",
        "user": "U1",
        "text": f"<@{ME}> Who is Ned Price?",
        "channel": "C1",
        "ts": "6.1",
    }
    on_mention(event=event, body={}, context=context(), client=client)  # no exception escapes
    assert client.methods() == ["reactions.add", "chat.postMessage", "reactions.remove"]


# --- message.im --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "answered"),
    [
        ({"channel_type": "im", "user": "U1", "text": "Who is Ned Price?"}, True),
        ({"channel_type": "im", "user": ME, "text": "Who is Ned Price?"}, False),  # our own
        ({"channel_type": "im", "user": "U1", "bot_id": "B9", "text": "Who is Ned Price?"}, False),
        ({"channel_type": "im", "user": "U1", "subtype": "message_changed", "text": "x"}, False),
        ({"channel_type": "channel", "user": "U1", "text": "Who is Ned Price?"}, False),
    ],
    ids=["person", "self", "bot", "edit", "channel"],
)
def test_dm_listener_answers_only_a_person_in_a_dm(
    responder: Responder, event: dict[str, Any], answered: bool
) -> None:
    on_message = listener(messages, responder, "event", "message")
    client = FakeClient()
    on_message(
        event={"type": "message", "channel": "D1", "ts": "7.1"} | event,
        body={},
        context=context(),
        client=client,
    )
    assert bool(client.posted()) is answered
    if answered:
        (post,) = client.posted()
        assert post["channel"] == "D1" and post.get("thread_ts") is None  # a flat DM gets a flat reply
        assert "Ned Price" in post["text"]


# --- /citebot and its button -----------------------------------------------------------------


def test_slash_command_acks_then_answers_ephemerally_with_a_post_button(responder: Responder) -> None:
    on_command = listener(commands, responder, "command", "/citebot")
    ack, respond, client = Recorder(), Recorder(), FakeClient()
    command = {"command": "/citebot", "text": "What did Blinken say?", "channel_id": "C1", "user_id": "U1"}
    on_command(ack=ack, command=command, body={}, context=context(), client=client, respond=respond)
    assert len(ack.calls) == 1 and ack.calls[0] == {"args": ()}
    ((method, kw),) = client.calls
    assert method == "chat.postEphemeral" and kw["user"] == "U1" and kw["channel"] == "C1"
    assert any(b.get("type") == "actions" for b in kw["blocks"])
    assert respond.calls == []


def test_slash_command_falls_back_to_respond_when_ephemeral_fails(responder: Responder) -> None:
    on_command = listener(commands, responder, "command", "/citebot")
    ack, respond, client = Recorder(), Recorder(), FakeClient(fail={"chat.postEphemeral"})
    command = {"command": "/citebot", "text": "Who is Ned Price?", "channel_id": "C1", "user_id": "U1"}
    on_command(ack=ack, command=command, body={}, context=context(), client=client, respond=respond)
    (reply,) = respond.calls
    assert reply["response_type"] == "ephemeral" and "Ned Price" in reply["text"]


def test_post_button_posts_to_the_channel_and_deletes_the_ephemeral(responder: Responder) -> None:
    on_post = listener(actions, responder, "action", POST_ACTION)
    value = next(
        el["value"]
        for b in with_post_button(responder.help(ME), "What did Blinken say?", None).blocks
        if b.get("type") == "actions"
        for el in b["elements"]
    )
    ack, respond, client = Recorder(), Recorder(), FakeClient()
    body = {"channel": {"id": "C1"}, "user": {"id": "U1"}}
    on_post(ack=ack, action={"value": value}, body=body, client=client, respond=respond)
    assert len(ack.calls) == 1
    (post,) = client.posted()
    assert post["channel"] == "C1" and "Antony Blinken said" in post["text"]
    assert respond.calls == [{"args": (), "delete_original": True}]


def test_post_button_with_a_broken_value_only_acks(responder: Responder) -> None:
    on_post = listener(actions, responder, "action", POST_ACTION)
    ack, respond, client = Recorder(), Recorder(), FakeClient()
    on_post(
        ack=ack, action={"value": "not json"}, body={"channel": {"id": "C1"}}, client=client, respond=respond
    )
    assert len(ack.calls) == 1 and client.calls == [] and respond.calls == []


# --- catch-alls --------------------------------------------------------------------------------


def test_an_unknown_command_is_acked_with_a_pointer_to_citebot(responder: Responder) -> None:
    other = listener(fallback, responder, "command", ".*")
    ack = Recorder()
    other(ack=ack, command={"command": "/weather"})
    assert ack.calls == [{"args": (), "text": "I only know /citebot, not /weather."}]


@pytest.mark.parametrize("kind", ["action", "shortcut", "view"])
def test_other_interactions_are_acked(responder: Responder, kind: str) -> None:
    other = listener(fallback, responder, kind, ".*")
    ack = Recorder()
    other(ack=ack)
    assert len(ack.calls) == 1
