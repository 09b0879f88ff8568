"""Bolt listeners, one module per kind of request; `register_all` wires them onto an App."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, fallback, mentions, messages
from bot.slack.responder import Responder


def register_all(app: App, responder: Responder) -> None:
    # Order matters: Bolt runs the first listener that matches, so the catch-alls go last.
    for module in (mentions, messages, commands, actions, fallback):
        module.register(app, responder)
