"""Follow digests in Slack: a head message per channel, then each quote in its thread, rendered
with the answers' Block Kit and escaping (`bot.slack.blocks`), and the `/citebot follow` replies."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.follow.models import ChannelDigest, SpeakerDigest
from bot.models import Answer
from bot.slack.blocks import FALLBACK_CHARS, SECTION_CHARS, Message, answer_message, section
from bot.slack.escaping import escaped_within

if TYPE_CHECKING:
    from bot.corpus import Corpus

log = logging.getLogger(__name__)

_BLOCK_ERRORS = {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"}


def _quotes(n: int) -> str:
    return f"{n} new quote{'s' if n != 1 else ''}"


def _who(sd: SpeakerDigest) -> str:
    about = sd.subscription.about
    return sd.subscription.speaker + (f" (about {' '.join(about)})" if about else "")


def head_message(digest: ChannelDigest) -> Message:
    """'New quotes from the speakers this channel follows' with a count per speaker and the overflow."""
    parts = [f"{_who(sd)}: {_quotes(len(sd.citations) + sd.more)}" for sd in digest.speakers]
    text = "New from the people this channel follows: " + "; ".join(parts)
    lines = [escaped_within(text, SECTION_CHARS)]
    lines += [escaped_within(sd.more_line(), 500) for sd in digest.speakers if sd.more]
    body = "\n".join(lines)
    if len(body) > SECTION_CHARS:
        body = lines[0]
    return Message(escaped_within(text, FALLBACK_CHARS), [section(body)])


def quote_messages(digest: ChannelDigest) -> list[Message]:
    """One message per new quote: the speaker, the verbatim sentence, its citation."""
    out = []
    for sd in digest.speakers:
        for c in sd.citations:
            answer = Answer(
                question=f"follow {sd.subscription.speaker}",
                found=True,
                kind="said",
                text=f"{sd.subscription.speaker} said:\n[1] {c.sentence}",
                head=f"{sd.subscription.speaker} said:",
                citations=[c],
                subject=sd.subscription.speaker,
            )
            out.append(answer_message(answer))
    return out


def post_message(client: WebClient, channel: str, thread_ts: str | None, message: Message) -> Any | None:
    """chat.postMessage; the plain text when Slack refuses the blocks; None (logged) on failure."""
    kwargs: dict[str, Any] = {"channel": channel, "unfurl_links": False, "unfurl_media": False}
    if thread_ts:
        kwargs["thread_ts"] = thread_ts
    try:
        return client.chat_postMessage(**kwargs, **message.kwargs())
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error in _BLOCK_ERRORS:
            try:
                return client.chat_postMessage(**kwargs, text=message.text)
            except Exception as again:
                log.error("chat.postMessage failed: %s", again)
                return None
        log.error("posting a follow digest to %s failed: %s", channel, error)
    except Exception as exc:
        log.error("posting a follow digest to %s failed: %s: %s", channel, type(exc).__name__, exc)
    return None


def slack_poster(client: WebClient) -> Any:
    """A `publish.Poster` posting through `client`: the head, then the quotes in its thread."""

    def post(digest: ChannelDigest) -> bool:
        head = post_message(client, digest.channel, None, head_message(digest))
        if head is None:
            return False
        ts = head.get("ts")
        ok = True
        for m in quote_messages(digest):
            ok &= post_message(client, digest.channel, ts, m) is not None
        return ok

    return post


def reply_message(text: str) -> Message:
    """A follow/unfollow/following reply: our own text with corpus names in it, escaped."""
    return Message(escaped_within(text, FALLBACK_CHARS), [section(escaped_within(text, SECTION_CHARS))])


def handle_command(corpus: Corpus, channel: str, user: str, text: str) -> tuple[Message, bool] | None:
    """`/citebot follow|unfollow|following …` → (reply, whether the channel should see it); None when
    the text is a question."""
    from bot.follow import command as cmd
    from bot.follow.store import open_store

    req = cmd.parse(text)
    if req is None:
        return None
    corpus.reload_if_newer()
    store = open_store(corpus.store.root)
    if req.action == "usage":
        return reply_message(cmd.USAGE), False
    if req.action == "following":
        return reply_message(cmd.following(store, channel)), False
    if req.action == "unfollow":
        return reply_message(cmd.unfollow(corpus.index, store, channel, req.name)), True
    sub, reply = cmd.follow(corpus.index, store, channel, req.name, list(req.about), user)
    return reply_message(reply), sub is not None


def attach(corpus: Corpus, client: WebClient | None, no_poster_reason: str = "") -> None:
    """Post follow digests through `client` after each index this process publishes (record them
    only, when there is no client)."""
    from bot.follow.publish import after_publish
    from bot.follow.store import open_store

    poster = slack_poster(client) if client is not None else None
    hook = after_publish(
        open_store(corpus.store.root), corpus.store, poster, no_poster_reason=no_poster_reason
    )
    corpus.on_publish.append(hook)


def follow_command(corpus: Corpus, command: dict[str, Any], respond: Any) -> bool:
    """Answer a `/citebot follow|unfollow|following` command through its response_url; False when
    the command is a question (the caller answers it)."""
    from bot.slack.escaping import question_from

    text = question_from(command.get("text"))
    try:
        handled = handle_command(corpus, command["channel_id"], command["user_id"], text)
    except Exception:
        log.exception("/citebot %r failed", text[:200])
        handled = (reply_message("Sorry, that did not work; please try again in a moment."), False)
    if handled is None:
        return False
    message, public = handled
    try:
        respond(response_type="in_channel" if public else "ephemeral", **message.kwargs())
    except Exception as exc:
        log.error("respond failed: %s: %s", type(exc).__name__, exc)
    return True
