"""`/citebot QUESTION`: ack at once, then an ephemeral answer with a button to share it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_bolt.context import BoltContext
from slack_sdk import WebClient

from bot.slack.listeners.common import bot_user_id
from bot.slack.responder import Responder

COMMAND = "/citebot"


def register(app: App, responder: Responder) -> None:
    @app.command(COMMAND)
    def on_command(
        ack: Ack,
        command: dict[str, Any],
        body: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()  # within Slack's 3 s; the answer follows as its own message
        responder.ephemeral(
            client,
            respond,
            channel=command["channel_id"],
            user=command["user_id"],
            text=command.get("text"),
            bot_user_id=bot_user_id(context, body),
        )
