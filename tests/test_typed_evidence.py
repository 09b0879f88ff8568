"""Typed evidence that finds the thing asked for: the doer of a "who VERB …" question (a passive
agent, an agent noun, an appointment) and the dates of plans and deadlines, with the pool of
candidates that hold them, on short inline texts written for these tests."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import build_corpus

from bot.answering.evidence import agent_cue, agent_evidence, date_evidence
from bot.answering.features import FeatureBuilder, Query
from bot.answering.questions import analyse
from bot.text import tokenize

MILL = [
    "The old mill in Brenton was rebuilt last year.",
    "The restoration of the mill was financed by the merchant Olaf Berg.",
    "Visitors praised the mill on Sunday.",
    "The rangers were led by Captain Ilse Moor during the flood.",
    "The council appoints Tomas Vik director of the Brenton water board.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return build_corpus(tmp_path_factory.mktemp("typed"), {"mill.txt": ("Brenton notes", MILL)}, "2022-06-01")


@pytest.mark.parametrize(
    ("question", "agent"),
    [
        ("who paid for rebuilding the mill", "paid"),
        ("who commanded the rangers", "commanded"),
        ("who will lead the delegation", "lead"),
        ("who heads the water board", "heads"),
        ("who did the town get back in the swap", None),  # an object, not a doer
    ],
)
def test_a_who_verb_question_keeps_its_verb_as_the_agent_asked_for(question: str, agent: str | None) -> None:
    q = analyse(question)
    assert q.kind == "other" and q.agent == agent


def test_a_who_is_question_keeps_the_role_words_of_the_holder_asked_for() -> None:
    q = analyse("who is the new head of the water board")
    assert q.kind == "who" and q.agent_roles == ("head",)
    assert analyse("who is leading the delegation").agent == "leading"
    assert analyse("who is ida strand").agent_roles == ()


def test_the_agent_cue_holds_the_verbs_class_and_its_agent_nouns() -> None:
    cue = agent_cue("commanded")
    assert cue is not None and "commander" in cue.nouns and "commanded" in cue.verbs
    assert cue.appoints  # a commander is a role: an appointment names one
    assert agent_cue("is") is None
    role = agent_cue(None, ("head",))
    assert role is not None and role.appoints and "appoint" in role.terms


def test_a_passive_agent_of_the_verbs_class_is_full_evidence_another_verbs_half() -> None:
    led = agent_cue("lead")
    assert led is not None
    assert agent_evidence("The rangers were led by Captain Ilse Moor.", led) == 1.0
    assert agent_evidence("The mill was financed by the merchant Olaf Berg.", led) == 0.5
    assert agent_evidence("The rangers walked by the river.", led) == 0.0


def test_an_agent_noun_beside_a_name_and_an_appointment_are_evidence() -> None:
    cue = agent_cue("commanded")
    assert cue is not None
    assert (
        agent_evidence("I spoke with the commander of the Northern Rangers, Colonel Ilse Moor.", cue) == 1.0
    )
    assert agent_evidence("The commander was not there.", cue) == 0.0
    head = agent_cue("heads")
    assert head is not None
    assert agent_evidence("Father Tomas Vik, head of the Brenton Fund, spoke first.", head) == 1.0
    role = agent_cue(None, ("head",))
    assert role is not None
    assert agent_evidence("The council appoints Tomas Vik director of the water board.", role) == 1.0
    assert agent_evidence("Tomas Vik was appointed last week.", role) == 1.0
    assert agent_evidence("The council will appoint a director.", role) == 0.0


def test_part_of_a_year_is_a_calendar_date() -> None:
    assert date_evidence("We will set up the service by mid-2023.") == 1.0
    assert date_evidence("Work starts in early 2024.") == 1.0


def _features(corpus, question: str) -> dict[str, dict[str, float]]:
    from bot.answering.scoring import FEATURES

    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    q = analyse(question)
    terms = [t for t in tokenize(q.text)]
    query = Query("other", terms, terms, [], None, agent=agent_cue(q.agent, q.agent_roles))
    cands = fb.build(query)
    return {
        idx.sentence(int(s)): dict(zip(FEATURES, row, strict=True))
        for s, row in zip(cands.sents, cands.X, strict=True)
    }


def test_a_named_doer_is_the_typed_evidence_of_a_who_verb_question(corpus) -> None:
    f = _features(corpus, "who paid for rebuilding the mill")
    assert f["The restoration of the mill was financed by the merchant Olaf Berg."]["typed_evidence"] == 0.5
    assert f["The old mill in Brenton was rebuilt last year."]["typed_evidence"] == 0.0


def test_the_evidence_pool_brings_the_sentences_naming_the_doer(corpus) -> None:
    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    cue = agent_cue(None, ("director",))
    query = Query(
        "other", tokenize("director water board"), tokenize("director water board"), [], None, agent=cue
    )
    got = [idx.sentence(int(s)) for s in fb.evidence_pool(query, [])]
    assert got == ["The council appoints Tomas Vik director of the Brenton water board."]
    assert not len(fb.evidence_pool(Query("where", ["mill"], ["mill"], [], None), []))
    assert isinstance(fb.evidence_pool(query, []), np.ndarray)


@pytest.mark.parametrize(
    "question",
    [
        "by when does the council want the mill rebuilt",
        "when were the rangers supposed to finish the survey",
        "when is the mill due to reopen",
    ],
)
def test_a_deadline_or_plan_asks_for_a_date_set_ahead(question: str) -> None:
    q = analyse(question)
    assert q.kind == "when" and q.tense == "future"
    assert analyse("when did the rangers finish the survey").tense == "past"


def test_a_date_set_ahead_answers_a_question_on_the_future_as_a_calendar_date_does() -> None:
    assert date_evidence("He will be tested again on Wednesday.", "future") == 1.0
    assert date_evidence("In the next five days, we plan to withdraw the rangers.", "future") == 1.0
    assert date_evidence("We will finish within two weeks.", "future") == 1.0
    assert date_evidence("He will be tested again on Wednesday.") == 0.5  # no plan asked for
    # A past narrative's relative date is no plan, though "next" is in it.
    narrative = "After his arrest on Friday, he was held overnight before appearing in court on the next day."
    assert date_evidence(narrative, "future") == 0.5
    assert date_evidence("They met on Wednesday.", "future") == 0.5


def test_a_count_of_the_thing_asked_for_is_stronger_evidence_than_a_count_of_another() -> None:
    from bot.answering.evidence import count_evidence

    topic = frozenset(tokenize("escape rooms Brenton"))
    assert count_evidence("There are 300 escape rooms in the town.", topic) == 1.0
    assert count_evidence("The town has over 1,000 in Brenton alone.", topic) == 1.0  # its noun elided
    assert count_evidence("The mill lost 12 billion rubles.", topic) == 1.0  # a unit of money
    assert count_evidence("A fire killed five girls at an escape room.", topic) == 0.5
    assert count_evidence("The rooms opened in 2019.", topic) == 0.0  # a year counts nothing
    assert count_evidence("Seventy percent of the town's visitors go there.", topic) == 1.0  # a share
    # A count joined to its noun by a hyphen counts that noun, not an elided one.
    assert count_evidence("It is a 16-jurisdiction plan for Brenton.", topic) == 0.5
    assert count_evidence("Brenton has a 300-room escape quarter.", topic) == 1.0


def test_how_many_units_of_time_asks_how_long() -> None:
    """ "For how many years …" asks a duration, as "how long" does: "within 15 years" answers it, a
    count of something else does not."""
    from bot.answering.evidence import measure_evidence

    q = analyse("for how many years will the talks on the island run")
    assert q.kind == "how_many" and q.unit_classes == ("duration",)
    assert analyse("how many ships sailed").unit_classes == ()
    topic = frozenset(tokenize("talks island run"))
    assert measure_evidence("Talks on the island would run within 15 years.", q.unit_classes, topic) == 1.0
    assert measure_evidence("Talks on the island drew 15 ships.", q.unit_classes, topic) < 1.0


def test_only_sentences_with_a_month_or_a_year_are_read_for_a_calendar_date(tmp_path) -> None:
    from bot.corpus import Corpus

    docs = tmp_path / "corpus"
    docs.mkdir()
    lines = [
        "The survey of the mill ends by mid-2023.",
        "The survey of the mill ends soon.",
        "Rangers met on Jan. 3.",
    ]
    body = "\n\n".join(lines)
    (docs / "survey.txt").write_text(f"title: Survey\npublished: 2022-06-01\n\n{body}\n", encoding="utf-8")
    c = Corpus(docs, tmp_path / "index")
    c.open()
    fb = FeatureBuilder(c.index, c.snapshot.answerer.retriever)
    marked = {c.index.sentence(i): bool(v) for i, v in enumerate(fb.calendar_rows())}
    assert marked == {lines[0]: True, lines[1]: False, lines[2]: True}
    q = Query("when", tokenize("survey mill end"), tokenize("survey mill end"), [], None, tense="future")
    got = [c.index.sentence(int(s)) for s in fb.evidence_pool(q, [])]
    assert got[0] == lines[0] and lines[1] not in got  # best on the topic first; the undated one never


def test_a_measure_of_the_thing_asked_for_answers_how_long() -> None:
    """A duration or length the sentence states answers "how long"; one written before a compound
    noun measures that noun's head, not the topic; "N years ago" is a point in time unless something
    started then or "how long ago" is asked."""
    from bot.answering.evidence import measure_evidence

    long = ("duration", "length")
    tunnel = frozenset(tokenize("tunnel"))
    assert measure_evidence("We dug 45 kilometres in all; this tunnel is 15.5 km.", long, tunnel) == 1.0
    assert measure_evidence("The rig carries a 9-metre tunnel drilling head.", long, tunnel) == 0.5
    assert measure_evidence("The 9-metre tunnel opened on Monday.", long, tunnel) == 1.0
    assert measure_evidence("The tunnel opened on Monday.", long, tunnel) == 0.0
    worked = frozenset(tokenize("Lena Ortiz work plant"))
    assert measure_evidence("Thirty years ago, I started at the plant as a welder.", long, worked) == 1.0
    assert measure_evidence("Thirty years ago the plant was a field.", long, worked) == 0.0
    assert measure_evidence("Thirty years ago the plant was a field.", long, worked | {"ago"}) == 1.0
    assert measure_evidence("She has worked at the plant for 40 years.", long, worked) == 1.0


def test_a_size_is_a_measure_in_any_unit_or_a_count_and_an_age_a_duration() -> None:
    from bot.answering.evidence import measure_evidence
    from bot.answering.questions import analyse

    big, old = analyse("How big is the farm?").unit_classes, analyse("How old is the school?").unit_classes
    farm = frozenset(tokenize("farm"))
    assert measure_evidence("The farm covers 300 hectares.", big, farm) == 1.0
    assert measure_evidence("The farm has 300 cows.", big, farm) == 0.5  # a count of another thing
    assert measure_evidence("There are 12 farms in the valley.", big, farm) == 1.0  # a count of farms
    school = frozenset(tokenize("school"))
    assert measure_evidence("The school is 75 years old.", old, school) == 1.0
    assert measure_evidence("The school has 300 pupils.", old, school) == 0.0  # no age


def test_a_place_in_the_clause_of_the_asked_event_is_stronger_than_a_place_elsewhere() -> None:
    from bot.answering.evidence import place_evidence

    event = frozenset(tokenize("ferry sink"))
    crash = "On Monday morning, a ferry with forty people on board sank off Brenton Point, police said."
    assert place_evidence(crash, event) == 1.0  # place.attached
    assert place_evidence("Its captain was trained by the Navy in Oslo.", event) == 0.75  # elsewhere
    assert place_evidence("The old ferry will sink on Monday, in Lake Varn.", event) == 1.0  # short clause
    assert place_evidence("The ferry was delivered to the Brenton harbour.", event) == 1.0  # "to" beside it
    assert place_evidence("The crew made a call to President Moor.", event) == 0.5  # "to" apart from it
    assert place_evidence("The ferry sank in January.", event) == 0.5  # a month is no place
    assert place_evidence("The head of Varn Ferries spoke.", event) == 0.5  # only the broad pattern
    assert place_evidence("The ferry sank near the island of Kelm.", event) == 1.0
    assert place_evidence("Nobody knows.", event) == 0.0


def test_a_where_question_reads_the_place_of_its_event_not_of_its_names(tmp_path) -> None:
    texts = [
        "Ola Berg now lives in Oslo.",
        "The mill that Ola Berg bought was rebuilt in Brenton.",
    ]
    from bot.answering.scoring import FEATURES

    corpus = build_corpus(tmp_path, {"berg.txt": ("Berg's mill", texts)}, "2022-06-01")
    fb = FeatureBuilder(corpus.index, corpus.snapshot.answerer.retriever)
    terms = tokenize("mill ola berg rebuilt")
    cands = fb.build(Query("where", terms, terms, [], None, names=[tokenize("ola berg")]))
    got = {corpus.index.sentence(int(s)): row for s, row in zip(cands.sents, cands.X, strict=True)}
    f = {s: dict(zip(FEATURES, row, strict=True)) for s, row in got.items()}
    assert f[texts[1]]["typed_evidence"] == 1.0
    assert f[texts[0]]["typed_evidence"] == 0.75  # his name's clause, not the event's


def test_a_bracketed_place_ending_in_a_country_places_the_phrase_before_it() -> None:
    from bot.answering.evidence import place_evidence

    event = frozenset(tokenize("forum opened"))
    opened = "She spoke at the opening of the Brenton Trade Forum (Kelm, Norway)."
    assert place_evidence(opened, event) == 1.0  # place.bracketed, in the event's clause
    assert place_evidence("The award went to Ola Berg (Kelm, Norway).", event) == 0.75  # elsewhere
    assert place_evidence("The forum (Brenton Trade) opened.", event) == 0.0  # no country: no place


def test_a_noun_of_the_event_before_of_and_a_name_places_the_event() -> None:
    from bot.answering.evidence import place_evidence

    event = frozenset(tokenize("run mayor"))
    assert place_evidence("Later he ran for Mayor of Port Brenton in 2019.", event) == 1.0  # place.of_event
    # A name that modifies a noun after it is no place ("of the Norwegian sailors").
    crew = frozenset(tokenize("rescue crew"))
    assert place_evidence("She thanked the crew of the Norwegian sailors.", crew) == 0.5


def test_a_name_the_question_holds_after_of_is_no_place() -> None:
    from bot.answering.evidence import place_evidence

    # "where was Varta killed": the killing *of* Varta says whom, not where.
    event, given = frozenset(tokenize("kill")), frozenset(tokenize("where was varta killed in brenton"))
    killing = "The move follows the killing of Olek Varta in an airstrike last week."
    assert place_evidence(killing, event) == 1.0  # read without the question's words: place.of_event
    assert place_evidence(killing, event, given=given) <= 0.5  # at most the broad place.weak
    # A locative still places, named in the question or not ("the arena in Brenton").
    assert place_evidence("Varta was killed in Brenton.", event, given=given) == 1.0


def test_a_place_after_a_gerund_is_no_place() -> None:
    from bot.answering.evidence import place_evidence

    event = frozenset(tokenize("incubators delivered"))
    assert place_evidence("She spoke on providing Ukrainian hospitals with incubators.", event) == 0.5
    assert place_evidence("The incubators were delivered to the Brenton hospital.", event) == 1.0


def test_a_named_subject_of_an_active_verb_of_the_phrase_is_weaker_agent_evidence() -> None:
    q = analyse("who set up the relief fund")
    assert q.agent == "set_up"  # the phrasal verb's class: establish, found, launch
    cue = agent_cue(q.agent)
    assert cue is not None
    assert agent_evidence("The Brenton council set up the relief fund in May.", cue) == 0.5  # agent.subject
    assert agent_evidence("Olaf Berg and the council established the fund.", cue) == 0.5
    assert agent_evidence("In May, it set up a fund.", cue) == 0.0  # no name in the verb's clause
    assert agent_evidence("The fund was set up last year.", cue) == 0.0  # passive, no agent
    assert agent_evidence("The fund was launched by Mayor Ola Berg.", cue) == 1.0  # agent.passive


@pytest.mark.parametrize(
    ("question", "kind", "measure"),
    [
        ("by what year must the fleet be electric", "when", None),
        ("until what date is the bridge closed", "when", None),
        ("how old was the skipper when she sailed alone", "how_many", "old"),
        ("how fast does the mayor want the pumps delivered", "how_many", "fast"),
        ("how soon will the ferry sail again", "how_many", "soon"),
    ],
)
def test_the_answer_type_is_read_from_the_question(question: str, kind: str, measure: str | None) -> None:
    q = analyse(question)
    assert (q.kind, q.measure) == (kind, measure)
    if measure:
        assert measure not in q.terms  # the measure word asks; it is no word of the topic


def test_an_age_answers_how_old_in_any_of_its_forms() -> None:
    from bot.answering.evidence import measure_evidence

    old = analyse("How old was the skipper?").unit_classes
    skipper = frozenset(tokenize("skipper"))
    for text in (
        "She sailed alone at the age of fifteen.",
        "The sixteen-year-old skipper left Varn.",
        "The skipper, aged 17, left Varn.",
        "The skipper was seventy years old.",
    ):
        assert measure_evidence(text, old, skipper) == 1.0, text
    assert measure_evidence("The skipper left Varn on Monday.", old, skipper) == 0.0


def test_how_fast_is_answered_by_a_time_limit() -> None:
    from bot.answering.evidence import measure_evidence

    fast = analyse("How fast does the mayor want the pumps?").unit_classes
    pumps = frozenset(tokenize("pumps"))
    assert measure_evidence("The pumps must arrive within 24 hours.", fast, pumps) == 1.0
    assert measure_evidence("The pumps must arrive soon.", fast, pumps) == 0.0


def test_a_number_word_counts_but_an_age_or_an_old_year_does_not() -> None:
    from bot.answering.evidence import count_evidence, date_evidence, has_calendar_date

    crew = frozenset(tokenize("women crew"))
    assert count_evidence("There were fifteen of them.", crew) == 1.0  # a teen number word counts
    assert count_evidence("A fire killed two girls, all aged fifteen, at the mill.", crew) == 0.5
    assert count_evidence("The girls, all aged fifteen, were safe.", crew) == 0.0  # an age counts nothing
    assert has_calendar_date("The party was founded in 1869.")  # a year before 1900
    assert date_evidence("The party was founded in 1869.") == 1.0


def test_a_sentence_after_one_dating_its_event_in_the_period_is_of_the_period(tmp_path) -> None:
    """ "in the september protests" filters by article date, yet a December review that dates the
    march "on September 20" two sentences before the count still answers."""
    from conftest import write_article

    from bot.corpus import Corpus

    docs = tmp_path / "corpus"
    write_article(docs, "sep.txt", "Varn notes", ["Tourists praised the ferries of Varn."], "2022-09-21")
    review = [
        "The year in Varn was busy for the ferry company.",
        "Climate protests were held across the country on September 20. Crowds met at noon. "
        "This included marches of 3 thousand protesters in Varn.",
    ]
    write_article(docs, "dec.txt", "A year in review", review, "2022-12-14")
    c = Corpus(docs, tmp_path / "index")
    c.open()
    ans = c.snapshot.answerer.answer("how many people marched in varn in the september climate protests")
    assert ans.found
    assert ans.citations[0].sentence == "This included marches of 3 thousand protesters in Varn."


def test_a_passive_agent_may_stand_a_few_words_after_the_participle() -> None:
    """ "was handed over to him by X", "was paid for in 2019 by X": the "by" names the agent across a
    short gap with no clause mark; after a comma it is another clause's."""
    pay, give = agent_cue("paid"), agent_cue("gave")
    assert pay is not None and give is not None
    assert agent_evidence("The mill was paid for in 2019 by Olaf Berg.", pay) == 1.0
    assert agent_evidence("The map was handed over to him by Mayor Ilse Moor.", give) == 0.5
    assert agent_evidence("The map was handed over, as agreed by Mayor Ilse Moor.", give) == 0.0


def test_a_purpose_of_a_visit_is_a_cause_cue_for_why() -> None:
    from bot.answering.evidence import has_cause

    assert has_cause("In Varn, the mayor will take part in ceremonial events on the occasion of Ferry Day.")
    assert has_cause("The minister flew to Varn to attend the launch.")
    assert has_cause("The delay was blamed on the storm.")
    assert not has_cause("The minister flew to Varn on Monday.")


def test_an_indefinite_phrase_before_a_pronoun_describes_the_person_named_before() -> None:
    from bot.answering.who import describes

    assert describes("A survivor of the Varn flood who lost her home, she rebuilt the mill.")
    assert describes("An engineer by training, he joined the council in 2010.")
    assert not describes("A day later, he left Varn.")  # a phrase of time says nothing of him
    assert not describes("The survivor, she said, rebuilt the mill.")  # not an indefinite phrase
    assert not describes("A survivor of the flood rebuilt the mill.")  # no pronoun it describes


def test_who_is_cites_the_sentence_describing_the_person_first(tmp_path) -> None:
    lines = [
        "Today the mayor will welcome Ilse Moorland to the town hall.",
        "A survivor of the Varn flood who lost her home, she rebuilt the old mill alone.",
        "The mill reopens on Sunday.",
    ]
    c = build_corpus(tmp_path, {"moor.txt": ("Varn notes", lines)}, "2022-06-01")
    ans = c.snapshot.answerer.answer("who is ilse moorland")
    assert ans.found and ans.citations[0].sentence == lines[1]


def test_where_from_asks_for_the_place_after_from() -> None:
    from bot.answering.evidence import place_evidence

    q = analyse("where were the children on the ferry from")
    assert q.kind == "where" and q.place_preposition == "from"
    assert analyse("where did the ferry sink").place_preposition is None
    event = frozenset(tokenize("children ferry"))
    assert place_evidence("The children were all from Brenton, Varnland.", event, "from") == 1.0
    assert place_evidence("The ferry with the children sank near Varn.", event, "from") == 0.5
    assert place_evidence("The ferry with the children sank near Varn.", event) == 1.0


def test_a_count_of_the_counted_noun_in_a_clause_on_the_topic_is_the_best_count() -> None:
    from bot.answering.evidence import OTHER_NOUN_COUNT, count_evidence

    q = analyse("how many statues did the island study examine")
    assert q.counted == ["statues"] and analyse("how many vaccine doses are due").counted == [
        "vaccine",
        "doses",
    ]
    assert analyse("when did the ferry sink").counted == []
    topic, counted = frozenset(tokenize("statues island study examine")), frozenset(tokenize("statues"))
    assert count_evidence("The study examined 93 statues on the island.", topic, counted) == 1.0
    # Another thing of the topic counted, or the statues counted in a clause on nothing asked.
    assert count_evidence("The study used 40 island maps.", topic, counted) == OTHER_NOUN_COUNT
    assert count_evidence("Rangers cleaned 12 statues, said Olaf Berg.", topic, counted) == OTHER_NOUN_COUNT
    assert count_evidence("The study used 40 island maps.", topic) == 1.0  # no counted noun asked


@pytest.mark.parametrize(
    ("question", "head"),
    [
        ("what is the Varn Ferry Fund", "fund"),
        ("what is the book of rangers", "book"),
        ("what is the town planning for the mill", None),  # a verb form: not what a thing is
        ("what was the mill called", None),
    ],
)
def test_what_is_a_thing_keeps_its_head_word_for_definition_evidence(question: str, head: str | None) -> None:
    q = analyse(question)
    assert q.defines == head and q.kind == "other"


def test_a_sentence_saying_what_the_thing_is_is_definition_evidence() -> None:
    from bot.answering.evidence import definition_evidence

    fund = "fund"
    assert (
        definition_evidence("The council launched the Varn Ferry Fund, a trust for the old boats.", fund)
        == 1.0
    )
    assert definition_evidence("The Varn Ferry Fund is a trust for the old boats.", fund) == 1.0
    assert definition_evidence("The Ferry Fund has already been set up - a trust for boats.", fund) == 1.0
    assert definition_evidence("The Varn Ferry Fund paid for the mill.", fund) == 0.0


def test_count_evidence_agrees_with_has_count() -> None:
    """`count_evidence` reads the counts and dates `has_count` found (the patterns run once): it is 0
    exactly where there is no count outside a date or a clock time."""
    from bot.answering.evidence import count_evidence, has_count

    topic = frozenset({"room"})
    for text in (
        "On Jan. 3, 2020 at 19:00 the rooms opened.",  # every number is a date or a time
        "The 116th room opened in 2019.",  # an ordinal and a year
        "Five rooms opened on May 4.",
        "No number at all.",
    ):
        assert (count_evidence(text, topic) > 0) == has_count(text), text


def test_instance_evidence_is_the_asked_noun_beside_a_name() -> None:
    from bot.answering.evidence import instance_evidence

    assert instance_evidence("He quoted lines of the singer Ola Berg on air.", "singer") == 1.0
    assert instance_evidence("She founded the Brenton Bread bakery in 2010.", "bakeri") == 1.0
    assert instance_evidence('The campaign has a theme, "Each for All".', "theme") == 1.0
    assert instance_evidence("The singer was not named.", "singer") == 0.0  # the noun alone
    assert instance_evidence("These are Norway's actions in Kelm.", "action") == 0.0  # owner, place
    assert instance_evidence('"Bakery owners met," she said.', "bakeri") == 0.0  # the opening word


def test_what_time_is_answered_by_a_clock_time_not_a_day() -> None:
    from bot.answering.evidence import clock_evidence, date_evidence

    assert clock_evidence("The quake struck at 7:37 p.m. local time.") == 1.0
    assert clock_evidence("Earlier this year, a quake struck the north.") <= 0.5
    assert clock_evidence("The quake struck on March 3, 2022.") == 0.5  # the day, not the time
    assert date_evidence("The quake struck on March 3, 2022.") == 1.0
