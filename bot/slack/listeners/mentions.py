"""`app_mention`: answer in the thread of the mention (a new thread under it when it had none)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import bot_user_id
from bot.slack.responder import Responder


def register(app: App, responder: Responder) -> None:
    @app.event("app_mention")
    def on_mention(
        event: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
    ) -> None:
        if event.get("bot_id") or event.get("subtype"):
            return  # another bot (or an edit): answering bots risks a loop
        responder.reply(
            client,
            channel=event["channel"],
            ts=event["ts"],
            thread_ts=event.get("thread_ts") or event["ts"],
            text=event.get("text"),
            bot_user_id=bot_user_id(context, body),
        )
