"""Each candidate feature of the scoring function, the fitted-weights file, and the follow-ups that use
the conversation state, on a short inline corpus written for these tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from conftest import build_corpus

from bot.answering.answerer import Answerer
from bot.answering.citing import Candidate
from bot.answering.content import is_question_sentence, points_back, statement_words
from bot.answering.features import FeatureBuilder, Query
from bot.answering.scoring import (
    FEATURES,
    GROUPS,
    UNWEIGHTED,
    WEIGHTS_FILE,
    Weights,
    base_group,
    kind_group,
    load_weights,
)
from bot.ingest import HOW_CODES
from bot.text import tokenize

HARBOUR = [
    "Mayor Ida Strand spoke about the harbour on Monday.",
    "“The harbour will reopen after the repairs,” Strand said.",
    "Is the harbour safe?",
    "About 2,500 boats use the harbour every year.",
    "The council met in Rivertown.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return build_corpus(
        tmp_path_factory.mktemp("features"), {"harbour.txt": ("Harbour news", HARBOUR)}, "2022-06-01"
    )


def features(corpus, question_terms: str, topic: str, kind: str = "said", subject: str = "strand") -> dict:
    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    strength = np.zeros(len(idx.speakers))
    for i, s in enumerate(idx.speakers):
        if "strand" in s["names"]:
            strength[i] = 1.0
    q = Query(kind, tokenize(question_terms), tokenize(topic), tokenize(subject), strength)
    cands = fb.build(q)
    return {
        idx.sentence(int(s)): dict(zip(FEATURES, row, strict=True))
        for s, row in zip(cands.sents, cands.X, strict=True)
    }


def test_statement_preference_is_read_from_one_table_of_every_sentence(corpus) -> None:
    """A speaker's sentences get the preference of the formula (length to 300 characters, a direct
    quote, recency), read from the table of every sentence, and the longest direct quote ranks first."""
    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    sents = np.arange(idx.n_sentences)[::-1]
    spans = np.asarray(idx.sent_span)[sents]
    how = np.asarray(idx.sent_how)[sents]
    direct = np.array([HOW_CODES[h] in ("quote", "tweet", "label", "continued") for h in how])
    want = np.minimum(spans[:, 1] - spans[:, 0], 300) / 300 + direct + fb.recency(sents)
    assert np.array_equal(fb.statement_preference(sents), want)
    best = int(fb.statements(sents, 1)[0])
    assert idx.sentence(best) == "“The harbour will reopen after the repairs,” Strand said."


def test_bare_sentences_after_a_speaker_are_those_up_to_three_on_and_kept_alike(corpus, monkeypatch) -> None:
    """The unattributed sentences within REPORTED_BETWEEN after a speaker's, as a brute-force scan
    finds them; a set of speaker rows asked again (kept, as a prolific one's would be) gets the same."""
    import bot.answering.features as features_module

    monkeypatch.setattr(features_module, "_BARE_AFTER_MIN", 0)
    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    spk = np.asarray(idx.sent_speaker)
    for row in range(len(idx.speakers)):
        linked = np.array([row])
        own = fb.speaker_sentences(linked)
        want = [
            s
            for s in range(idx.n_sentences)
            if spk[s] < 0 and any(s - k >= 0 and spk[s - k] == row for k in (1, 2, 3))
        ]
        assert fb._bare_after(linked, own).tolist() == want
        assert fb._bare_after(linked, own).tolist() == want


def test_speaker_link_and_direct_quote(corpus) -> None:
    f = features(corpus, "strand harbour", "harbour")
    quote = f["“The harbour will reopen after the repairs,” Strand said."]
    assert quote["speaker_link"] == 1.0 and quote["direct_quote"] == 1.0
    assert f["Is the harbour safe?"]["speaker_link"] == 0.0


def test_lead_in_next_marks_the_sentence_after_a_top_hit(corpus) -> None:
    f = features(corpus, "strand spoke harbour monday", "harbour monday")
    after = f["“The harbour will reopen after the repairs,” Strand said."]
    assert after["lead_in_next"] > 0.5  # the sentence before it is the best hit
    assert f["Mayor Ida Strand spoke about the harbour on Monday."]["lead_in_next"] == 0.0


def test_typed_evidence_and_number_near_topic(corpus) -> None:
    f = features(corpus, "many boats harbour", "boats harbour", kind="how_many", subject="")
    count = f["About 2,500 boats use the harbour every year."]
    assert count["typed_evidence"] == 1.0 and count["number_near_topic"] > 0.5  # "boats" is next to it
    assert f["Is the harbour safe?"]["typed_evidence"] == 0.0


def test_is_question_marks_a_sentence_that_asks(corpus) -> None:
    f = features(corpus, "harbour safe", "harbour safe", kind="yes_no", subject="")
    assert f["Is the harbour safe?"]["is_question"] == 1.0
    assert f["“The harbour will reopen after the repairs,” Strand said."]["is_question"] == 0.0


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [
        ("Q Are you going to call the mayor?", True),
        ("Q: Why?", True),
        ("“Will the harbour reopen?”", True),
        ("Mayor Strand: Does the council understand it?", True),
        ("Quite a few boats left.", False),
        ("QE2 docked in the harbour.", False),
        ("The harbour will reopen.", False),
    ],
)
def test_is_question_sentence(sentence: str, asks: bool) -> None:
    assert is_question_sentence(sentence) is asks


@pytest.mark.parametrize(
    ("sentence", "pointing"),
    [
        ("This was stated by Mayor Ida Strand at the harbour meeting.", True),
        ("That was announced by the council on Monday.", True),
        ("She said this in a statement after the harbour meeting.", True),
        ("The mayor said so.", True),
        ("Strand acknowledged that.", True),
        ("It was announced by the council that the harbour will reopen.", False),  # "that …" says it
        ("She said that in June the harbour will reopen.", False),  # "that" opens what was said
        ("The mayor said this week that the fees will rise.", False),
        ("This was stated by the mayor: “The harbour will reopen.”", False),  # the quote follows
        ("The harbour will reopen, Strand said.", False),
    ],
)
def test_points_back_is_a_report_of_the_speech_before_that_holds_none_of_it(
    sentence: str, pointing: bool
) -> None:
    assert points_back(sentence) is pointing


def test_points_back_marks_the_report_not_the_speech_it_points_to(small_corpus) -> None:
    c = small_corpus(
        {
            "h.txt": (
                "Harbour",
                [
                    "“The harbour fees will stay as they are,” Strand said.",
                    "She said this at the harbour meeting.",
                ],
            )
        }
    )
    f = features(c, "strand harbour fees", "harbour fees")
    assert f["She said this at the harbour meeting."]["points_back"] == 1.0
    assert f["“The harbour fees will stay as they are,” Strand said."]["points_back"] == 0.0


@pytest.mark.parametrize(
    ("sentence", "n"),
    [
        ("MAYOR STRAND: Thank you.", 1),
        ("Ida Strand: Yes.", 1),
        ("Ida Strand: The harbour reopens in June.", 3),  # harbour, reopen, june
        ("The harbour reopens in June, Strand said.", 5),  # no label: every word counts
    ],
)
def test_statement_words_leave_out_a_transcript_label(sentence: str, n: int) -> None:
    assert statement_words(sentence) == n


def test_coverage_counts_the_sentence_itself_context_its_neighbours(corpus) -> None:
    f = features(corpus, "harbour repairs", "harbour repairs")
    assert f["“The harbour will reopen after the repairs,” Strand said."]["topic_coverage"] == pytest.approx(
        1.0
    )
    safe = f["Is the harbour safe?"]
    assert safe["topic_coverage"] < 1.0 and safe["context_coverage"] == pytest.approx(1.0)


def test_article_coverage_counts_the_topic_anywhere_in_the_article(corpus) -> None:
    f = features(corpus, "strand harbour rivertown", "harbour rivertown")
    mayor = f["Mayor Ida Strand spoke about the harbour on Monday."]
    assert mayor["article_coverage"] == pytest.approx(1.0)  # "Rivertown" is four sentences on
    assert mayor["context_coverage"] < 1.0
    # A word the corpus never holds ("weather") is in no article: it does not lower the coverage.
    g = features(corpus, "strand harbour weather", "harbour weather")
    assert g["Mayor Ida Strand spoke about the harbour on Monday."]["article_coverage"] == pytest.approx(1.0)


def test_names_held_is_the_share_of_the_questions_names_beside_the_sentence(corpus) -> None:
    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    names = [tokenize("Rivertown"), tokenize("Oslo")]
    q = Query("where", tokenize("strand harbour rivertown oslo"), tokenize("harbour"), [], None, names=names)
    cands = fb.build(q)
    got = {
        idx.sentence(int(s)): row[FEATURES.index("names_held")]
        for s, row in zip(cands.sents, cands.X, strict=True)
    }
    assert got["The council met in Rivertown."] == pytest.approx(0.5)  # Oslo is nowhere
    assert got["Mayor Ida Strand spoke about the harbour on Monday."] == pytest.approx(0.0)  # 4 sentences off
    q_none = Query("where", tokenize("harbour"), tokenize("harbour"), [], None)
    assert (fb.build(q_none).X[:, FEATURES.index("names_held")] == 1.0).all()


def test_a_gated_feature_under_its_fitted_minimum_declines() -> None:
    w = Weights.from_json(
        {
            "weights": {"said": {"bm25_question": 1.0}},
            "decline_below": {"said": 0.5},
            "gates": {"said": {"article_coverage": 0.5}},
        }
    )
    row = np.zeros(len(FEATURES))
    row[FEATURES.index("article_coverage")] = 0.4
    assert w.declines("said", 2.0, row)  # scores well, but its article lacks most of the topic
    row[FEATURES.index("article_coverage")] = 0.6
    assert not w.declines("said", 2.0, row)
    assert w.declines("said", 0.1, row)  # under the score threshold


def test_a_decline_by_the_fitted_thresholds_says_which_one(corpus) -> None:
    strict = Weights.from_json(
        {"weights": {"said": {"bm25_question": 1.0}}, "decline_below": {"said": 100.0}}
    )
    answerer = Answerer(corpus.index, corpus.snapshot.answerer.retriever, strict)
    trace: list[Candidate] = []
    answer = answerer.answer("What did Strand say about the harbour?", trace=trace)
    assert not answer.found
    assert answerer.last_decline is not None and "best score" in answerer.last_decline
    assert trace  # --explain still shows the candidates it declined
    assert corpus.snapshot.answerer.answer("What did Strand say about the harbour?").found
    assert corpus.snapshot.answerer.last_decline is None


def test_a_weights_file_with_min_context_still_gates_on_context() -> None:
    w = Weights.from_json({"weights": {"other": {}}, "min_context": {"other": 0.3}})
    assert w.gates == {"other": {"context_coverage": 0.3}}
    row = np.zeros(len(FEATURES))
    assert w.declines("other", 1.0, row)


def test_the_weights_file_is_fitted_with_every_feature_per_group() -> None:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES)
    assert set(GROUPS) <= set(data["weights"]) and {base_group(g) for g in data["weights"]} == set(GROUPS)
    assert "fit_weights.py" in data["fitted_by"] and data["leave_one_set_out"]
    w = load_weights(Path(WEIGHTS_FILE))
    assert all(len(w.by_group[g]) == len(FEATURES) for g in data["weights"])
    assert all(
        data["weights"][g][f] == 0 for g in data["weights"] for f in UNWEIGHTED
    )  # gates and filters only


def test_a_kind_scores_with_its_own_weights_and_declines_by_its_groups_thresholds() -> None:
    shared, where = np.zeros(len(FEATURES)), np.zeros(len(FEATURES))
    shared[FEATURES.index("bm25_question")] = 1.0
    where[FEATURES.index("after_echo")] = 1.0
    w = Weights({"other": shared, "other:where": where}, {"other": 0.5})
    assert kind_group("other", "where") == "other:where" and kind_group("said", "said") == "said"
    assert w.weights_of("other:where") is where
    assert w.weights_of("other:when") is shared  # a kind the file lacks: its group's weights
    assert w.weights_of("said") is shared  # a group the file lacks: "other"'s
    row = np.zeros(len(FEATURES))
    assert w.declines("other:where", 0.4, row) and not w.declines("other:where", 0.6, row)


def test_after_echo_marks_a_sentence_adding_to_the_topic_of_the_one_before(corpus) -> None:
    """After "About 2,500 boats use the harbour …", "The council met in Rivertown." holds none of the
    question's words: all it says is new. "Is the harbour safe?" after a harbour sentence half echoes."""
    f = features(corpus, "boats harbour", "boats harbour", kind="where", subject="")
    assert f["The council met in Rivertown."]["after_echo"] == pytest.approx(1.0)
    safe = f["Is the harbour safe?"]
    assert 0 < safe["after_echo"] == pytest.approx(0.5 * safe["lead_in_topic"])
    assert f["Mayor Ida Strand spoke about the harbour on Monday."]["after_echo"] == 0.0  # nothing before


def test_adds_to_topic_weighs_the_topic_held_with_the_lead_in_by_what_the_sentence_adds(corpus) -> None:
    """With the question "where do the boats use the harbour every year": the sentence saying so
    echoes it (only "2,500" is new); the one after holds the topic through it and is all new."""
    f = features(
        corpus, "boats use harbour every year", "boats use harbour every year", kind="where", subject=""
    )
    echo = f["About 2,500 boats use the harbour every year."]
    after = f["The council met in Rivertown."]
    assert echo["topic_coverage"] == pytest.approx(1.0) and after["topic_coverage"] == 0.0
    assert after["adds_to_topic"] == pytest.approx(1.0)
    assert 0 < echo["adds_to_topic"] < 0.25  # one term of its six is new


def test_a_cause_is_evidence_of_its_own_for_why(corpus) -> None:
    f = features(corpus, "harbour reopen", "harbour reopen", kind="why", subject="")
    reopen = f["“The harbour will reopen after the repairs,” Strand said."]
    assert reopen["cause_evidence"] == 1.0 and reopen["typed_evidence"] == 0.0
    g = features(corpus, "harbour reopen", "harbour reopen", kind="when", subject="")
    assert g["Mayor Ida Strand spoke about the harbour on Monday."]["cause_evidence"] == 0.0


def test_what_else_leaves_out_what_was_cited_and_the_topic_is_kept(corpus) -> None:
    first = corpus.answer("What did Strand say about the harbour?")
    assert first.found and first.conversation is not None
    assert first.conversation.topic == "the harbour"
    again = corpus.answer("What else did she say?", context=first.conversation)
    cited = {c.sentence for c in first.citations}
    assert not cited & {c.sentence for c in again.citations}
    when = corpus.answer("When did she say it?", context=first.conversation)
    assert when.conversation is not None and when.conversation.topic == "the harbour"


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory):
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("dated")
    docs = root / "corpus"
    docs.mkdir()
    for name, day, quote in (
        ("june.txt", "2022-06-14", "“The harbour tax will fall,” Strand said."),
        ("march.txt", "2023-03-02", "“The harbour tax will rise,” Strand said."),
        ("may.txt", "2024-05-20", "“The harbour tax stays as it is,” Strand said."),
    ):
        body = f"Mayor Ida Strand spoke to the council.\n\n{quote}"
        (docs / name).write_text(f"title: Council\npublished: {day}\n\n{body}\n", encoding="utf-8")
    c = Corpus(docs, root / "index")
    c.open()
    return c


def test_a_period_filters_by_article_date_and_is_named_in_the_head(dated) -> None:
    ans = dated.answer("What did Strand say about the harbour tax in June 2022?")
    assert ans.found and ans.head == "Ida Strand on the harbour tax, June 2022:"
    assert [c.published.isoformat() for c in ans.citations if c.published] == ["2022-06-14"]


def test_a_month_without_a_year_is_that_month_of_any_year(dated, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "in March" / "at the march meeting" over an archive is the March the corpus reports, whatever
    today is; "before her june visit" is an order in time, not June."""
    monkeypatch.setenv("CITEBOT_NOW", "2026-12-01")
    ans = dated.answer("What did Strand say about the harbour tax in March?")
    assert ans.found and [c.sentence for c in ans.citations] == ["“The harbour tax will rise,” Strand said."]
    assert ans.head == "Ida Strand on the harbour tax, March:"
    june = dated.answer("What did Strand say about the harbour tax at the june council?")
    assert [c.sentence for c in june.citations][:1] == ["“The harbour tax will fall,” Strand said."]


def test_a_periods_own_sentences_are_the_subjects_only(dated) -> None:
    """The period's articles bring candidates only for a linked subject (with a topic too): without
    one, a day often dates the event in the text, reported the day after, and that day's other
    articles are no answer."""
    from bot.answering.features import Query
    from bot.periods import Period

    a = dated.snapshot.answerer
    june = Period(None, None, "in june", month=6)
    strand = a._speaker_strength(a.linker.link("Strand"))
    with_subject = a.features.period_pool(Query("said", ["strand"], [], ["strand"], strand, june), strand)
    assert [a.index.sentence(int(s)) for s in with_subject] == ["“The harbour tax will fall,” Strand said."]
    terms = tokenize("tax fall")
    without = Query("how_many", terms, terms, [], None, june)
    assert not len(a.features.period_pool(without, None))
    # with a topic, the subject's sentences of the period best on the question's words
    on_topic = Query("said", tokenize("strand tax fall"), terms, ["strand"], strand, june)
    got = [a.index.sentence(int(s)) for s in a.features.period_pool(on_topic, strand)]
    assert got[:1] == ["“The harbour tax will fall,” Strand said."]


def test_a_day_that_is_an_events_attribute_brings_that_days_sentences(dated) -> None:
    """ "her march 2 address": the date names the event, reported that day; that day's sentences on
    the question's words join the candidates, whoever speaks them. A month so, or a day the text may
    give of another day's report ("on June 14"), does not."""
    from bot.answering.features import Query
    from bot.periods import Period

    a = dated.snapshot.answerer
    terms = tokenize("tax rise")
    day = Period(None, None, "her march 2", month=3, day=2)
    pool = a.features.period_pool(
        Query("how_many", terms, terms, [], None, day, period_attributive=True), None
    )
    assert "“The harbour tax will rise,” Strand said." in [a.index.sentence(int(s)) for s in pool]
    plain = Query("how_many", terms, terms, [], None, day)
    assert not len(a.features.period_pool(plain, None))
    month = Period(None, None, "the march", month=3)
    assert not len(
        a.features.period_pool(
            Query("how_many", terms, terms, [], None, month, period_attributive=True), None
        )
    )


def test_a_month_abbreviated_in_the_question_dates_an_event_in_the_text(tmp_path: Path) -> None:
    """ "… the storm on feb 16": the sentence of another day's article saying "February 16" is of
    that period too, as it would be were the month written in full."""
    from bot.corpus import Corpus

    docs = tmp_path / "corpus"
    docs.mkdir()
    for name, day, quote in (
        ("a.txt", "2022-02-14", "“We are told that February 16 will be the day of the storm,” Strand said."),
        ("b.txt", "2022-02-16", "“The storm tax is unfair,” Strand said."),
    ):
        (docs / name).write_text(f"title: Council\npublished: {day}\n\n{quote}\n", encoding="utf-8")
    c = Corpus(docs, tmp_path / "index")
    c.open()
    told = "“We are told that February 16 will be the day of the storm,” Strand said."
    assert told in [x.sentence for x in c.answer("What did Strand say about the storm on feb 16?").citations]


def test_a_year_as_an_events_attribute_is_a_period_named_with_the_event(dated) -> None:
    """ "the 2023 harbour tax" filters by article date as "in 2023" does, and the head names it as
    asked; a year the corpus has no article from, nor a sentence naming, is declined as such."""
    ans = dated.answer("What did Strand say about the 2023 harbour tax?")
    assert ans.found and ans.head == "Ida Strand said about the 2023 harbour tax:"
    assert [c.sentence for c in ans.citations] == ["“The harbour tax will rise,” Strand said."]
    none = dated.answer("What did Strand say about the 2019 harbour tax?")
    assert not none.found and none.text.endswith("Nothing in it from 2019.")
    # A day is often reported the day after: with no article from it the question falls open.
    assert dated.answer("What did Strand say about the harbour tax on May 21?").found


def test_a_period_brings_its_own_articles_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "What did Strand say on March 8": her words in that day's article, which never writes
    "March 8", though the pools ranked on the question's words (here one sentence each) hold others."""
    from bot.answering import features as feature_module
    from bot.corpus import Corpus

    docs = tmp_path / "corpus"
    docs.mkdir()
    days = ["2022-01-03", "2022-01-04", "2022-01-05", "2022-01-06", "2022-03-08"]
    for n, day in enumerate(days):
        quote = (
            "“The bridge opens soon,” Strand said."
            if day.endswith("03-08")
            else f"“The harbour tax will fall again, by {n} percent, as the port gets busy,” Strand said."
        )
        body = f"Mayor Ida Strand spoke to the council.\n\n{quote}"
        (docs / f"a{n}.txt").write_text(f"title: Council\npublished: {day}\n\n{body}\n", encoding="utf-8")
    c = Corpus(docs, tmp_path / "index")
    c.open()
    monkeypatch.setattr(feature_module, "QUESTION_HITS", 1)
    monkeypatch.setattr(feature_module, "TOPIC_HITS", 1)
    ans = c.answer("What did Strand say on March 8?")
    assert ans.found and ans.head == "Ida Strand said, March 8:"
    assert [x.sentence for x in ans.citations] == ["“The bridge opens soon,” Strand said."]
    on = c.answer("What did Strand say about the bridge on March 8?")
    assert on.found and on.head == "Ida Strand on the bridge, March 8:"


def test_a_year_before_a_noun_is_a_period_and_today_relative_ones_are_told_apart() -> None:
    from bot.periods import find_period, is_relative

    pm = find_period("how many tanks were in the 2021 victory day parade", any_year=True)
    assert pm is not None and pm.period is not None
    assert (pm.period.start, pm.period.end) == (date(2021, 1, 1), date(2021, 12, 31))
    assert find_period("how many tanks were in 2021", any_year=True) is not None
    assert is_relative("this week") and is_relative("in the past 3 days")
    assert not is_relative("in 2021") and not is_relative("on march 8")


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("what did X say in april", 4, 0),
        ("what did X say in kyiv on february 23 about it", 2, 23),
        ("what did X ask at the january meeting", 1, 0),
        ("what did X say during his june visit", 6, 0),
        ("what did X say about oil in his may 15 address", 5, 15),
        ("what did X tell them at the march 3rd meeting", 3, 3),
    ],
)
def test_yearless_dates_in_a_question(text: str, month: int, day: int) -> None:
    from bot.periods import find_period

    pm = find_period(text, any_year=True)
    assert pm is not None and pm.period is not None
    assert (pm.period.month, pm.period.day, pm.period.start) == (month, day, None)
    assert find_period(text.replace(" in april", " in april 2022"), any_year=True) is not None


def test_a_month_word_that_is_an_order_or_a_common_word_is_no_period() -> None:
    from bot.periods import find_period

    assert find_period("when had X been there before his april trip", any_year=True) is None
    assert find_period("what did X tweet about the anti-war march", any_year=True) is None
    assert find_period("what did X say about the may deadline", any_year=True) is None
    assert find_period("at the january meeting") is None  # an option or digest reads no attribute
    opt = find_period("in january")  # options: the latest January not after today
    assert opt is not None and opt.period is not None and opt.period.start is not None


def test_when_did_she_say_it_dates_the_quote_the_thread_was_given(dated) -> None:
    """The follow-up answers with the date of the article of the first quote cited, and that quote,
    not with some other sentence that holds a date."""
    first = dated.answer("What did Strand say about the harbour tax?")
    assert first.found and first.citations[0].published is not None
    when = dated.answer("When did she say it?", context=first.conversation)
    assert when.found and [c.sentence for c in when.citations] == [first.citations[0].sentence]
    assert when.head == f"Ida Strand said it in an article of {first.citations[0].published.isoformat()}:"


def test_when_did_she_say_it_after_a_question_with_no_topic(dated) -> None:
    """ "What did Strand say?" keeps no topic; "it" is still the quote the answer gave first. With no
    topic kept, a follow-up that asks for no speech ("when was that?") is no such question."""
    first = dated.answer("What did Strand say?")
    assert first.found and first.conversation is not None and first.conversation.topic is None
    when = dated.answer("When did she say it?", context=first.conversation)
    assert when.found and [c.sentence for c in when.citations] == [first.citations[0].sentence]
    assert when.head is not None and when.head.startswith("Ida Strand said it in an article of ")
    other = dated.answer("When was that?", context=first.conversation)
    assert "said it" not in (other.head or other.text)


def test_last_means_the_newest_matching_sentence(dated) -> None:
    ans = dated.answer("When did Strand last speak about the harbour tax?")
    assert ans.found and ans.citations[0].sentence == "“The harbour tax stays as it is,” Strand said."


def test_relative_periods_count_from_citebot_now(dated, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEBOT_NOW", "2023-03-05")
    ans = dated.answer("What did Strand say about the harbour tax this week?")
    assert ans.found and [c.sentence for c in ans.citations] == ["“The harbour tax will rise,” Strand said."]
    monkeypatch.setenv("CITEBOT_NOW", "2025-01-10")
    none = dated.answer("What did Strand say about the harbour tax this week?")
    assert none.found  # no article from that week: the period falls open rather than refusing


def test_a_title_word_weighs_by_the_sentences_that_hold_it_not_by_the_passages(corpus) -> None:
    """'harbour' is in the title, so in every passage of this one-article corpus (its BM25 idf is the
    floor); it is in four of five sentences. 'rivertown', not in the title, is in one."""
    fb = FeatureBuilder(corpus.index, corpus.snapshot.answerer.retriever)
    harbour = tokenize("harbour")[0]  # the term, as the index spells it
    assert fb.own_df(harbour) == 4 and fb.own_df("rivertown") == 1 and fb.own_df("news") == 0
    assert fb.idf("news") > fb.idf("rivertown") > fb.idf(harbour) > 0


def test_lead_in_next_reads_the_sentence_before_without_the_title(corpus) -> None:
    """Every passage holds the title word 'news'; only its own words make a sentence a lead-in."""
    f = features(corpus, "news", "news", kind="other", subject="")
    assert all(row["lead_in_next"] == 0.0 for row in f.values())
    f = features(corpus, "harbour spoke", "harbour spoke", kind="other", subject="")
    assert f["“The harbour will reopen after the repairs,” Strand said."]["lead_in_next"] > 0


def test_a_calendar_date_is_stronger_when_evidence_than_a_relative_one(corpus) -> None:
    from bot.answering.evidence import date_evidence

    assert date_evidence("They spoke by phone on Jan. 3.") == 1.0
    assert date_evidence("The plant opened in 2020.") == 1.0
    assert date_evidence("They spoke last week.") == 0.5
    assert date_evidence("They spoke about the harbour.") == 0.0
    f = features(corpus, "harbour", "harbour", kind="when", subject="")
    assert f["Mayor Ida Strand spoke about the harbour on Monday."]["typed_evidence"] == 0.5


def test_a_relative_date_pointing_away_from_the_questions_tense_is_weak_when_evidence() -> None:
    from bot.answering.evidence import date_evidence
    from bot.answering.questions import analyse

    assert analyse("When did the mayor open the harbour?").tense == "past"
    assert analyse("When will the harbour reopen?").tense == "future"
    assert analyse("When does the harbour open?").tense is None
    assert date_evidence("Talks will be held next week.", "past") == 0.25
    assert date_evidence("Talks will be held next week.", "future") == 1.0  # set ahead: a plan's date
    assert date_evidence("Talks were held last week.", "future") == 0.25
    assert date_evidence("Talks were held last week, and again on Monday.", "future") == 0.5
    assert date_evidence("Talks were held on Jan. 3 and will resume next week.", "past") == 1.0


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("About 2,500 boats use the harbour.", True),
        ("Two ferries were cancelled.", True),
        ("The plant opened in 2020.", False),  # a year is not a count
        ("They spoke by phone on Jan. 3.", False),  # nor a day of a month
        ("The council met at 19:00 on Jan. 3, with 12 members.", True),  # a count beside a date
        ("The harbour reopened.", False),
        ("Talks resumed on Monday, Jan. 16th.", False),
    ],
)
def test_a_count_is_a_number_that_is_not_a_date_or_a_year(sentence: str, count: bool) -> None:
    from bot.answering.evidence import has_count

    assert has_count(sentence) is count


@pytest.mark.parametrize(
    "sentence",
    [
        "They met in the night.",
        "They met in the nıght.",  # dotless i: re.IGNORECASE reads it as "i"
        "They met on Monday.",
        "They met on MONDAY.",
        "They met on MONDAY, the day after.",
        "They meet tomorrow.",
        "They met last week.",
        "They met in May.",
        "They met in ſeptember.",  # long s
        "They met at the harbour.",
        "They met twice.",
        "They met at 7 p.m.",
        "The talks, held in 2020, failed.",
    ],
)
def test_has_date_skips_the_pattern_only_where_it_cannot_match(sentence: str) -> None:
    from bot.answering.evidence import DATE_RE, has_date

    assert has_date(sentence) is bool(DATE_RE.search(sentence))


@pytest.fixture(scope="module")
def transcript(tmp_path_factory: pytest.TempPathFactory):
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("transcript")
    docs = root / "corpus"
    docs.mkdir()
    body = "\n\n".join(
        [
            "Ida Strand: The harbour will reopen in June.",
            "The quay repairs are ahead of schedule.",
            "The harbour cranes arrive in May.",
            "Paul Lund: The harbour fees will stay as they are.",
        ]
    )
    (docs / "briefing.txt").write_text(
        f"title: Briefing\npublished: 2022-06-01\n\n{body}\n", encoding="utf-8"
    )
    c = Corpus(docs, root / "index")
    c.open()
    return c


def test_turn_position_counts_the_sentences_since_the_speakers_turn_began(transcript) -> None:
    """A transcript label holds until the next: Strand's turn is three sentences, Lund's one."""
    f = features(transcript, "strand harbour quay", "harbour quay")
    assert f["Ida Strand: The harbour will reopen in June."]["turn_position"] == 0.0
    assert f["The quay repairs are ahead of schedule."]["turn_position"] == pytest.approx(0.25)
    assert f["The harbour cranes arrive in May."]["turn_position"] == pytest.approx(0.5)
    assert f["Paul Lund: The harbour fees will stay as they are."]["turn_position"] == 0.0  # a new turn
    other = features(transcript, "harbour quay", "harbour quay", kind="other", subject="")
    assert all(row["turn_position"] == 0.0 for row in other.values())  # a said-question feature


@pytest.fixture(scope="module")
def terms_of_office(tmp_path_factory: pytest.TempPathFactory):
    """Marsh and Ode are vice presidents in 2016; in 2021 Marsh is president, Ode a former vice
    president and Nolan the vice president. All three say the same words in 2021."""
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("tenure")
    docs = root / "corpus"
    docs.mkdir()
    articles = [
        ("a.txt", "2016-05-02", "Vice President Alan Marsh", "Marsh", ["The cranes are old.", "It is slow."]),
        ("b.txt", "2016-08-10", "Vice President Carl Ode", "Ode", ["The roads are bad.", "It is shut."]),
        ("c.txt", "2021-03-04", "President Alan Marsh", "Marsh", ["The harbour strike has ended."]),
        ("d.txt", "2021-03-05", "Vice President Beth Nolan", "Nolan", ["The harbour strike has ended."]),
        ("e.txt", "2021-03-06", "Former Vice President Carl Ode", "Ode", ["The harbour strike has ended."]),
    ]
    for name, day, who, surname, quotes in articles:
        body = "\n\n".join([f"{who} spoke to reporters."] + [f"“{q}” {surname} said." for q in quotes])
        (docs / name).write_text(f"title: Port news\npublished: {day}\n\n{body}\n", encoding="utf-8")
    c = Corpus(docs, root / "index")
    c.open()
    return c


@pytest.fixture(scope="module")
def readout(tmp_path_factory: pytest.TempPathFactory):
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("readout")
    docs = root / "corpus"
    docs.mkdir()
    body = "\n\n".join(
        [
            "Mayor Ida Strand spoke about the harbour fees.",
            "Many boats leave the harbour in winter.",
            "Strand explained that the harbour fees are high. The mayor believes that lower harbour fees"
            " would keep the boats. The harbour was built in 1900.",
            "Paul Lund said the harbour is busy.",
        ]
    )
    (docs / "readout.txt").write_text(
        f"title: Meeting with the mayor\npublished: 2022-06-01\n\n{body}\n", encoding="utf-8"
    )
    c = Corpus(docs, root / "index")
    c.open()
    return c


def test_the_holder_of_a_role_is_read_at_each_candidates_article_date(terms_of_office, monkeypatch) -> None:
    """'The vice president' in a 2021 article is Nolan: not Marsh (president by then) nor Ode
    ("former"), though both were vice presidents and are quoted more."""
    from bot.answering import features

    ask = "What did the vice president say about the harbour strike?"
    ans = terms_of_office.answer(ask)
    assert ans.found and ans.citations[0].speaker == "Beth Nolan"
    monkeypatch.setattr(features, "OUT_OF_ROLE", 1.0)  # without the dates, a holder of 2016 wins
    assert terms_of_office.answer(ask).citations[0].speaker != "Beth Nolan"


def test_block_share_splits_the_topic_among_a_speakers_run(transcript) -> None:
    """Strand's turn holds "harbour" in its first sentence and "quay" in its second: each holds its part
    of what the turn covers. Lund's sentence is a block of its own, so it holds all of its block's."""
    f = features(transcript, "strand harbour quay", "harbour quay")
    first = f["Ida Strand: The harbour will reopen in June."]["block_share"]
    second = f["The quay repairs are ahead of schedule."]["block_share"]
    assert 0 < first < 1 and 0 < second < 1
    assert first + second == pytest.approx(1.0)
    assert f["The harbour cranes arrive in May."]["block_share"] == pytest.approx(first)
    assert f["Paul Lund: The harbour fees will stay as they are."]["block_share"] == pytest.approx(1.0)
    assert first == pytest.approx(f["Ida Strand: The harbour will reopen in June."]["topic_coverage"])


@pytest.fixture(scope="module")
def reworded(tmp_path_factory: pytest.TempPathFactory):
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("reworded")
    docs = root / "corpus"
    docs.mkdir()
    for name, body in (
        ("a", "The harbour will reopen in June after the repairs, Mayor Ida Strand said."),
        ("b", "Mayor Ida Strand said the harbour will reopen in June after repairs."),
        ("c", "Boat owners will pay no harbour fees this summer."),
    ):
        text = f"title: {name}\npublished: 2022-06-01\n\n{body}\n"
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    c = Corpus(docs, root / "index")
    c.open()
    return c


def test_a_near_duplicate_is_cited_after_the_other_sentences(reworded) -> None:
    """The same news reworded in another article is cited last: the third sentence, ranked below
    it, is another piece of the answer."""
    ans = reworded.snapshot.answerer
    idx = ans.index
    by_text = {idx.sentence(s): s for s in range(idx.n_sentences)}
    order = [
        "The harbour will reopen in June after the repairs, Mayor Ida Strand said.",
        "Mayor Ida Strand said the harbour will reopen in June after repairs.",
        "Boat owners will pay no harbour fees this summer.",
    ]
    cands = [Candidate(by_text[t], 0.0, float(3 - i)) for i, t in enumerate(order)]
    cited = [c.sentence for c in ans.builder.cite(cands)]
    assert cited == [order[0], order[2], order[1]]


def test_reported_on_reads_the_speakers_unattributed_points(readout) -> None:
    """A readout names its speaker once and reports her points on: a bare sentence between two of
    hers, and a view with her role as subject after her indirect speech, are hers in effect; a
    narrative sentence after it, and any sentence for a speaker not linked, are not."""
    f = features(readout, "strand harbour fees", "harbour fees")
    assert f["Many boats leave the harbour in winter."]["reported_on"] == 1.0  # between two of hers
    assert f["The mayor believes that lower harbour fees would keep the boats."]["reported_on"] == 1.0
    assert f["The harbour was built in 1900."]["reported_on"] == 0.0  # narrative, by its form
    assert f["Strand explained that the harbour fees are high."]["reported_on"] == 0.0  # attributed already
    assert f["Paul Lund said the harbour is busy."]["reported_on"] == 0.0
    other = features(readout, "harbour fees", "harbour fees", kind="other", subject="")
    assert all(row["reported_on"] == 0.0 for row in other.values())  # a said-question feature


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("The governor believes that the rule holds young workers back.", True),
        ("She also thinks the port should stay open.", True),
        ("There would be more room for boats if the quay were longer.", True),
        ("Any attempt to close the port is part of a campaign.", False),
        ("The port was built in 1900.", False),
    ],
)
def test_reported_speech_by_form(text: str, reported: bool) -> None:
    from bot.answering.features import _reported_by_form

    assert _reported_by_form(text) is reported


def test_who_is_a_role_held_in_succession_names_the_last_holder(tmp_path) -> None:
    """ "who is the mayor": Lind held it in 2021, Berg from 2023, so "is" asks for Berg, and "in 2021"
    for Lind; two holders at once (Lind and Berg in 2021 and 2023) are no answer and fall back to
    retrieval."""
    from bot.corpus import Corpus

    def corpus(name: str, articles: list[tuple[str, str, str]]) -> Corpus:
        docs = tmp_path / name / "corpus"
        docs.mkdir(parents=True)
        for i, (day, who, quote) in enumerate(articles):
            body = f"Mayor {who} spoke to reporters.\n\n“{quote},” {who.split()[-1]} said."
            (docs / f"{i}.txt").write_text(
                f"title: Port news\npublished: {day}\n\n{body}\n", encoding="utf-8"
            )
        c = Corpus(docs, tmp_path / name / "index")
        c.open()
        return c

    one_after_another = corpus(
        "succession",
        [
            ("2021-03-01", "Ann Lind", "The quay is open"),
            ("2021-09-01", "Ann Lind", "The cranes are old"),
            ("2023-03-01", "Bo Berg", "The ferry runs again"),
            ("2023-09-01", "Bo Berg", "The fees will fall"),
        ],
    )
    ans = one_after_another.answer("Who is the mayor?")
    assert ans.found and ans.head == "The corpus names Bo Berg as the mayor:"
    # A year asked: the holder then, read from the articles dated in it, citing one that states it.
    then = one_after_another.answer("Who was the mayor in 2021?")
    assert then.found and then.head == "The corpus names Ann Lind as the mayor in 2021:"
    assert then.citations[0].sentence == "Mayor Ann Lind spoke to reporters."
    at_once = corpus(
        "overlap",
        [
            ("2021-03-01", "Ann Lind", "The quay is open"),
            ("2021-09-01", "Bo Berg", "The cranes are old"),
            ("2023-03-01", "Ann Lind", "The ferry runs again"),
            ("2023-09-01", "Bo Berg", "The fees will fall"),
        ],
    )
    assert not at_once.answer("Who is the mayor?").head.startswith("The corpus names")


def test_after_premise_marks_the_sentence_after_a_restated_premise_in_the_same_turn(transcript) -> None:
    """ "What did Strand say about the quay repairs she ordered": the premise held by Strand's second
    sentence marks her third; the premise held by her third marks no sentence of Lund's turn."""
    idx = transcript.index
    fb = FeatureBuilder(idx, transcript.snapshot.answerer.retriever)
    strength = np.array([1.0 if "strand" in s["names"] else 0.0 for s in idx.speakers])

    def after_premise(premise: str) -> dict[str, float]:
        q = Query(
            "said",
            tokenize("strand harbour quay cranes"),
            tokenize("harbour quay cranes"),
            ["strand"],
            strength,
        )
        q.premise = tokenize(premise)
        cands = fb.build(q)
        col = FEATURES.index("after_premise")
        return {idx.sentence(int(s)): float(row[col]) for s, row in zip(cands.sents, cands.X, strict=True)}

    f = after_premise("quay repairs")
    assert f["The harbour cranes arrive in May."] == pytest.approx(1.0)
    assert f["The quay repairs are ahead of schedule."] == 0.0
    g = after_premise("cranes")
    assert g["Paul Lund: The harbour fees will stay as they are."] == 0.0  # another speaker's turn
    assert all(v == 0.0 for v in after_premise("").values())


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory):
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("council")
    docs = root / "corpus"
    docs.mkdir()
    for name, day, body in (
        (
            "tax.txt",
            "2022-06-14",
            "Mayor Ida Strand spoke to the council.\n\n“The harbour tax will fall,” Strand said.",
        ),
        (
            "berg.txt",
            "2023-03-02",
            "Karl Berg answered the mayor.\n\n“The harbour tax is far too high,” Berg said.\n\n"
            "“School meals must stay free,” Berg said.",
        ),
        (
            "meals.txt",
            "2023-05-01",
            "Mayor Ida Strand visited a school.\n\n“School meals cost too much,” Strand said.",
        ),
    ):
        (docs / name).write_text(f"title: Council\npublished: {day}\n\n{body}\n", encoding="utf-8")
    c = Corpus(docs, root / "index")
    c.open()
    return c


@pytest.mark.parametrize("follow_up", ["And what did Berg say about it?", "what did Berg say about that?"])
def test_another_subject_on_it_keeps_the_topic_of_the_turn_before(council, follow_up: str) -> None:
    """ "It" after a question on the harbour tax is the harbour tax, whoever is asked about now; a
    follow-up's opening "and" is no part of the question."""
    first = council.answer("What did Strand say about the harbour tax?")
    assert first.found and first.conversation is not None
    berg = council.answer(follow_up, context=first.conversation)
    assert berg.found and [c.sentence for c in berg.citations][:1] == [
        "“The harbour tax is far too high,” Berg said."
    ]
    assert berg.conversation is not None and berg.conversation.topic == "the harbour tax"
    assert berg.conversation.subject is not None and "Berg" in berg.conversation.subject


def test_when_did_another_subject_say_it_dates_their_quote_on_the_topic(council) -> None:
    first = council.answer("What did Strand say about the harbour tax?")
    when = council.answer("When did Berg say it?", context=first.conversation)
    assert when.found and [c.sentence for c in when.citations] == [
        "“The harbour tax is far too high,” Berg said."
    ]
    assert when.head == "Karl Berg said it in an article of 2023-03-02:"
    again = council.answer("When did she say it?", context=first.conversation)  # still Strand's quote
    assert again.head == "Ida Strand said it in an article of 2022-06-14:"


@pytest.mark.parametrize("follow_up", ["And Berg?", "what about Karl Berg?"])
def test_a_follow_up_naming_someone_else_asks_the_same_of_them(council, follow_up: str) -> None:
    first = council.answer("What did Strand say about the harbour tax?")
    berg = council.answer(follow_up, context=first.conversation)
    assert berg.found and [c.sentence for c in berg.citations][:1] == [
        "“The harbour tax is far too high,” Berg said."
    ]
    assert berg.conversation is not None and berg.conversation.topic == "the harbour tax"


def test_article_bm25_prefers_the_article_that_holds_the_whole_said_question(tmp_path: Path) -> None:
    # "What did Strand tell Berg about the bridge": both articles hold Strand on the bridge; only the
    # call's article holds Berg (its title), though its sentence does not name him.
    c = build_corpus(
        tmp_path,
        {
            "call.txt": (
                "Telephone conversation with Governor Lars Berg",
                ["Strand said the bridge will open."],
            ),
            "talk.txt": (
                "Council meeting",
                ["Strand said the bridge is too narrow.", "The council met for an hour.", "Rain fell."],
            ),
        },
        "2022-06-01",
    )
    idx = c.index
    fb = FeatureBuilder(idx, c.snapshot.answerer.retriever)
    scores = fb.article_scores(tokenize("strand berg bridge"))
    titles = [a["title"] for a in idx.articles]
    call, talk = (
        titles.index("Telephone conversation with Governor Lars Berg"),
        titles.index("Council meeting"),
    )
    assert scores[call] > scores[talk] > 0
    strength = np.array([1.0 if "strand" in s["names"] else 0.0 for s in idx.speakers])
    got = {}
    for kind in ("said", "other"):
        q = Query(kind, tokenize("strand berg bridge"), tokenize("bridge"), tokenize("strand"), strength)
        cands = fb.build(q)
        got[kind] = {
            idx.sentence(int(s)): row[FEATURES.index("article_bm25")]
            for s, row in zip(cands.sents, cands.X, strict=True)
        }
    assert got["said"]["Strand said the bridge will open."] == pytest.approx(1.0)
    assert 0 < got["said"]["Strand said the bridge is too narrow."] < 1.0
    assert not any(got["other"].values())  # said-questions only: the other kinds' CV lost by it


def test_article_tf_counts_passages_per_article_and_keeps_a_common_term(tmp_path: Path) -> None:
    c = build_corpus(
        tmp_path,
        {
            "a.txt": ("Ferry news", ["The ferry left.", "The ferry came back.", "Gulls."]),
            "b.txt": ("Gulls", ["Gulls."]),
        },
    )
    idx = c.index
    fb = FeatureBuilder(idx, c.snapshot.answerer.retriever)
    titles = [a["title"] for a in idx.articles]
    a, b = titles.index("Ferry news"), titles.index("Gulls")
    tf = fb.article_tf("ferri")
    assert tf is not None and tf.tolist()[a] == 3 and tf.tolist()[b] == 0  # a title word: every passage
    assert fb.article_tf("nowhereword") is None
    assert fb.retriever.term_id("ferri") in fb._article_tf  # in more passages than there are articles
    warm = FeatureBuilder(idx, c.snapshot.answerer.retriever)
    warm.warm()  # the commonest terms are counted ahead, to the same counts
    assert warm.retriever.term_id("ferri") in warm._article_tf_warm
    assert warm.article_tf("ferri").tolist() == tf.tolist()


def test_name_mates_are_the_other_words_of_a_persons_full_name() -> None:
    from bot.answering.names import name_mates

    text = "Journalist Nabil Hasan al-Quaety met President Olek Varta and the Supreme Court."
    assert name_mates(text, "quaeti") == {"nabil", "hasan"}  # "al": a particle
    assert name_mates(text, "varta") == {"olek"}  # "President": a role
    assert name_mates(text, "court") == set()  # a body's words are no one's name


@pytest.mark.parametrize(
    ("question", "terms"),
    [
        ("what did Lund say about the harbour at the council meeting", ["council", "meet"]),
        ("what was Lund's message to sailors in his harbour day address", ["harbor", "day", "address"]),
        (
            "what did Lund say about taxes when he met the Dutch, Danish and Swedish ministers",
            ["dutch", "danish", "swedish", "minist"],
        ),
        ("what did Lund say about the harbour", []),
    ],
)
def test_the_occasion_a_question_names_is_read_from_its_end(question: str, terms: list[str]) -> None:
    from bot.answering.questions import occasion

    assert occasion(question) == terms


def test_occasion_title_marks_the_article_reporting_that_occasion(tmp_path: Path) -> None:
    """ "What did Strand say about the bridge at the council meeting": of her two sentences on the
    bridge, the one in the article titled for the council meeting is from it."""
    c = build_corpus(
        tmp_path,
        {
            "meeting.txt": ("Council meeting on the harbour", ["Strand said the bridge will open."]),
            "visit.txt": ("Visit to the school", ["Strand said the bridge is too narrow."]),
        },
        "2022-06-01",
    )
    idx = c.index
    fb = FeatureBuilder(idx, c.snapshot.answerer.retriever)
    strength = np.array([1.0 if "strand" in s["names"] else 0.0 for s in idx.speakers])
    q = Query(
        "said", tokenize("strand bridge council meet"), tokenize("bridge council meet"), ["strand"], strength
    )
    q.occasion = tokenize("council meeting")
    cands = fb.build(q)
    got = {
        idx.sentence(int(s)): row[FEATURES.index("occasion_title")]
        for s, row in zip(cands.sents, cands.X, strict=True)
    }
    assert got["Strand said the bridge will open."] == pytest.approx(1.0)
    assert got["Strand said the bridge is too narrow."] == 0.0


def test_only_a_day_of_words_reported_that_day_is_an_events_day() -> None:
    """ "his march 18 address" dates the address's own article; "the december 10 tornadoes" dates an
    event reported the days after, whose articles are not that day's (questions.occasions.same_day)."""
    from bot.answering.answerer import _same_day_occasion
    from bot.periods import find_period

    def same_day(question: str) -> bool:
        return _same_day_occasion(find_period(question, any_year=True))

    assert same_day("what did she ask in his march 18 video address")
    assert not same_day("who did fema name for the december 10 kentucky tornadoes")
    assert not same_day("what did she say in her address on march 18")  # not an attribute
