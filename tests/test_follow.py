"""Following a speaker: subscriptions, new-sentence detection, digests posted once after a refresh.

The feed is a loopback news site (`sources_server`), Slack is the local fake (`fake_slack`) and
Redis, where used, is a real `redis-server` on a free loopback port (`redis_server`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_article
from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack, blocks_text
from redis_server import redis_url  # noqa: F401 (a fixture)
from sources_server import NewsServer, Page, article, loopback_only, make_corpus, rss  # noqa: F401

from bot.corpus import Corpus
from bot.follow import command as cmd
from bot.follow.digest import new_sentences, sentence_key
from bot.follow.link import link
from bot.follow.models import DigestRecord, Subscription
from bot.follow.slack import attach
from bot.follow.store import FileFollowStore, RedisFollowStore, connect, open_store
from bot.slack.app import make_client
from bot.slack.settings import SlackSettings

pytest_plugins = ["fake_slack"]
pytestmark = pytest.mark.timeout(120)

WIND = [
    "The offshore wind farm near Eastbay delivered its first power to the grid on Wednesday.",
    "Energy minister Tomas Lind said the turbines would supply four hundred thousand homes by next winter.",
]
FERRY = [
    "A new ferry link between Eastbay and the northern islands will open in May, the port said.",
    "“We will add two boats before the summer and the turbines will power the harbour,” "
    "Energy minister Tomas Lind said.",
    "Lind said the fares would not rise this year.",
    "Harbour master Ola Berg said the quay was ready.",
]
HARBOUR = [
    "The old harbour of Northport will be dredged in June, the council said on Friday.",
    "Mayor Elena Varga said the work would take six weeks.",
    "“Tomas Lind promised the money,” Varga said.",
]
LIND_NEW = {FERRY[1], FERRY[2]}


@pytest.fixture
def site() -> Iterator[NewsServer]:
    with NewsServer() as s:
        s.routes.update(
            {
                "/rss.xml": rss([("Wind farm powers up", s.url("/news/wind"))]),
                "/news/wind": article("Wind farm powers up", WIND, published="2024-03-05T10:00:00Z"),
            }
        )
        yield s


def add_two_articles(site: NewsServer) -> None:
    """The feed gains a story quoting the followed minister and one that only mentions him."""
    items = [
        ("Wind farm powers up", site.url("/news/wind")),
        ("Ferry link to the islands", site.url("/news/ferry")),
        ("Harbour to be dredged", site.url("/news/harbour")),
    ]
    site.routes["/rss.xml"] = Page(rss(items).body, "application/rss+xml", etag='"rss-v2"')
    site.routes["/news/ferry"] = article("Ferry link to the islands", FERRY, published="2024-03-07T09:00:00Z")
    site.routes["/news/harbour"] = article("Harbour to be dredged", HARBOUR, published="2024-03-08T09:00:00Z")


@pytest.fixture
def corpus_dir(tmp_path: Path, site: NewsServer) -> Path:
    return make_corpus(tmp_path, [{"url": site.url("/rss.xml"), "name": "Example", "kind": "feed"}])


def slack_client(fake: FakeSlack):  # type: ignore[no-untyped-def]
    return make_client(
        SlackSettings(
            _env_file=None, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.base_url
        )
    )


def opened(corpus_dir: Path, index: Path, fake: FakeSlack | None) -> Corpus:
    c = Corpus(corpus_dir, index)
    c.open()
    if fake is not None:
        attach(c, slack_client(fake))
    return c


def posts(fake: FakeSlack, channel: str) -> list[dict]:
    return [
        c.args for c in fake.calls_to("chat.postMessage", where=lambda c: c.args.get("channel") == channel)
    ]


def quoted(fake: FakeSlack, channel: str) -> list[str]:
    """The sentences posted as digest quotes (thread replies) to `channel`."""
    out = []
    for call in fake.calls_to("chat.postMessage", where=lambda c: c.args.get("channel") == channel):
        if call.args.get("thread_ts"):
            out.append(call.args["text"])
    return out


# --- new sentences -------------------------------------------------------------------------------


def test_new_sentences_are_the_keys_the_previous_index_did_not_have(small_corpus, tmp_path: Path) -> None:
    c = small_corpus({"a.txt": ("Bridge", ["The bridge closed on Monday.", "Engineers found cracks."])})
    old = c.index
    folder = c.corpus_dir
    write_article(folder, "a.txt", "Bridge", ["The bridge closed on Monday.", "Engineers found two cracks."])
    write_article(folder, "b.txt", "Farm", ["Wheat farmers expect a record harvest."])
    c.refresh()
    new = c.index
    keys = {sentence_key(new, s) for s in new_sentences(old, new).tolist()}
    texts = {new.sentence(s) for s in new_sentences(old, new).tolist()}
    assert texts == {"Engineers found two cracks.", "Wheat farmers expect a record harvest."}
    old_keys = {sentence_key(old, s) for s in range(old.n_sentences)}
    assert keys == {sentence_key(new, s) for s in range(new.n_sentences)} - old_keys
    assert len(new_sentences(None, new)) == 0  # a first build is not news
    assert len(new_sentences(new, new)) == 0


# --- linking names --------------------------------------------------------------------------------


def test_names_link_in_any_case_by_surname_and_misspelt(tmp_path: Path, corpus_dir: Path) -> None:
    c = opened(corpus_dir, tmp_path / "index", None)
    c.update()
    for typed in ("Tomas Lind", "tomas lind", "lind", "LIND", "Lindt"):
        who = link(c.index, typed)
        assert who is not None and who.display == "Tomas Lind", typed
    assert link(c.index, "Lind").corrected is False  # type: ignore[union-attr]
    assert link(c.index, "Lindt").corrected is True  # type: ignore[union-attr]
    assert link(c.index, "Zebedee Quux") is None


# --- stores --------------------------------------------------------------------------------------


def _exercise_store(make) -> None:  # type: ignore[no-untyped-def]
    store = make()
    sub = Subscription(channel="C1", speaker="Tomas Lind", names=["tomas", "lind"], about=["turbines"])
    assert store.put(sub) is True
    assert store.put(sub.model_copy(update={"about": []})) is False  # same channel and speaker: replaced
    store.put(Subscription(channel="C2", speaker="Elena Varga", names=["elena", "varga"]))
    again = make()  # a restart: a new store object on the same file or server
    assert [(s.channel, s.speaker, s.about) for s in again.subscriptions()] == [
        ("C1", "Tomas Lind", []),
        ("C2", "Elena Varga", []),
    ]
    assert [s.speaker for s in again.subscriptions("C2")] == ["Elena Varga"]
    k1, k2, k3 = ("a", 0, 10), ("a", 11, 20), ("b", 0, 5)
    assert again.claim("C1", [k1, k2]) == [k1, k2]
    assert make().claim("C1", [k2, k3, k1]) == [k3]  # claimed once, whoever asks
    assert again.claim("C2", [k1]) == [k1]  # per channel
    assert again.remove("C1", "C2\telena varga") is None  # another channel's subscription stays
    assert again.remove("C1", sub.key) is not None
    assert [s.channel for s in make().subscriptions()] == ["C2"]
    assert again.last_digest() is None
    again.record(DigestRecord(previous="v1", current="v2", new_sentences=3))
    assert make().last_digest().current == "v2"  # type: ignore[union-attr]
    with again.lock():
        pass


def test_file_store_keeps_subscriptions_and_claims_across_restarts(tmp_path: Path) -> None:
    _exercise_store(lambda: FileFollowStore(tmp_path / "index"))
    state = json.loads((tmp_path / "index" / "follow.json").read_text())
    assert [s["speaker"] for s in state["subscriptions"]] == ["Elena Varga"]
    assert not list((tmp_path / "index").glob(".*.tmp"))  # written atomically, nothing left over


def test_redis_store_keeps_subscriptions_and_claims_across_restarts(redis_url: str) -> None:  # noqa: F811
    _exercise_store(lambda: RedisFollowStore(connect(redis_url)))
    keys = {k.decode() for k in connect(redis_url).keys("*")}
    assert keys and all(k.startswith("citebot:") for k in keys)


def test_open_store_uses_redis_when_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(open_store(tmp_path), FileFollowStore)
    monkeypatch.setenv("CITEBOT_REDIS_URL", "redis://127.0.0.1:1/0")
    assert isinstance(open_store(tmp_path), RedisFollowStore)


# --- follow, refresh, digest ---------------------------------------------------------------------


def test_a_refresh_posts_exactly_the_new_quotes_once_as_a_threaded_digest(
    tmp_path: Path, corpus_dir: Path, site: NewsServer, fake_slack: FakeSlack
) -> None:
    c = opened(corpus_dir, tmp_path / "index", fake_slack)
    c.update()  # the wind story: Lind's first quote, before anyone follows him
    store = open_store(c.store.root)
    sub, reply = cmd.follow(c.index, store, "C1", "lind", [])
    assert sub is not None and reply == "Following Tomas Lind (Energy minister), 1 quote so far."
    cmd.follow(c.index, store, "C2", "Tomas Lind", ["fares"])
    assert not fake_slack.calls_to("chat.postMessage")

    add_two_articles(site)
    report = c.update()
    assert report.added == 2

    head, *replies = fake_slack.calls_to("chat.postMessage", where=lambda c: c.args["channel"] == "C1")
    assert not head.args.get("thread_ts") and "Tomas Lind: 2 new quotes" in head.args["text"]
    assert [r.args["thread_ts"] for r in replies] == [head.result["ts"]] * 2
    shown = "\n".join(blocks_text(r) for r in replies)
    assert all(f"> *[1]* {q}" in shown for q in LIND_NEW)  # the answers' quote blocks
    assert "Ferry link to the islands" in shown  # and their citations
    assert sorted(quoted(fake_slack, "C1")) == sorted(f"Tomas Lind said:\n[1] {q}" for q in LIND_NEW)
    assert quoted(fake_slack, "C2") == ["Tomas Lind said:\n[1] " + FERRY[2]]  # only "about fares"

    before = len(fake_slack.calls_to("chat.postMessage"))
    c.update()  # nothing new in the feed: nothing posted
    c.refresh(force=True)  # a rebuild from the files publishes again, still nothing new
    assert len(fake_slack.calls_to("chat.postMessage")) == before

    second = opened(corpus_dir, tmp_path / "index", fake_slack)  # another replica on the same volume
    second.refresh(force=True)
    assert len(fake_slack.calls_to("chat.postMessage")) == before


def test_digest_threads_and_caps_quotes_per_channel(
    tmp_path: Path,
    corpus_dir: Path,
    site: NewsServer,
    fake_slack: FakeSlack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CITEBOT_FOLLOW_MAX_POSTS", "1")
    c = opened(corpus_dir, tmp_path / "index", fake_slack)
    c.update()
    cmd.follow(c.index, open_store(c.store.root), "C1", "Lind", [])
    add_two_articles(site)
    c.update()
    head, *replies = fake_slack.calls_to("chat.postMessage", where=lambda c: c.args["channel"] == "C1")
    assert len(replies) == 1
    assert replies[0].args["thread_ts"] == head.result["ts"]
    assert 'Tomas Lind: and 1 more — `citebot quotes --speaker "Tomas Lind"`' in blocks_text(head)


def test_unfollow_stops_the_digest_and_a_restart_keeps_subscriptions(
    tmp_path: Path, corpus_dir: Path, site: NewsServer, fake_slack: FakeSlack
) -> None:
    c = opened(corpus_dir, tmp_path / "index", fake_slack)
    c.update()
    store = open_store(c.store.root)
    cmd.follow(c.index, store, "C1", "Lind", [])
    cmd.follow(c.index, store, "C2", "Lind", [])
    assert cmd.unfollow(c.index, store, "C1", "lind") == "Unfollowed Tomas Lind."
    assert cmd.unfollow(c.index, store, "C1", "lind") == "This channel does not follow “lind”."

    restarted = opened(corpus_dir, tmp_path / "index", fake_slack)  # a new process on the same index
    assert (
        cmd.following(open_store(restarted.store.root), "C2")
        == "This channel follows:\n• Tomas Lind (Energy minister)"
    )
    add_two_articles(site)
    restarted.update()
    assert posts(fake_slack, "C1") == []
    assert len(quoted(fake_slack, "C2")) == 2


def test_two_processes_publishing_the_same_articles_post_once_through_redis(
    tmp_path: Path,
    corpus_dir: Path,
    site: NewsServer,
    fake_slack: FakeSlack,
    redis_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Replicas with their own index folders both publish the new articles; Redis claims let one post."""
    monkeypatch.setenv("CITEBOT_REDIS_URL", redis_url)
    a = opened(corpus_dir, tmp_path / "index-a", fake_slack)
    a.update()
    b = opened(corpus_dir, tmp_path / "index-b", fake_slack)
    cmd.follow(a.index, open_store(a.store.root), "C1", "Lind", [])
    add_two_articles(site)
    a.update()
    assert b.refresh().published
    assert len(quoted(fake_slack, "C1")) == 2
    assert len(posts(fake_slack, "C1")) == 3


def test_citebot_refresh_without_a_bot_token_records_the_digest_and_says_so_once(
    tmp_path: Path, corpus_dir: Path, site: NewsServer
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CITEBOT_"))}
    env["NO_PROXY"] = "127.0.0.1"

    def citebot(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "bot",
                *args,
                "--corpus",
                str(corpus_dir),
                "--index",
                str(tmp_path / "ix"),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=90,
        )

    assert citebot("refresh").returncode == 0
    followed = citebot("follow", "lind", "--channel", "C9", "--about", "boats")
    assert followed.returncode == 0, followed.stderr
    assert followed.stdout.strip() == "Following Tomas Lind (Energy minister) about boats, 0 quotes so far."
    assert (
        citebot("following").stdout.strip()
        == "Followed speakers:\nC9: Tomas Lind (Energy minister) about boats"
    )
    add_two_articles(site)
    refreshed = citebot("refresh")
    assert refreshed.returncode == 0, refreshed.stderr
    lines = [ln for ln in refreshed.stdout.splitlines() if ln.startswith("follow:")]
    assert lines == ["follow: 1 new quote for 1 channel(s) recorded, not posted: SLACK_BOT_TOKEN is not set"]
    digest = citebot("digest")
    assert digest.returncode == 0, digest.stderr
    assert "C9: 1 new quote" in digest.stdout and "We will add two boats" in digest.stdout
    assert "fares" not in digest.stdout
    record = FileFollowStore(tmp_path / "ix").last_digest()
    assert record is not None and not record.posted and record.channels[0].speakers[0].citations
    assert citebot("unfollow", "Lind", "--channel", "C9").stdout.strip() == "Unfollowed Tomas Lind."


# --- /citebot follow in Slack --------------------------------------------------------------------


def test_slash_follow_unfollow_and_following_through_the_bolt_app(
    tmp_path: Path, corpus_dir: Path, site: NewsServer, fake_slack: FakeSlack
) -> None:
    from test_slack_http import HttpBot

    c = opened(corpus_dir, tmp_path / "index", fake_slack)
    c.update()
    bot = HttpBot(c, fake_slack)
    try:

        def reply(text: str, n: int) -> dict:
            assert bot.command(text).status_code == 200
            return fake_slack.wait_for("response_url", count=n)[-1].args

        followed = reply("follow LIND about turbines", 1)
        assert followed["response_type"] == "in_channel"
        assert followed["text"] == "Following Tomas Lind (Energy minister) about turbines, 1 quote so far."
        listed = reply("following", 2)
        assert listed["response_type"] == "ephemeral"
        assert listed["text"] == "This channel follows:\n• Tomas Lind (Energy minister) about turbines"
        assert reply("follow Zebedee Quux", 3)["text"].startswith(
            "I couldn't find anyone called “Zebedee Quux”"
        )
        assert reply("follow", 4)["text"] == cmd.USAGE
        add_two_articles(site)
        c.update()
        assert quoted(fake_slack, "C0001") == [f"Tomas Lind said:\n[1] {FERRY[1]}"]  # the turbines one
        assert reply("unfollow lind", 5)["text"] == "Unfollowed Tomas Lind."
        assert reply("following", 6)["text"] == "This channel follows nobody yet."
        assert not fake_slack.calls_to("chat.postEphemeral")  # none of these was taken for a question
    finally:
        bot.close()


def test_serve_refresh_every_posts_the_digest_from_its_background_refresh(
    tmp_path: Path, corpus_dir: Path, site: NewsServer, fake_slack: FakeSlack
) -> None:
    """What `serve --refresh-every` runs: the Refresher thread's update publishes, then posts."""
    from bot.slack.server import Refresher

    c = opened(corpus_dir, tmp_path / "index", fake_slack)
    c.update()
    cmd.follow(c.index, open_store(c.store.root), "C1", "Tomas Lind", [])
    add_two_articles(site)
    refresher = Refresher(c, period=0.2)
    refresher.start()
    try:
        fake_slack.wait_for("chat.postMessage", count=3, timeout=30)
        seen = len(site.requests("/rss.xml"))
        deadline = time.monotonic() + 30
        while len(site.requests("/rss.xml")) < seen + 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # two more background refreshes, which find nothing new
        assert len(site.requests("/rss.xml")) >= seen + 2
    finally:
        refresher.stop()
        refresher.join(timeout=30)
    assert sorted(quoted(fake_slack, "C1")) == sorted(f"Tomas Lind said:\n[1] {q}" for q in LIND_NEW)
    assert len(posts(fake_slack, "C1")) == 3


def test_digest_text_is_escaped_like_answers(tmp_path: Path, fake_slack: FakeSlack) -> None:
    folder = tmp_path / "corpus"
    write_article(folder, "a.txt", "Bridge plans", ["Mayor Jane Roe said the bridge would open next year."])
    c = opened(folder, tmp_path / "index", fake_slack)
    cmd.follow(c.index, open_store(c.store.root), "C1", "Jane Roe", [])
    write_article(
        folder,
        "b.txt",
        "Alert <!here> & <@U999>",
        ["“All <!channel> read <@U123> and <https://evil.example|click> now & later,” Mayor Jane Roe said."],
    )
    c.refresh()
    head, quote = fake_slack.calls_to("chat.postMessage")
    shown = blocks_text(quote)
    assert "&lt;!channel&gt;" in shown and "&lt;https://evil.example|click&gt;" in shown and "&amp;" in shown
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<!here>" not in shown
    assert all(
        b["text"]["verbatim"] for b in json.loads(json.dumps(quote.args["blocks"])) if b["type"] == "section"
    )
    assert "Jane Roe: 1 new quote" in head.args["text"]


def test_follow_requests_are_told_from_questions() -> None:
    assert cmd.parse("follow Antony Blinken about Ukraine talks") == cmd.Request(
        "follow", "Antony Blinken", ("Ukraine", "talks")
    )
    assert cmd.parse("FOLLOW blinken") == cmd.Request("follow", "blinken")
    assert cmd.parse("unfollow Blinken.") == cmd.Request("unfollow", "Blinken")
    assert cmd.parse("following") == cmd.Request("following")
    assert cmd.parse("follow") == cmd.Request("usage")
    for question in (
        "follow the money?",
        "following the talks, what did Blinken say?",
        "What did Blinken say?",
    ):
        assert cmd.parse(question) is None, question


def test_hyphenated_names_link(small_corpus) -> None:  # type: ignore[no-untyped-def]
    c = small_corpus(
        {
            "a.txt": (
                "Budget talks",
                [
                    "“We will not cut the school budget,” Press Secretary Anne-Marie Dupont said on Monday.",
                    "Dupont said the talks would go on.",
                ],
            )
        }
    )
    for typed in ("Anne-Marie Dupont", "anne-marie dupont", "Dupont"):
        who = link(c.index, typed)
        assert who is not None and who.display == "Anne-Marie Dupont", typed
