"""What several listeners need from a Bolt request."""

from __future__ import annotations

from typing import Any

from slack_bolt.context import BoltContext


def bot_user_id(context: BoltContext, body: dict[str, Any]) -> str | None:
    """The bot's own user id: from auth.test (Bolt's context), else the event's authorizations."""
    if context.bot_user_id:
        return context.bot_user_id
    for auth in body.get("authorizations") or []:
        if auth.get("is_bot") and auth.get("user_id"):
            return str(auth["user_id"])
    return None
