"""Answering one question in Slack: react, ask the corpus with the thread's context, post, un-react.

Listeners stay thin and call into this. Slack API failures (after slack_sdk's own retries)
are logged and swallowed: one failed post must never take the app down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.corpus import Corpus
from bot.examples import Examples
from bot.models import Answer
from bot.slack.blocks import Message, answer_message, error_message, help_message, with_post_button
from bot.slack.escaping import is_help, question_from
from bot.slack.threads import ThreadContext, ThreadKey, thread_key

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

    def __init__(self, corpus: Corpus, threads: ThreadContext | None = None) -> None:
        self.corpus = corpus
        self.threads = threads or ThreadContext()
        self.examples = Examples(corpus)

    # --- composing ----------------------------------------------------------------------

    def help(self, bot_user_id: str | None) -> Message:
        return help_message(self.examples.get(), bot_user_id, self.corpus.index.manifest.articles)

    def ask(self, question: str, key: ThreadKey | None) -> tuple[Answer, str | None]:
        """Answer with the thread's previous subject as context; remember the new subject."""
        context = self.threads.get(key) if key else None
        answer = self.corpus.answer(question, context=context)
        if key:
            self.threads.remember(key, answer.subject)
        return answer, context

    def compose(self, question: str, key: ThreadKey | None, bot_user_id: str | None) -> Message:
        if is_help(question):
            return self.help(bot_user_id)
        try:
            return answer_message(self.ask(question, key)[0])
        except Exception:
            log.exception("answering %r failed", question[:200])
            return error_message()

    # --- posting ------------------------------------------------------------------------

    def post(self, client: WebClient, channel: str, thread_ts: str | None, message: Message) -> Any | None:
        """chat.postMessage; if Slack refuses the blocks, post the plain text rather than nothing."""
        kwargs: dict[str, Any] = {
            "channel": channel,
            "thread_ts": thread_ts,
            "unfurl_links": False,
            "unfurl_media": False,
        }
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
            message = self.compose(question, thread_key(channel, thread_ts), bot_user_id)
            self.post(client, channel, thread_ts, message)
        finally:
            _call("reactions.remove", client.reactions_remove, channel=channel, timestamp=ts, name=REACTION)

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
                answer, _ = self.ask(question, None)
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
        posted = self.post(client, channel, None, answer_message(answer, asked_by=user, question=question))
        if posted is None:
            _call(
                "respond",
                respond,
                response_type="ephemeral",
                replace_original=False,
                text="I couldn't post in this channel; invite me with /invite and try again.",
            )
            return
        # Follow-ups in the new message's thread refer to this answer's subject.
        self.threads.remember(thread_key(channel, posted.get("ts")), answer.subject or context)
        _call("respond", respond, delete_original=True)
