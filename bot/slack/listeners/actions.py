"""The buttons: "Post to channel" on an ephemeral /citebot answer, 👍 / 👎 under every answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.feedback import Vote
from bot.slack.blocks import POST_ACTION, button_question
from bot.slack.feedback import FEEDBACK_ACTIONS
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

    for action_id, vote in FEEDBACK_ACTIONS.items():
        app.action(action_id)(_voter(responder, vote))


def _voter(responder: Responder, vote: Vote) -> Callable[..., None]:
    """One listener per button; Bolt injects arguments by name, so the vote is closed over."""

    def on_vote(ack: Ack, action: dict, body: dict, client: WebClient, respond: Respond) -> None:
        ack()
        responder.vote(client, respond, vote=vote, body=body, value=action.get("value"))

    return on_vote
