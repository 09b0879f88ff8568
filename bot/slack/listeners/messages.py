"""`message.im`: answer plain human DMs; acknowledge and drop every other message event.

One catch-all `message` listener, so that edits, deletions, joins and bot posts are acked
with 200 (an unmatched event gets 404 from Bolt, which Slack retries) and never answered.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import bot_user_id
from bot.slack.responder import Responder

#: Subtypes that still carry a person's question (a DM with an attachment).
ANSWERED_SUBTYPES = {None, "file_share"}


def is_question(event: dict[str, Any], me: str | None) -> bool:
    """A DM typed by a person: not ours, not another bot's, not an edit/deletion/join/etc."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in ANSWERED_SUBTYPES
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and not event.get("hidden")
        and bool(event.get("user"))
        and event.get("user") != me
    )


def register(app: App, responder: Responder) -> None:
    @app.event("message")
    def on_message(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        me = bot_user_id(context, body)
        if not is_question(event, me):
            return
        responder.reply(
            client,
            channel=event["channel"],
            ts=event["ts"],
            thread_ts=event.get("thread_ts"),  # flat DMs get a flat reply
            text=event.get("text"),
            bot_user_id=me,
        )
