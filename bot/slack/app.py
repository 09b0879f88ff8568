"""Building the Bolt App: a WebClient that retries, a sized listener pool, dedupe, the listeners."""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter

from bot.conversation import ConversationStore, MemoryConversations
from bot.corpus import Corpus
from bot.feedback import feedback_store
from bot.slack.dedupe import Claims, SeenSet, SharedClaims, delivery_key
from bot.slack.listeners import register_all
from bot.slack.responder import Responder
from bot.slack.settings import SlackSettings
from bot.slack.threads import ThreadMemory
from bot.state.conversations import RedisConversations
from bot.state.redis import SharedState, from_env

log = logging.getLogger(__name__)


class _SameTokenWarning(logging.Filter):
    """Bolt re-reads SLACK_BOT_TOKEN and warns that our client's token (the same one) wins."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


logging.getLogger("slack_bolt.App").addFilter(_SameTokenWarning())


class _NoRejectedBodies(logging.Filter):
    """Bolt logs a request that fails verification with its whole body (a user's text, a legacy
    token) at INFO; the HTTP server has already logged one bounded line for it instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Invalid request signature detected")


logging.getLogger("slack_bolt.RequestVerification").addFilter(_NoRejectedBodies())


class _RedactUrls(logging.Filter):
    """slack_sdk logs each retried request's URL: SLACK_API_URL's credentials must not follow it."""

    def filter(self, record: logging.LogRecord) -> bool:
        from bot.sources.urls import redact_text

        record.msg, record.args = redact_text(record.getMessage()), None
        return True


logging.getLogger("slack_sdk.web.base_client").addFilter(_RedactUrls())


class _ProportionalJitter(Jitter):
    """Up to +50 % of the backoff (slack_sdk's default adds up to a whole second to every wait)."""

    def recalculate(self, duration: float) -> float:
        return duration * (1 + random.random() / 2)


def make_client(settings: SlackSettings) -> WebClient:
    """The Web API client: `SLACK_API_URL` as base URL, retrying 429 (after Retry-After), 5xx and
    connection errors, since slack_sdk alone retries only connection errors, once."""
    backoff = BackoffRetryIntervalCalculator(settings.api_backoff, jitter=_ProportionalJitter())
    n = settings.api_retries
    handlers = [
        ConnectionErrorRetryHandler(max_retry_count=n, interval_calculator=backoff),
        RateLimitErrorRetryHandler(max_retry_count=n),
        ServerErrorRetryHandler(max_retry_count=n, interval_calculator=backoff),
    ]
    return WebClient(
        token=settings.secret("bot_token"), base_url=settings.base_url, retry_handlers=handlers, timeout=15
    )


def _dedupe_middleware(seen: Claims) -> Any:
    def drop_repeats(
        req: BoltRequest, body: dict[str, Any], next_: Callable[[], BoltResponse | None]
    ) -> BoltResponse | None:
        """Claim the delivery on receipt, so a retry arriving mid-answer is acked and dropped."""
        key = delivery_key(body)
        if key is not None and not seen.claim(key):
            retry = (req.headers.get("x-slack-retry-num") or ["?"])[0]
            log.info("ignoring repeated delivery %s (retry %s)", key, retry)
            return BoltResponse(status=200, body="")
        return next_()

    return drop_repeats


def build_app(
    corpus: Corpus,
    settings: SlackSettings,
    client: WebClient | None = None,
    state: SharedState | None = None,
) -> App:
    """The citebot Bolt App (calls auth.test once, through `client`'s base URL).

    Listeners run on a pool of `settings.workers` threads: Bolt acks first, then answers
    there, so several questions are answered at once without slowing the acks. With `state`
    (default: `CITEBOT_REDIS_URL`), dedupe, thread conversations and votes are shared by replicas.
    """
    state = state if state is not None else from_env()
    client = client or make_client(settings)
    # With no signing secret (Socket Mode needs none) a random one makes every HTTP request fail
    # verification instead of accepting signatures made with an empty key.
    signing_secret = settings.secret("signing_secret") or secrets.token_hex(32)
    pool = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="citebot-answer")
    app = App(
        name="citebot",
        client=client,
        signing_secret=signing_secret,
        process_before_response=False,
        listener_executor=pool,
    )
    claims: Claims = SharedClaims(state) if state is not None else SeenSet(ttl=3600)
    store: ConversationStore = RedisConversations(state) if state is not None else MemoryConversations()
    if state is not None and state.ping():  # an unreachable Redis is logged (once) by ping itself
        log.info("shared state in Redis at %s", state.safe_url)
    app.middleware(_dedupe_middleware(claims))
    responder = Responder(corpus, ThreadMemory(store), feedback_store(corpus.store.root, state))
    register_all(app, responder)
    return app
