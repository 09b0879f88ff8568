"""The 👍 / 👎 buttons under an answer and the message that replaces them once clicked.

A button's value carries the question and the cited sentence keys (Slack returns it on the
click), so a vote can be stored by whichever replica receives it, with no lookup.
"""

from __future__ import annotations

import json

from bot.feedback import Vote
from bot.models import SentenceKey
from bot.slack.blocks import BUTTON_VALUE_CHARS, MAX_BLOCKS, Message, context

FEEDBACK_ACTIONS = {"citebot_feedback_up": Vote.up, "citebot_feedback_down": Vote.down}
FEEDBACK_BLOCK = "citebot_feedback"
THANKS = "thanks — recorded"


def feedback_value(question: str, cited: list[SentenceKey]) -> str:
    """JSON within Slack's 2,000-char button value: the question cut first, then the last keys."""
    q = question[:500]
    keys = [list(k) for k in cited]
    while True:
        value = json.dumps({"q": q, "k": keys}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= BUTTON_VALUE_CHARS or not keys:
            return value[:BUTTON_VALUE_CHARS]
        keys = keys[:-1]


def parse_value(value: str | None) -> tuple[str, list[SentenceKey]]:
    try:
        data = json.loads(value or "")
    except ValueError:
        return "", []
    if not isinstance(data, dict) or not isinstance(data.get("q"), str):
        return "", []
    keys: list[SentenceKey] = []
    for k in data.get("k") or []:
        if isinstance(k, list) and len(k) == 3 and isinstance(k[1], int) and isinstance(k[2], int):
            keys.append((str(k[0]), k[1], k[2]))
    return data["q"], keys


def with_feedback(message: Message, question: str, cited: list[SentenceKey]) -> Message:
    value = feedback_value(question, cited)
    buttons = [
        {"type": "button", "action_id": action, "text": {"type": "plain_text", "text": label}, "value": value}
        for action, label in (("citebot_feedback_up", "👍"), ("citebot_feedback_down", "👎"))
    ]
    block = {"type": "actions", "block_id": FEEDBACK_BLOCK, "elements": buttons}
    return Message(message.text, [*message.blocks[: MAX_BLOCKS - 1], block])


def acknowledged(blocks: list[dict], vote: Vote) -> list[dict]:
    """The answer's blocks with the buttons replaced by a thank-you line."""
    mark = "👍" if vote is Vote.up else "👎"
    kept = [b for b in blocks if b.get("block_id") != FEEDBACK_BLOCK]
    return [*kept, context([f"{mark} {THANKS}"])]
