"""Catch-alls, registered last: anything else is acknowledged (200) and ignored.

Without them Bolt answers an unmatched request with 404, which Slack treats as a failed
delivery and retries (and Socket Mode leaves unacked, so it is redelivered).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App

from bot.slack.responder import Responder

log = logging.getLogger(__name__)
ANY = re.compile(r".*")


def register(app: App, responder: Responder) -> None:
    del responder

    @app.event(ANY)
    def other_event(event: dict[str, Any]) -> None:
        log.debug("ignored event %s", event.get("type"))

    @app.action(ANY)
    def other_action(ack: Ack) -> None:
        ack()

    @app.command(ANY)
    def other_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(text=f"I only know /citebot, not {command.get('command')}.")

    @app.shortcut(ANY)
    def other_shortcut(ack: Ack) -> None:
        ack()

    @app.view(ANY)
    def other_view(ack: Ack) -> None:
        ack()
