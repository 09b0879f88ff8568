"""The "Post to channel" button on an ephemeral /citebot answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.slack.blocks import POST_ACTION, button_question
from bot.slack.responder import Responder


def register(app: App, responder: Responder) -> None:
    @app.action(POST_ACTION)
    def on_post(
        ack: Ack, action: dict[str, Any], body: dict[str, Any], client: WebClient, respond: Respond
    ) -> None:
        ack()
        question, context = button_question(action.get("value"))
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        user = (body.get("user") or {}).get("id")
        if not question or not channel or not user:
            return
        responder.share(client, respond, channel=channel, user=user, question=question, context=context)
