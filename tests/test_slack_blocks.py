"""Rendering and parsing without a network: Answer → Block Kit, Slack text → question, and helpers."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest

from bot.models import Answer, Citation, Conversation
from bot.slack.blocks import (
    CONTEXT_ELEMENTS,
    MAX_BLOCKS,
    SECTION_CHARS,
    answer_message,
    button_question,
    citation_line,
    help_message,
    safe_url,
    split_answer,
    with_post_button,
)
from bot.slack.dedupe import SeenSet, delivery_key
from bot.slack.escaping import escape, escaped_within, is_help, question_from, truncate, unescape
from bot.slack.server import parse_period
from bot.slack.settings import Mode, SlackSettings
from bot.slack.threads import from_metadata, thread_key, to_metadata


def cite(n: int = 1, sentence: str = "“We agree,” Jane Roe said.", **kw: object) -> Citation:
    return Citation(
        **{"article_id": f"a{n}", "title": f"Title {n}", "sentence": sentence, "score": 1.0, **kw}
    )


def answer(*cites: Citation, head: str = "Jane Roe said:") -> Answer:
    text = "\n".join([head] + [f"[{i}] {c.sentence}" for i, c in enumerate(cites, 1)])
    return Answer(question="q", found=True, text=text, citations=list(cites), kind="said", subject="Jane Roe")


# --- Slack text → question ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("<@UBOT> What did Blinken say?", "What did Blinken say?"),
        ("<@UBOT|citebot>   what about   Q&amp;A?", "what about Q&A?"),
        ("<@UBOT> is 1 &lt; 2 &amp;&amp; 3 &gt; 2?", "is 1 < 2 && 3 > 2?"),
        ("<@UBOT> &amp;lt; stays literal", "&lt; stays literal"),
        (
            "<@UBOT> see <https://example.org/a?b=1&amp;c=2|the story> and <https://x.org>",
            "see the story and https://x.org",
        ),
        (
            "<@UBOT> ask <@U123> or <@U9|bob> in <#C1|general> or <#C2>",
            "ask @U123 or @bob in #general or #C2",
        ),
        ("<!here> <@UBOT> <!subteam^S1|@team> <!date^1700000000^{date_short}|Nov 14>", "@team Nov 14"),
        ("<@UBOT> what did Lind say about <!channel> the port", "what did Lind say about the port"),
        ("<mailto:a@b.org|a@b.org> hi", "a@b.org hi"),
        ("<@UBOT>", ""),
        (None, ""),
    ],
)
def test_question_from_slack_text(text: str | None, question: str) -> None:
    assert question_from(text, "UBOT") == question


def test_escape_round_trip_and_only_three_characters() -> None:
    raw = "<!channel> & \"quotes\" 'single' <@U1>"
    assert escape(raw) == "&lt;!channel&gt; &amp; \"quotes\" 'single' &lt;@U1&gt;"
    assert unescape(escape(raw)) == raw
    assert escape("&amp;") == "&amp;amp;"  # text that *says* &amp; is shown as typed


@pytest.mark.parametrize("text", ["", "help", "Help!", " HELP? ", "hi"])
def test_help_words(text: str) -> None:
    assert is_help(text)


def test_a_question_is_not_help() -> None:
    assert not is_help("help me understand what Blinken said")


def test_truncate_at_word_boundary() -> None:
    assert truncate("alpha beta gamma delta", 13) == "alpha beta…"
    assert truncate("short", 10) == "short"
    assert len(truncate("x" * 50, 10)) == 10


def test_escaped_within_never_cuts_an_entity() -> None:
    out = escaped_within("a & b & c & d & e & f", 14)
    assert len(out) <= 14 and out.endswith("…")
    assert "&amp;" in out and not any(out.endswith(p + "…") for p in ("&", "&a", "&am", "&amp"))


# --- Answer → blocks --------------------------------------------------------------------------


def test_found_answer_is_sections_with_blockquotes_then_citations() -> None:
    c = cite(url="https://news.example.org/a", published=date(2022, 1, 3), speaker="Jane Roe")
    msg = answer_message(answer(c))
    assert [b["type"] for b in msg.blocks] == ["section", "context"]
    assert msg.blocks[0]["text"] == {
        "type": "mrkdwn",
        "verbatim": True,
        "text": "Jane Roe said:\n> *[1]* “We agree,” Jane Roe said.",
    }
    assert msg.blocks[1]["elements"][0]["text"] == "*[1]* <https://news.example.org/a|Title 1> · 3 Jan 2022"
    assert msg.text == "Jane Roe said:\n[1] “We agree,” Jane Roe said."


def test_citation_without_url_or_date_is_plain_text() -> None:
    assert citation_line(2, cite(2)) == "*[2]* Title 2 · undated"


def test_an_unattributed_quote_under_a_said_head_says_no_speaker_is_named() -> None:
    """Under "Jane Roe said:", a sentence of her article that the article gives nobody is marked, so a
    reader does not take it for her words; a typed answer's citations carry no such mark."""
    msg = answer_message(answer(cite(1, speaker="Jane Roe"), cite(2, sentence="The bridge closed.")))
    lines = [e["text"] for e in msg.blocks[1]["elements"]]
    assert lines == ["*[1]* Title 1 · undated", "*[2]* Title 2 · undated · no speaker named"]
    typed = answer_message(answer(cite(2, sentence="The bridge closed.")).model_copy(update={"kind": "when"}))
    assert typed.blocks[1]["elements"][0]["text"] == "*[1]* Title 2 · undated"


def test_titles_and_urls_cannot_break_out_of_a_link() -> None:
    c = cite(title="A | B > C <!here>", url="https://e.org/x|<!channel>")
    line = citation_line(1, c)
    assert line == "*[1]* <https://e.org/x%7C&lt;!channel&gt;|A ¦ B &gt; C &lt;!here&gt;> · undated"


def test_a_5000_character_url_still_fits_every_citation() -> None:
    """Before: Slack refused the blocks and the answer went out without its citations."""
    long_query = "https://e.org/story?" + "&".join(f"utm{i}=" + "x" * 40 for i in range(120))
    long_path = "https://e.org/" + "p" * 5000 + "?q=1"
    cites = [cite(i, title="T" * 500, url=url) for i, url in enumerate([long_query, long_path] * 10, 1)]
    msg = answer_message(answer(*cites))
    lines = [e["text"] for b in msg.blocks if b["type"] == "context" for e in b["elements"]]
    assert len(lines) == 20 and all(len(t) <= 3000 for t in lines)
    assert lines[0].startswith("*[1]* <https://e.org/story|")  # the page, without its query
    assert lines[1].startswith("*[2]* <https://e.org/|")  # the site: never a cut, wrong link
    assert safe_url("https://e.org/" + "a" * 900) == "https://e.org/" + "a" * 900


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://e.org/a", "https://", "/relative", "http://a b", None]
)
def test_only_http_urls_become_links(url: str | None) -> None:
    assert safe_url(url) is None


def test_decline_is_one_short_section_without_citations() -> None:
    a = Answer(question="What did Putin say?", found=False, text="I couldn't find that in the corpus.")
    msg = answer_message(a)
    assert msg.blocks == [{"type": "section", "text": {"type": "mrkdwn", "verbatim": True, "text": a.text}}]
    assert msg.text == a.text


def test_escaping_covers_blocks_and_fallback() -> None:
    evil = "“<!channel> <@U123> <https://evil|click> & co,” Jane Roe said."
    msg = answer_message(answer(cite(sentence=evil, title="<!here>")))
    everything = str(msg.blocks) + msg.text
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil"):
        assert raw not in everything
    assert "&lt;!channel&gt;" in msg.blocks[0]["text"]["text"] and "&amp; co" in msg.text


def test_huge_answers_stay_within_slack_limits() -> None:
    long_sentence = ("word & " * 1000).strip()  # 7,000 chars, 12,000 escaped
    cites = [cite(i, sentence=long_sentence, title="T" * 500, url=f"https://e.org/{i}") for i in range(1, 41)]
    msg = answer_message(answer(*cites))
    assert len(msg.blocks) <= MAX_BLOCKS
    for b in msg.blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= SECTION_CHARS
            assert all(q.endswith("…") for q in b["text"]["text"].splitlines() if q.startswith(">"))
        if b["type"] == "context":
            assert len(b["elements"]) <= CONTEXT_ELEMENTS
            assert all(len(e["text"]) <= 3000 for e in b["elements"])
    assert "_…and 20 more_" in str(msg.blocks)
    assert len(msg.text) <= 3000 and msg.text.endswith("…")
    with_button = with_post_button(msg, "q", None)
    assert len(with_button.blocks) <= MAX_BLOCKS and with_button.blocks[-1]["type"] == "actions"


def test_many_citations_are_split_over_context_blocks() -> None:
    msg = answer_message(answer(*[cite(i) for i in range(1, 16)]))
    contexts = [b for b in msg.blocks if b["type"] == "context"]
    assert [len(c["elements"]) for c in contexts] == [10, 5]


def test_split_answer_keeps_a_wrapped_sentence_in_one_quote() -> None:
    head, quotes = split_answer(
        "(showing results for “Blinken”)\nBlinken said:\n[1] first line\nsecond line\n[2] two"
    )
    assert head == ["(showing results for “Blinken”)", "Blinken said:"]
    assert quotes == [(1, "first line second line"), (2, "two")]


def test_post_button_carries_question_and_context() -> None:
    msg = with_post_button(answer_message(answer(cite())), "What did he say?", "Jane Roe")
    button = msg.blocks[-1]["elements"][0]
    assert button_question(button["value"]) == ("What did he say?", "Jane Roe")
    assert button_question("not json") == ("", None)
    assert len(with_post_button(msg, "x" * 5000, None).blocks[-1]["elements"][0]["value"]) <= 2000


def test_help_lists_examples_escaped() -> None:
    msg = help_message(["What did <!here> say?", "Tell me about bridges"], "UBOT", 3)
    body = msg.blocks[0]["text"]["text"]
    assert "<@UBOT>" in body and "3 news articles" in body
    assert "> What did &lt;!here&gt; say?" in body and "<!here>" not in msg.text


def test_asked_by_line_only_for_real_user_ids() -> None:
    msg = answer_message(answer(cite()), asked_by="U0001", question="What did <!here> say?")
    assert msg.blocks[0]["elements"][0]["text"] == "<@U0001> asked: _What did &lt;!here&gt; say?_"
    assert answer_message(answer(cite()), asked_by="<!channel>").blocks[0]["type"] == "section"


# --- dedupe, thread context, settings ---------------------------------------------------------


def test_seen_set_claims_once_until_the_ttl_passes() -> None:
    now = [0.0]
    seen = SeenSet(ttl=10, clock=lambda: now[0])
    assert seen.claim("e1") and not seen.claim("e1")
    now[0] = 11
    assert seen.claim("e1")
    assert len(seen) == 1


def test_seen_set_is_thread_safe() -> None:
    seen = SeenSet()
    wins: list[bool] = []
    barrier = threading.Barrier(16)

    def claim() -> None:
        barrier.wait()
        wins.append(seen.claim("same"))

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert wins.count(True) == 1 and len(wins) == 16


def test_seen_set_is_bounded() -> None:
    seen = SeenSet(max_size=3)
    for k in "abcd":
        seen.claim(k)
    assert len(seen) == 3 and seen.claim("a")


def test_delivery_key() -> None:
    assert delivery_key({"event_id": "Ev1", "trigger_id": "t"}) == "event:Ev1"
    assert delivery_key({"trigger_id": "t"}) == "trigger:t"
    assert delivery_key({"type": "url_verification"}) is None


def test_conversation_round_trips_through_message_metadata() -> None:
    conv = Conversation(
        subject="Jane Roe", topic="the bridge", cited=[("a:1", 0, 40), ("b", 41, 90)], first=("b", 41, 90)
    )
    meta = to_metadata(conv)
    assert meta["event_type"] == "citebot_answer"
    assert from_metadata(json.loads(json.dumps(meta))) == conv
    assert from_metadata({"event_type": "other", "event_payload": {}}) is None
    assert from_metadata("nonsense") is None
    older = {**meta["event_payload"], "first": None}  # a reply posted before `first` was kept
    assert from_metadata({**meta, "event_payload": older}) == conv.model_copy(update={"first": None})
    assert thread_key("C1", "1.0") != thread_key("C1", None) == "C1:"


def test_metadata_keeps_the_newest_cited_keys_within_its_size_limit() -> None:
    keys = [(f"article-{n:05d}-with-a-long-identifier", n, n + 10) for n in range(200)]
    meta = to_metadata(Conversation(subject="X", cited=keys))
    assert len(json.dumps(meta["event_payload"])) <= 4000
    back = from_metadata(meta)
    assert back is not None and back.cited and back.cited[-1] == keys[-1]


@pytest.mark.parametrize(
    ("text", "seconds"), [("30m", 1800), ("45s", 45), ("2h", 7200), ("90", 90), ("1.5H", 5400)]
)
def test_parse_period(text: str, seconds: float) -> None:
    assert parse_period(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "-5m", "5d", "soon", "m"])
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def _settings(**kw: str) -> SlackSettings:
    return SlackSettings(_env_file=None, **kw)


def test_settings_mode_and_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        monkeypatch.delenv(name, raising=False)
    ok_http = _settings(bot_token="xoxb-1", signing_secret="s")
    assert ok_http.mode() is Mode.http and ok_http.problem(Mode.http) is None
    assert "SLACK_APP_TOKEN" in (ok_http.problem(Mode.socket) or "")
    ok_socket = _settings(bot_token="xoxb-1", app_token="xapp-1")
    assert ok_socket.mode() is Mode.socket and ok_socket.problem(Mode.socket) is None
    assert ok_socket.mode(Mode.http) is Mode.http
    assert "SLACK_SIGNING_SECRET" in (ok_socket.problem(Mode.http) or "")
    assert "SLACK_BOT_TOKEN" in (_settings().problem(Mode.http) or "")
    assert "xoxb-" in (_settings(bot_token="xoxp-1", signing_secret="s").problem(Mode.http) or "")
    assert "SLACK_API_URL" in (
        _settings(bot_token="xoxb-1", signing_secret="s", api_url="slack.com").problem(Mode.http) or ""
    )
    assert _settings(api_url="http://127.0.0.1:9/api").base_url == "http://127.0.0.1:9/api/"
    assert "xoxb-secret" not in repr(_settings(bot_token="xoxb-secret"))


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-env")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:1/api/")
    monkeypatch.setenv("CITEBOT_SLACK_WORKERS", "7")
    s = SlackSettings(_env_file=None)
    assert s.secret("bot_token") == "xoxb-env" and s.api_url == "http://127.0.0.1:1/api/" and s.workers == 7
