"""`citebot follow NAME --channel C [--about WORDS]`, `unfollow`, `following`, `digest`: following
from the terminal, and trying digests without Slack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from bot.options import CorpusOpt, IndexOpt

if TYPE_CHECKING:
    from rich.console import Console

    from bot.corpus import Corpus
    from bot.follow.store import FollowStore
    from bot.index import CorpusIndex

ChannelOpt = Annotated[str, typer.Option("--channel", help="Slack channel id (C…) that follows.")]


def register(app: typer.Typer) -> None:
    app.command("follow")(follow_cmd)
    app.command("unfollow")(unfollow_cmd)
    app.command("following")(following_cmd)
    app.command("digest")(digest_cmd)


def _open(corpus: CorpusOpt, index: IndexOpt) -> tuple[Corpus, FollowStore]:
    from bot.console import open_corpus
    from bot.follow.store import open_store

    c = open_corpus(corpus, index)
    return c, open_store(c.store.root)


def follow_cmd(
    name: Annotated[str, typer.Argument(help="Who to follow: a name, surname or misspelling of one.")],
    channel: ChannelOpt,
    about: Annotated[str | None, typer.Option("--about", help="Only sentences with these words.")] = None,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """Post each new sentence by this speaker to the channel after every refresh."""
    from bot.console import fail, out
    from bot.follow.command import follow

    c, store = _open(corpus, index)
    sub, reply = follow(c.index, store, channel, name, (about or "").split())
    if sub is None:
        raise fail(reply)
    out.print(reply, markup=False)


def unfollow_cmd(
    name: Annotated[str, typer.Argument(help="Who to stop following.")],
    channel: ChannelOpt,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """Stop posting this speaker's new sentences to the channel."""
    from bot.console import out
    from bot.follow.command import unfollow

    c, store = _open(corpus, index)
    out.print(unfollow(c.index, store, channel, name), markup=False)


def following_cmd(
    channel: Annotated[str | None, typer.Option("--channel", help="Only this channel.")] = None,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """List the followed speakers of every channel (or of one)."""
    from bot.console import out
    from bot.follow.command import following

    _, store = _open(corpus, index)
    out.print(following(store, channel), markup=False)


def digest_cmd(corpus: CorpusOpt = None, index: IndexOpt = None) -> None:
    """Print what each followed channel would get from the last refresh, without posting."""
    from bot.console import out
    from bot.follow.publish import compute

    c, store = _open(corpus, index)
    record = compute(store, c.store, c.index, claim=False)
    if record.previous is None:
        out.print("No earlier index to compare with: the next refresh that adds articles makes a digest.")
        return
    out.print(
        f"Last refresh: {record.new_sentences} new sentence{'s' if record.new_sentences != 1 else ''} "
        f"({record.previous} → {record.current})",
        markup=False,
    )
    if not record.channels:
        out.print("No followed speaker said anything new.", markup=False)
    for ch in record.channels:
        out.print(f"\n{ch.channel}: {ch.total} new quote{'s' if ch.total != 1 else ''}", markup=False)
        for sd in ch.speakers:
            out.print(f"  {sd.subscription.label()}:", markup=False)
            for c_ in sd.citations:
                when = c_.published.isoformat() if c_.published else "undated"
                out.print(f"    “{c_.sentence}” — {c_.title} ({when}, {c_.article_id})", markup=False)
            if sd.more:
                out.print(f"    {sd.more_line()}", markup=False)


def attach_digests(c: Corpus, console: Console) -> None:
    """For `citebot refresh`: post follow digests after publishing when SLACK_BOT_TOKEN is set, else
    record them, and say once what was done."""
    from pydantic import ValidationError

    from bot.follow.slack import attach
    from bot.follow.store import open_store
    from bot.slack.settings import SlackSettings

    try:
        settings: SlackSettings | None = SlackSettings()
    except ValidationError as exc:  # a bad Slack setting must not stop the refresh itself
        settings, problem = None, f"a Slack setting is invalid: {exc.errors()[0]['loc'][0]}"
    token = settings.secret("bot_token") if settings else None
    if settings and token:
        from bot.slack.app import make_client

        attach(c, make_client(settings))
    else:
        attach(c, None, no_poster_reason=problem if settings is None else "SLACK_BOT_TOKEN is not set")
    store = open_store(c.store.root)

    def say(index: CorpusIndex) -> None:
        record = store.last_digest()
        if record is None or index.path is None or record.current != index.path.name:
            return
        quotes = sum(ch.total for ch in record.channels)
        if not quotes:
            console.print("follow: no followed speaker said anything new", markup=False)
            return
        what = f"{quotes} new quote{'s' if quotes != 1 else ''} for {len(record.channels)} channel(s)"
        if record.posted:
            console.print(f"follow: {what} posted", markup=False)
        else:
            console.print(
                f"follow: {what} recorded, not posted: {record.reason or 'Slack refused'}", markup=False
            )

    c.on_publish.append(say)
