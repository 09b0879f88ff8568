"""`citebot serve --dry-run`: the real app and HTTP endpoints, with a Web API client that never
leaves the process, so a newcomer can try the bot locally with no Slack workspace or token.

Every Web API call the app makes (auth.test at start-up, chat.postMessage, reactions, …) is
logged with what it would have sent and answered `ok` here; the rest of the app (signature
checks, listeners, dedupe, answering, Block Kit) runs unchanged.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.web.slack_response import SlackResponse

log = logging.getLogger("bot.slack.dryrun")

#: Who the app believes it is in a dry run (what `auth.test` answers).
DRY_RUN_IDENTITY = {"user_id": "UDRYRUN00", "bot_id": "BDRYRUN00", "team_id": "TDRYRUN00", "user": "citebot"}
DRY_RUN_TOKEN = "xoxb-dry-run"

_ts = itertools.count(1)


class DryRunClient(WebClient):
    """A WebClient whose calls are logged and answered locally instead of sent to Slack."""

    def __init__(self) -> None:
        super().__init__(token=DRY_RUN_TOKEN, base_url="http://dry-run.invalid/api/")

    def api_call(
        self,
        api_method: str,
        *,
        http_verb: str = "POST",
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, Any] | None = None,
        auth: dict[str, Any] | None = None,
    ) -> SlackResponse:
        args = {**(params or {}), **(data or {}), **(json or {})}
        args.pop("token", None)
        log.info("dry run: %s %s", api_method, _describe(args))
        return SlackResponse(
            client=self,
            http_verb=http_verb,
            api_url=self.base_url + api_method,
            req_args={},
            data=_reply(api_method, args),
            headers={},
            status_code=200,
        )


def use_everywhere(app: App, client: DryRunClient) -> None:
    """Make every listener's `client` (and `say`) this one: Bolt gives each request a fresh
    WebClient with the app client's URL and token, which would try to reach Slack."""

    def dry_client(context: BoltContext, next_: Callable[[], BoltResponse | None]) -> BoltResponse | None:
        context["client"] = client
        return next_()

    app.middleware(dry_client)


def _reply(method: str, args: dict[str, Any]) -> dict[str, Any]:
    if method == "auth.test":
        return {"ok": True, **DRY_RUN_IDENTITY}
    if method in {"chat.postMessage", "chat.postEphemeral"}:
        n = next(_ts)
        ts = f"{int(time.time())}.{n:06d}"
        return {"ok": True, "channel": args.get("channel"), "ts": ts, "message_ts": ts}
    return {"ok": True}


def _describe(args: dict[str, Any]) -> str:
    """The call's arguments on one line: text in full (it is the answer), blocks counted."""
    shown = {k: v for k, v in args.items() if k != "blocks"}
    if "blocks" in args:
        blocks = args["blocks"]
        shown["blocks"] = f"{len(blocks)} block(s)" if isinstance(blocks, list) else "…"
    return json.dumps(shown, ensure_ascii=False, default=str)
