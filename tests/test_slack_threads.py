"""Thread memory without Redis, and the 👍 / 👎 buttons: the real Bolt app against the fake Slack.

A restarted process (a new App over the same corpus) has an empty store; it must recover the
thread from the metadata of its own earlier reply, or, in a thread it never answered, from the
people's messages. Votes are stored beside the index and acknowledged in the message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fake_slack import BOT_ID, BOT_USER, TEAM, FakeSlack, dm, mention, next_ts
from test_slack_http import HttpBot

from bot.corpus import Corpus
from bot.feedback import FileFeedback, Vote

pytest_plugins = ["fake_slack"]
pytestmark = [pytest.mark.usefixtures("clean_env"), pytest.mark.timeout(60)]


@pytest.fixture
def bot(bundled_corpus: Corpus, fake_slack: FakeSlack) -> Iterator[HttpBot]:
    b = HttpBot(bundled_corpus, fake_slack)
    yield b
    b.close()


def test_a_restarted_process_reads_the_thread_state_from_its_reply_metadata(
    bundled_corpus: Corpus, fake_slack: FakeSlack
) -> None:
    first = HttpBot(bundled_corpus, fake_slack)
    try:
        ev = mention("What did Blinken say?", channel="CMETA")
        first.event(ev)
        reply = first.reply_to(ev)
        assert reply["metadata"]["event_type"] == "citebot_answer"
        assert reply["metadata"]["event_payload"]["subject"] == "Antony Blinken"
        assert reply["metadata"]["event_payload"]["cited"]
    finally:
        first.close()
    restarted = HttpBot(bundled_corpus, fake_slack)  # a new App: its in-memory store is empty
    try:
        follow = mention("What else did he say?", channel="CMETA", thread_ts=ev["ts"])
        restarted.event(follow)
        answer = restarted.reply_to(follow)
        assert "Antony Blinken said:" in answer["text"]
        (read,) = fake_slack.calls_to("conversations.replies")
        assert read.args["ts"] == ev["ts"] and str(read.args["include_all_metadata"]).lower() in {"1", "true"}
        # the second reply carries every key cited so far in the thread
        assert set(map(str, reply["metadata"]["event_payload"]["cited"])) <= set(
            map(str, answer["metadata"]["event_payload"]["cited"])
        )
    finally:
        restarted.close()


def test_a_new_thread_makes_no_extra_call_and_a_known_thread_none(bot: HttpBot) -> None:
    ev = mention("What did Blinken say?", channel="CQUIET")
    bot.event(ev)
    bot.reply_to(ev)
    follow = mention("What else did he say?", channel="CQUIET", thread_ts=ev["ts"])
    bot.event(follow)
    bot.reply_to(follow)
    assert bot.fake.calls_to("conversations.replies") == []  # the store knew the thread


def test_a_mention_in_someone_elses_thread_resolves_he_from_the_people_before_it(bot: HttpBot) -> None:
    root = bot.fake.add_message(
        "CTHREAD", "Blinken spoke to Cavusoglu on the phone about Ukraine", user="U0002"
    )
    bot.fake.add_message("CTHREAD", "anyone know what came of it?", user="U0003", thread_ts=root["ts"])
    bot.fake.add_message(  # other bots are not people: their names must not win
        "CTHREAD", "Ned Price alert", user="U0BOT2", bot_id="B0OTHER", thread_ts=root["ts"]
    )
    ev = mention("What did he say?", channel="CTHREAD", thread_ts=root["ts"])
    bot.event(ev)
    assert "Antony Blinken said:" in bot.reply_to(ev)["text"]


def test_a_failed_thread_read_answers_without_context(bot: HttpBot) -> None:
    root = bot.fake.add_message("CFAIL", "Blinken spoke on the phone", user="U0002")
    bot.fake.fail_next(1, methods={"conversations.replies"}, error="missing_scope")
    ev = mention("What did Blinken say?", channel="CFAIL", thread_ts=root["ts"])
    bot.event(ev)
    assert "Antony Blinken said:" in bot.reply_to(ev)["text"]
    assert len(bot.fake.calls_to("conversations.replies", ok=False)) == 1  # it was tried, and failed


def _click(bot: HttpBot, reply: dict, action_id: str, user: str = "U0042") -> None:
    (button,) = [
        e
        for b in reply["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == action_id
    ]
    ts = bot.fake.calls_to("chat.postMessage")[-1]
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": "bob", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"trig-{next_ts()}",
        "team": {"id": TEAM, "domain": "fake"},
        "container": {
            "type": "message",
            "message_ts": ts.args.get("ts", "1.0"),
            "channel_id": reply["channel"],
        },
        "channel": {"id": reply["channel"], "name": "general"},
        "message": {
            "type": "message",
            "ts": "1700000000.000777",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": reply["text"],
            "blocks": reply["blocks"],
            "metadata": reply["metadata"],
        },
        "response_url": bot.fake.response_url("vote"),
        "actions": [{**button, "block_id": "citebot_feedback", "action_ts": next_ts()}],
    }
    resp = bot.post(urlencode({"payload": json.dumps(payload)}), ctype="application/x-www-form-urlencoded")
    assert resp.status_code == 200


def test_votes_are_stored_beside_the_index_and_acknowledged_in_place(
    bot: HttpBot, bundled_corpus: Corpus
) -> None:
    store = FileFeedback(bundled_corpus.store.root / "feedback.jsonl")
    before = len(store.all())
    ev = mention("What did Blinken say?", channel="CVOTE")
    bot.event(ev)
    reply = bot.reply_to(ev)
    _click(bot, reply, "citebot_feedback_up")
    (update,) = bot.fake.wait_for("chat.update")
    assert update.args["ts"] == "1700000000.000777" and update.args["channel"] == "CVOTE"
    assert update.args["metadata"] == reply["metadata"]  # the thread's state is kept on the message
    blocks = update.args["blocks"]
    assert "thanks — recorded" in json.dumps(blocks, ensure_ascii=False)
    assert not any(b.get("block_id") == "citebot_feedback" for b in blocks)
    rows = store.all()[before:]
    assert [(r.vote, r.user, r.question) for r in rows] == [(Vote.up, "U0042", "What did Blinken say?")]
    assert rows[0].cited and all(isinstance(k[1], int) for k in rows[0].cited)


def test_a_vote_on_a_follow_up_stores_a_question_that_stands_alone(
    bot: HttpBot, bundled_corpus: Corpus
) -> None:
    store = FileFeedback(bundled_corpus.store.root / "feedback.jsonl")
    before = len(store.all())
    ev = mention("What did Blinken say?", channel="CVOTE2")
    bot.event(ev)
    bot.reply_to(ev)
    follow = mention("What else did he say?", channel="CVOTE2", thread_ts=ev["ts"])
    bot.event(follow)
    _click(bot, bot.reply_to(follow), "citebot_feedback_down")
    bot.fake.wait_for("chat.update")
    (row,) = store.all()[before:]
    assert row.vote is Vote.down and row.question == "What else did Antony Blinken say?"


def test_a_decline_has_no_vote_buttons(bot: HttpBot) -> None:
    ev = mention("What did Zanzibar Quux say about spaceships?", channel="CDECL")
    bot.event(ev)
    reply = bot.reply_to(ev)
    assert not any(b["type"] == "actions" for b in reply["blocks"])


def test_thread_reading_is_bounded_to_the_last_people_messages(
    fake_slack: FakeSlack, bundled_corpus: Corpus
) -> None:
    from slack_sdk import WebClient

    from bot.slack.threads import HUMAN_MESSAGES, read_thread, subject_from

    root = fake_slack.add_message("CBOUND", "Blinken called Ankara", user="U0002")
    for n in range(25):
        fake_slack.add_message("CBOUND", f"unrelated remark {n}", user="U0003", thread_ts=root["ts"])
    fake_slack.add_message("CBOUND", "bot noise", user=BOT_USER, bot_id=BOT_ID, thread_ts=root["ts"])
    client = WebClient(token="xoxb-1-test", base_url=fake_slack.base_url)
    history = read_thread(client, "CBOUND", root["ts"], next_ts(), BOT_USER)
    assert len(history.human) == HUMAN_MESSAGES and history.human[-1] == "unrelated remark 24"
    assert "bot noise" not in history.human and history.state is None
    assert subject_from(history.human, bundled_corpus.index) is None  # Blinken is beyond the bound
    found = subject_from(["Blinken called Ankara", "and then?"], bundled_corpus.index)
    assert found is not None and found.subject == "Antony Blinken"


def test_a_flat_dm_follow_up_after_a_restart_reads_the_dm_history(
    bundled_corpus: Corpus, fake_slack: FakeSlack
) -> None:
    first = HttpBot(bundled_corpus, fake_slack)
    try:
        ev = dm("What did Blinken say?", channel="DFLAT")
        first.event(ev)
        first.reply_to(ev)
    finally:
        first.close()
    restarted = HttpBot(bundled_corpus, fake_slack)
    try:
        follow = dm("What else did he say?", channel="DFLAT")
        restarted.event(follow)
        assert "Antony Blinken said:" in restarted.reply_to(follow)["text"]
        reads = fake_slack.calls_to("conversations.history")  # once per process: then the store knows
        assert [r.args["channel"] for r in reads] == ["DFLAT", "DFLAT"]
    finally:
        restarted.close()
