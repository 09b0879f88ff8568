"""Answering one question in Slack: react, ask the corpus with the thread's conversation, post, un-react.

Listeners stay thin and call into this. Slack API failures (after slack_sdk's own retries)
are logged and swallowed: one failed post must never take the app down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.conversation import MemoryConversations
from bot.corpus import Corpus
from bot.examples import Examples
from bot.feedback import Feedback, FeedbackStore, Vote
from bot.models import Answer, Conversation
from bot.questions import with_context
from bot.slack.blocks import Message, answer_message, error_message, help_message, with_post_button
from bot.slack.escaping import is_help, question_from
from bot.slack.feedback import acknowledged, parse_value, with_feedback
from bot.slack.threads import ThreadMemory, to_metadata

log = logging.getLogger(__name__)

REACTION = "eyes"
_BLOCK_ERRORS = {"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"}


def _call(what: str, fn: Callable[..., Any], **kwargs: Any) -> Any | None:
    """Run one Web API call; log and return None when it fails (slack_sdk has retried already)."""
    try:
        return fn(**kwargs)
    except SlackApiError as exc:
        log.error("%s failed: %s (HTTP %s)", what, exc.response.get("error"), exc.response.status_code)
    except Exception as exc:  # connection errors and the like: log, keep serving
        log.error("%s failed: %s: %s", what, type(exc).__name__, exc)
    return None


class Responder:
    """Turns questions into posted answers; shared by every listener (thread-safe)."""

    def __init__(
        self, corpus: Corpus, memory: ThreadMemory | None = None, feedback: FeedbackStore | None = None
    ) -> None:
        self.corpus = corpus
        self.memory = memory or ThreadMemory(MemoryConversations())
        self.feedback = feedback
        self.examples = Examples(corpus)

    # --- composing ----------------------------------------------------------------------

    def help(self, bot_user_id: str | None) -> Message:
        return help_message(self.examples.get(), bot_user_id, self.corpus.index.manifest.articles)

    def answer_message(
        self,
        answer: Answer,
        *,
        asked_by: str | None = None,
        question: str | None = None,
        context: Conversation | None = None,
    ) -> Message:
        """The answer's blocks, with 👍 / 👎 under a found answer when votes can be stored.

        The buttons carry the question with the thread's subject put in for "he"/"she", so a
        vote on a follow-up still makes a question that stands on its own.
        """
        message = answer_message(answer, asked_by=asked_by, question=question)
        if self.feedback is not None and answer.found and answer.citations:
            cited = [(c.article_id, c.start, c.end) for c in answer.citations]
            asked = with_context(question or answer.question, context.subject if context else None)
            message = with_feedback(message, asked, cited)
        return message

    def compose(
        self, question: str, conv: Conversation | None, bot_user_id: str | None
    ) -> tuple[Message, Answer | None]:
        if is_help(question):
            return self.help(bot_user_id), None
        try:
            answer = self.corpus.answer(question, context=conv)
        except Exception:
            log.exception("answering %r failed", question[:200])
            return error_message(), None
        return self.answer_message(answer, context=conv), answer

    # --- posting ------------------------------------------------------------------------

    def post(
        self,
        client: WebClient,
        channel: str,
        thread_ts: str | None,
        message: Message,
        conv: Conversation | None = None,
    ) -> Any | None:
        """chat.postMessage (with the thread's next state as metadata); if Slack refuses the blocks,
        post the plain text rather than nothing."""
        kwargs: dict[str, Any] = {
            "channel": channel,
            "thread_ts": thread_ts,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if conv is not None:
            kwargs["metadata"] = to_metadata(conv)
        try:
            return client.chat_postMessage(**kwargs, **message.kwargs())
        except SlackApiError as exc:
            error = exc.response.get("error")
            if error in _BLOCK_ERRORS:
                log.error("chat.postMessage refused the blocks (%s); posting the text only", error)
                return _call("chat.postMessage", client.chat_postMessage, **kwargs, text=message.text)
            log.error("chat.postMessage failed: %s (HTTP %s)", error, exc.response.status_code)
        except Exception as exc:  # connection errors after slack_sdk's retries
            log.error("chat.postMessage failed: %s: %s", type(exc).__name__, exc)
        return None

    def reply(
        self,
        client: WebClient,
        *,
        channel: str,
        ts: str,
        thread_ts: str | None,
        text: str | None,
        bot_user_id: str | None,
    ) -> None:
        """Answer the message `ts` in `channel`, in thread `thread_ts` (None: a flat DM reply).

        The `eyes` reaction marks the question as being worked on until the answer is posted.
        """
        question = question_from(text, bot_user_id)
        _call("reactions.add", client.reactions_add, channel=channel, timestamp=ts, name=REACTION)
        try:
            conv = None
            if not is_help(question):
                conv = self._recall(client, channel=channel, thread_ts=thread_ts, ts=ts, me=bot_user_id)
            message, answer = self.compose(question, conv, bot_user_id)
            state = answer.conversation if answer is not None else None
            self.post(client, channel, thread_ts, message, state)
            self.memory.remember(channel, thread_ts, state)
        finally:
            _call("reactions.remove", client.reactions_remove, channel=channel, timestamp=ts, name=REACTION)

    def _recall(
        self, client: WebClient, *, channel: str, thread_ts: str | None, ts: str, me: str | None
    ) -> Conversation | None:
        try:
            return self.memory.recall(
                client, self.corpus.index, channel=channel, thread_ts=thread_ts, ts=ts, me=me
            )
        except Exception:  # context is a help, never a reason not to answer
            log.exception("recalling the thread %s in %s failed", thread_ts, channel)
            return None

    # --- /citebot and its button -------------------------------------------------------

    def ephemeral(
        self,
        client: WebClient,
        respond: Callable[..., Any],
        *,
        channel: str,
        user: str,
        text: str | None,
        bot_user_id: str | None,
    ) -> None:
        """The /citebot answer, seen only by the asker, with a button to post it to the channel."""
        question = question_from(text, bot_user_id)
        if is_help(question):
            message = self.help(bot_user_id)
        else:
            try:
                answer = self.corpus.answer(question)
                message = answer_message(answer)
                if answer.found:
                    message = with_post_button(message, question, None)
            except Exception:
                log.exception("answering %r failed", question[:200])
                message = error_message()
        if (
            _call(
                "chat.postEphemeral",
                client.chat_postEphemeral,
                channel=channel,
                user=user,
                **message.kwargs(),
            )
            is None
        ):
            # e.g. not_in_channel: the response_url still reaches the asker.
            _call("respond", respond, response_type="ephemeral", **message.kwargs())

    def share(
        self,
        client: WebClient,
        respond: Callable[..., Any],
        *,
        channel: str,
        user: str,
        question: str,
        context: str | None,
    ) -> None:
        """The post button: answer again, post in the channel, and drop the ephemeral copy."""
        try:
            answer = self.corpus.answer(question, context=context)
        except Exception:
            log.exception("answering %r failed", question[:200])
            _call("respond", respond, response_type="ephemeral", **error_message().kwargs())
            return
        conv = Conversation(subject=context) if context else None
        message = self.answer_message(answer, asked_by=user, question=question, context=conv)
        posted = self.post(client, channel, None, message, answer.conversation)
        if posted is None:
            _call(
                "respond",
                respond,
                response_type="ephemeral",
                replace_original=False,
                text="I couldn't post in this channel; invite me with /invite and try again.",
            )
            return
        # Follow-ups in the new message's thread refer to this answer.
        self.memory.remember(channel, posted.get("ts"), answer.conversation)
        _call("respond", respond, delete_original=True)

    # --- 👍 / 👎 ------------------------------------------------------------------------

    def vote(
        self, client: WebClient, respond: Callable[..., Any], *, vote: Vote, body: dict, value: str | None
    ) -> None:
        """Store the vote, then replace the buttons with a thank-you in the message itself."""
        question, cited = parse_value(value)
        user = (body.get("user") or {}).get("id")
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        message = body.get("message") or {}
        if not question or not user or self.feedback is None:
            return
        item = Feedback(
            vote=vote,
            question=question,
            cited=cited,
            user=user,
            channel=channel,
            message_ts=message.get("ts"),
        )
        try:
            self.feedback.add(item)
        except OSError as exc:
            log.error("could not store feedback: %s", exc)
            _call(
                "respond",
                respond,
                response_type="ephemeral",
                replace_original=False,
                text="Sorry, I couldn't record that.",
            )
            return
        blocks = acknowledged(message.get("blocks") or [], vote)
        if channel and message.get("ts"):
            # The thread's state rides on the message: send it back so the update cannot drop it.
            kept = {"metadata": message["metadata"]} if message.get("metadata") else {}
            _call(
                "chat.update",
                client.chat_update,
                channel=channel,
                ts=message["ts"],
                text=message.get("text") or "",
                blocks=blocks,
                **kept,
            )
