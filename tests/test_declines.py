"""Honest declines for near-miss questions: the cited answer must hold what was asked — the person's
own words, the country asked about — on short inline corpora written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

STARLINK = {
    "starlink.txt": (
        "Minister thanks the Musk family for satellite terminals",
        [
            "Minister Olek Varta met businessman Elon Musk in Lviv on Tuesday.",
            "“We are grateful for the satellite terminals you gave us,” Varta said of Musk’s help.",
            "Varta said the terminals had kept hospitals online.",
        ],
    ),
    "rockets.txt": (
        "Rocket lands upright",
        [
            "A reusable rocket landed upright on a barge on Friday.",
            "“The landing shows that reuse works,” Elon Musk said.",
            "The company plans another launch next month.",
        ],
    ),
}


@pytest.fixture
def starlink(small_corpus: Callable[[dict], object]):
    return small_corpus(STARLINK)


def test_said_question_never_cites_another_speakers_words_naming_the_subject(starlink) -> None:
    ans = starlink.answer("What did Elon Musk say about the satellite terminals?")
    assert all(c.speaker != "Olek Varta" for c in ans.citations)
    assert not any("grateful" in c.sentence for c in ans.citations)


def test_said_question_still_cites_the_subjects_own_words(starlink) -> None:
    ans = starlink.answer("What did Elon Musk say about the rocket landing?")
    assert ans.found
    assert "reuse works" in ans.citations[0].sentence


STORM = {
    "storm.txt": (
        "Storm Kelda strikes the Philippines",
        [
            "Storm Kelda struck the Philippines on Christmas Day.",
            "At least 20 people were killed by Kelda in the central islands.",
            "Thousands of families lost their homes.",
        ],
    ),
    "harvest.txt": (
        "Rice harvest in Vietnam",
        [
            "Farmers in Vietnam brought in a record rice harvest.",
            "Vietnam exported more rice than ever, and people in its cities paid less for it.",
            "Vietnam plans to build new ports.",
        ],
    ),
    "flood.txt": (
        "Floods in Norland",
        [
            "Floods killed 12 people in Norland.",
            "Many people were killed when the river burst its banks.",
        ],
    ),
}


@pytest.fixture
def storm(small_corpus: Callable[[dict], object]):
    return small_corpus(STORM)


def test_a_country_the_article_never_names_declines_even_when_rarer_words_match(storm) -> None:
    ans = storm.answer("How many people did storm Kelda kill in Vietnam?")
    assert not ans.found and not ans.citations
    assert "“Vietnam”" in ans.text  # the user's word, as typed


def test_the_country_the_article_names_answers(storm) -> None:
    ans = storm.answer("How many people did storm Kelda kill in the Philippines?")
    assert ans.found
    assert "20 people" in ans.citations[0].sentence


def test_a_country_asked_in_lower_case_and_possessive_is_read_as_a_name(storm) -> None:
    ans = storm.answer("how many people did storm kelda kill in vietnam's north")
    assert not ans.found and not ans.citations


def _fit_weights():
    import importlib
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    return importlib.import_module("fit_weights")


def test_thresholds_win_nothing_by_declining_what_another_check_declines() -> None:
    import numpy as np

    from bot.answering.scoring import FEATURES, Weights

    fw = _fit_weights()
    row = np.zeros((1, len(FEATURES)))
    row[0, FEATURES.index("article_coverage")] = 0.2  # weak: a gate at 0.25 would decline it
    row[0, FEATURES.index("context_coverage")] = 0.9
    good = row.copy()
    good[0, FEATURES.index("article_coverage")] = 0.9
    weights = Weights({"said": np.zeros(len(FEATURES))}, {})
    must = fw.Item("a", False, "said", row, np.zeros(1), True)
    hit = fw.Item("a", True, "said", good, np.ones(1), True)
    # A must-decline only the gate declines: the loosest gate that declines it wins.
    _, gates = fw.thresholds([must, hit], weights, 100)
    assert gates["article_coverage"] > 0.2
    # Declined already (a name its article lacks): no gate is needed, the loosest is kept.
    must.declined_otherwise = True
    _, gates = fw.thresholds([must, hit], weights, 100)
    assert gates["article_coverage"] == 0.0


def test_a_threshold_choice_is_acceptable_only_under_five_percent_answerable_declined() -> None:
    fw = _fit_weights()
    assert fw.acceptable({"a": (50, 60, 9, 10, 2, 52)})  # 2 of 60
    assert not fw.acceptable({"a": (50, 60, 9, 10, 2, 52), "b": (40, 48, 3, 6, 3, 43)})  # 3 of 48


SENTENCING = {
    "sentencing.txt": (
        "The Varga couple sentenced",
        [
            "The Vargas were sentenced to life in prison on Friday.",
            "“You have caused your children years of suffering,” Judge Mona Ellery told the Vargas.",
            "As revealed at the trial, the Vargas had kept their children indoors for years.",
            "One of the children said in a statement: “I am free now.”",
        ],
    ),
    "court.txt": (
        "A new court opens",
        [
            "A new court building opened in the capital.",
            "“The building is ready for its first trial,” lawyer Piet Oomen said.",
        ],
    ),
}


@pytest.fixture
def sentencing(small_corpus: Callable[[dict], object]):
    return small_corpus(SENTENCING)


def test_a_role_the_article_never_names_is_no_speaker_of_it(sentencing) -> None:
    ans = sentencing.answer("What did the Vargas' defence lawyer say at the sentencing?")
    assert not ans.found and not ans.citations
    assert "no statement by the Vargas' defence lawyer" in ans.text  # the user's words


def test_a_role_the_article_names_answers(sentencing) -> None:
    ans = sentencing.answer("What did the judge say at the sentencing?")
    assert ans.found
    assert "years of suffering" in ans.citations[0].sentence


HEARING = {
    "hearing.txt": (
        "Committee hears the budget plan",
        [
            "The committee met on Tuesday to hear the budget plan.",
            "“Until the whole chamber votes, nobody is drafting anything,” member Tom Kettle said.",
            "The plan also covers the harbour bridge, a report said.",
            "Kettle's colleague Ann Rill said the harbour bridge needs repairs before winter.",
        ],
    ),
}


@pytest.fixture
def hearing(small_corpus: Callable[[dict], object]):
    return small_corpus(HEARING)


def test_a_topic_only_beside_the_speakers_words_is_not_what_they_said_about_it(hearing) -> None:
    # Kettle speaks, and the bridge is named beside his words, by a report and by Rill: not by him.
    ans = hearing.answer("What did Tom Kettle say about the harbour bridge?")
    assert not ans.found and not ans.citations


def test_the_topic_in_the_speakers_own_words_answers(hearing) -> None:
    ans = hearing.answer("What did Ann Rill say about the harbour bridge?")
    assert ans.found
    assert "needs repairs" in ans.citations[0].sentence


def test_an_occasion_may_be_named_around_the_words(hearing) -> None:
    # "at the committee" is when he spoke, which the article names around his words, not in them.
    ans = hearing.answer("What did Tom Kettle say at the committee?")
    assert ans.found
    assert "nobody is drafting" in ans.citations[0].sentence


CUP = {
    "cup.txt": (
        "Rowing team wins the harbour cup",
        [
            "The national rowing team won the harbour cup on Sunday.",
            "Its captain rowed his 100th race and won a third title with the team.",
        ],
    ),
    "lottery.txt": (
        "Lottery sales rise",
        ["The lottery paid out more prize money than ever, its operator said."],
    ),
}


@pytest.fixture
def cup(small_corpus: Callable[[dict], object]):
    return small_corpus(CUP)


def test_what_is_counted_must_be_in_an_article_on_it(cup) -> None:
    # Numbers are there (a 100th race, a third title), but nothing on prize money.
    ans = cup.answer("How much prize money did the rowing team get for winning the harbour cup?")
    assert not ans.found and not ans.citations
    assert "prize money" in ans.text  # the user's words


def test_a_count_of_what_the_article_names_answers(cup) -> None:
    ans = cup.answer("How many races had the captain rowed?")
    assert ans.found


def test_money_asked_by_its_name_is_held_by_its_units(small_corpus: Callable[[dict], object]) -> None:
    corpus = small_corpus(
        {
            **CUP,
            "fund.txt": (
                "The harbour fund's first month",
                ["The harbour fund raised 5 million euros in a month."],
            ),
        }
    )
    ans = corpus.answer("How much money did the harbour fund raise?")  # "money" is never written
    assert ans.found
    assert "5 million euros" in ans.citations[0].sentence


def test_the_thing_quantified_leaves_out_generic_nouns() -> None:
    from bot.answering.questions import analyse

    assert analyse("how much prize money did the team get").quantified == ["prize", "money"]
    assert analyse("how much did trade grow this year").quantified == []
    assert analyse("how many statues did the study examine").quantified == ["statues"]
    assert analyse("how many people were killed in the crash").quantified == []


SLUM = {
    "slum.txt": (
        "Fire sweeps through a slum",
        [
            "A fire swept through a slum in the port city on Sunday, and nine people died.",
            "One activist, Nur Khan Liton, told reporters that arson had been used as a weapon to evict "
            "poor slum dwellers, and that developers were behind it.",
            "The fire service said an electrical fault may have started the blaze.",
        ],
    ),
    "harbour.txt": (
        "Harbour reopens",
        [
            "The harbour reopened on Monday after repairs.",
            "Officials said ships could dock again.",
        ],
    ),
}


@pytest.fixture
def slum(small_corpus: Callable[[dict], object]):
    return small_corpus(SLUM)


def test_a_misspelt_name_the_corpus_writes_is_read_in_its_spelling(slum) -> None:
    assert slum.snapshot.answerer.names.respelt_subject("nur khan litton") == "Nur Khan Liton"
    ans = slum.answer("what did nur khan litton say about arson in the slum")
    assert ans.found
    assert "arson" in ans.citations[0].sentence
    assert "Nur Khan Liton" in ans.text  # the spelling that answered, as the corpus writes it


def test_a_misspelt_name_no_one_quotes_is_asked_again_as_the_corpus_writes_it(small_corpus) -> None:
    corpus = small_corpus(
        {
            "fire.txt": (
                "Market fire",
                [
                    "Firefighters carried Ola Brennan out of the burning market on Sunday.",
                    "Ola Brennan's neighbours said the fire started at night in a bakery.",
                ],
            ),
            "harbour.txt": ("Harbour reopens", ["The harbour reopened on Monday after repairs."]),
        }
    )
    ans = corpus.answer("what did ola brenan say about the fire")
    assert ans.found and ans.note == "showing results for “Ola Brennan”"  # no entity: respelt, said so
    assert ans.citations[0].speaker != "Ola Brennan"  # her neighbours said it, and the answer shows it
    retried = corpus.snapshot.answerer.last_retry
    assert retried == "subject 'ola brenan' is named nowhere as typed; asked as 'Ola Brennan'"


def test_a_name_spelt_right_needs_no_respelling(slum) -> None:
    assert slum.snapshot.answerer.names.respelt_subject("nur khan liton") is None


@pytest.mark.parametrize(
    "question",
    [
        "what did nur khan lopez say about arson",  # no name near "lopez": someone the corpus lacks
        "what did nur ahmed litton say about arson",  # put right, the words are never named together
    ],
)
def test_a_name_near_no_one_the_corpus_names_is_declined_as_typed(slum, question: str) -> None:
    ans = slum.answer(question)
    assert not ans.found
    assert "Liton" not in ans.text  # never a "corrected" name that did not answer


TROOPS = {
    "troops.txt": (
        "Parliament votes on foreign troops",
        [
            "The parliament in Varta voted on Sunday to expel United States troops from the country.",
            "The vote is not binding, officials said, and the government has yet to act on it.",
        ],
    ),
    "harbour.txt": (
        "Harbour reopens",
        ["The harbour reopened on Monday after repairs.", "Officials said ships could dock again."],
    ),
}


def test_a_demonym_is_held_by_its_countrys_name_of_several_words(small_corpus) -> None:
    corpus = small_corpus(TROOPS)
    ans = corpus.answer("why did the parliament vote to expel american troops")
    assert ans.found  # "american": the article's "United States"
    assert "United States troops" in ans.citations[0].sentence or "not binding" in ans.citations[0].sentence
    assert not corpus.answer("why did the parliament vote to expel japanese troops").found


FUND = {
    "fund.txt": (
        "Agency backs assistive devices",
        [
            "The agency launched a partnership with a charity on Monday.",
            "It is committing $25 million towards giving 500 people wheelchairs and hearing aids by 2030.",
        ],
    ),
    "harbour.txt": (
        "Harbour reopens",
        [
            "The harbour reopened on Monday after 3 weeks of repairs.",
            "The port lost money and 40 dollars a day.",
        ],
    ),
}


def test_money_asked_for_is_named_by_a_currency_sign(small_corpus) -> None:
    corpus = small_corpus(FUND)
    ans = corpus.answer("how much money is the agency committing to the partnership")
    assert ans.found  # "$25 million" names money, though "$" is no index term
    assert "$25 million" in ans.citations[0].sentence


ICEBREAKER = {
    "ship.txt": (
        "Ukraine buys a polar ship",
        [
            "Ukraine bought the icebreaker Polar Star for its Antarctic base.",
            "The icebreaker served a British mission before and was renamed this year.",
            "Scientists will sail on it from the spring.",
        ],
    ),
    "grain.txt": (
        "Grain ships leave port",
        [
            "Ukraine paid 12 million dollars for port repairs.",
            "Three grain ships left Odesa on Monday.",
        ],
    ),
}


def test_how_much_is_declined_where_no_sentence_on_it_gives_a_number(small_corpus) -> None:
    corpus = small_corpus(ICEBREAKER)
    ans = corpus.answer("how much did ukraine pay for the polar star icebreaker")
    assert not ans.found  # the ship's story holds no price
    assert "number" in ans.text
    assert corpus.answer("how much did ukraine pay for port repairs").found


JOURNALIST = {
    "aden.txt": (
        "Journalist shot dead in Aden",
        [
            "Journalist Nabil Hasan al-Quaety was shot dead in Aden on Tuesday.",
            "He had worked for a news agency for ten years.",
            "“Nabil's murder is a blow to journalism,” said Sabrina Lenoir of a press freedom group.",
            "Police said they were searching for two men on a motorbike.",
        ],
    ),
    "budget.txt": (
        "City budget passes",
        [
            "“The budget protects schools,” said Sabrina Lenoir, who chairs the council.",
            "The vote was 7 to 2.",
        ],
    ),
}


def test_a_persons_name_in_the_topic_is_held_by_another_part_of_it_in_their_article(small_corpus) -> None:
    corpus = small_corpus(JOURNALIST)
    ans = corpus.answer("what did sabrina lenoir say about the killing of al-quaety")
    assert ans.found  # "Nabil's murder": the article names "Nabil Hasan al-Quaety" in full
    assert "a blow to journalism" in ans.citations[0].sentence
    assert not corpus.answer("what did sabrina lenoir say about the killing of al-hakim").found


FESTIVAL = {
    "festival.txt": (
        "Mayor opens the Harbour Lights Festival",
        [
            "Mayor Ines Holm spoke at the town hall on Monday.",
            "This year's Harbour Lights Festival is scheduled for June 15–18, she said.",
            "The town's Winter Fuel Grant helps families heat their homes.",
            "The grant has paid out more every year since it was established in 1981.",
        ],
    ),
    "ferry.txt": (
        "Ferry timetable changes",
        ["The ferry to the islands will sail twice a day from May.", "Tickets cost less for children."],
    ),
}


@pytest.fixture
def festival(small_corpus: Callable[[dict], object]):
    return small_corpus(FESTIVAL)


def test_a_verb_of_occurrence_asks_nothing_beyond_the_events_name(festival) -> None:
    """ "When is X happening": the sentence naming X's dates need not say "happen"."""
    ans = festival.answer("When is the Harbour Lights Festival happening?")
    assert ans.found
    assert "June 15–18" in ans.citations[0].sentence


def test_a_word_beyond_the_names_may_be_held_by_its_synonym(festival) -> None:
    """ "set up" is held by "established": no decline for want of the question's own word."""
    ans = festival.answer("When was the Winter Fuel Grant set up?")
    assert ans.found
    assert "1981" in ans.citations[0].sentence


def test_a_word_beyond_the_names_that_nothing_holds_still_declines(festival) -> None:
    assert not festival.answer("When was the Harbour Lights Festival cancelled?").found


CALL = {
    "call.txt": (
        "Mayor Ines Holm speaks with the President of Chile",
        [
            "Mayor Ines Holm spoke by phone with the President of Chile on Monday.",
            "“We will send grain to keep food prices down,” Holm said of food security.",
        ],
    ),
    "port.txt": (
        "Harbour reopens",
        ["“The port will reopen next week,” Holm said.", "The ferries will sail again."],
    ),
}


@pytest.fixture
def call(small_corpus: Callable[[dict], object]):
    return small_corpus(CALL)


def test_whom_it_was_said_to_by_country_is_named_in_the_answers_article(call) -> None:
    """ "What did X tell the president of brazil about Y": X's words on Y in an article that never
    names Brazil were said to someone else."""
    for question in (
        "what did holm tell the president of chile about food security",
        "what did holm tell the chilean president about food security",
    ):
        ans = call.answer(question)
        assert ans.found and "grain" in ans.citations[0].sentence, question
    assert not call.answer("what did holm tell the president of brazil about food security").found


MINE = {
    "mine.txt": (
        "Meeting on mine safety",
        [
            "Today we will examine the decisions made 11 years ago after the accident at the Kolva mine.",
            "Safety at coal mines must improve, the minister said.",
        ],
    ),
    "ferry.txt": ("Ferry timetable", ["The ferry will sail twice a day.", "Tickets cost less for children."]),
}


@pytest.fixture
def mine(small_corpus: Callable[[dict], object]):
    return small_corpus(MINE)


def test_a_count_of_the_thing_asked_is_needed_when_the_question_names_it(mine) -> None:
    """ "How many miners were killed in the Kolva mine accident": "11 years ago" counts years, not
    miners, so the corpus gives no such count; asked of years, it answers."""
    assert not mine.answer("how many miners were killed in the Kolva mine accident").found
    ans = mine.answer("how many years ago was the accident at the Kolva mine")
    assert ans.found and "11 years" in ans.citations[0].sentence


CAREER = {
    "career.txt": (
        "Former president Aron Vale dies aged 84",
        [
            "Aron Vale, a former president of Norland, died on Monday.",
            "He became finance minister in 1982.",
            "He was elected president in 2012.",
        ],
    ),
    "vote.txt": (
        "Norland elects a premier",
        ["Ines Holm became premier of Norland in 2019.", "Her party won the vote."],
    ),
}


@pytest.fixture
def career(small_corpus: Callable[[dict], object]):
    return small_corpus(CAREER)


def test_a_role_of_several_words_is_held_whole(career) -> None:
    """ "When did Aron Vale become prime minister": "he became finance minister" holds "minister"
    only; a role is one thing, held by its words or its class's ("premier")."""
    assert not career.answer("when did aron vale become prime minister of norland").found
    ans = career.answer("when did ines holm become prime minister of norland")
    assert ans.found and "2019" in ans.citations[0].sentence


CLINICS = {
    "clinics.txt": (
        "Law schools join the eviction effort",
        [
            "Law schools across the country committed to help prevent evictions this winter.",
            "In all, 99 law schools in 35 states signed the pledge.",
            "Student volunteers will staff court clinics and answer calls from tenants.",
            "Deans said the volunteers would work through the spring term.",
            "At Brookfield Law School, 40 students volunteered to staff the tenant hotline.",
            "Tenant groups welcomed the help and asked landlords for patience.",
            "Students and judges said the courts would open evening sessions.",
            "Landlords' groups said they would meet the deans.",
            "Harvard Law School hosted the launch of the effort.",
            "The dean of Harvard Law School spoke first.",
        ],
    ),
}


def test_a_count_is_of_the_thing_the_name_beside_it_qualifies(small_corpus) -> None:
    """ "How many Harvard law students volunteered" is not answered by the count of law schools in
    an article that names Harvard only further up; the count beside the name answers its own."""
    corpus = small_corpus(CLINICS)
    assert not corpus.answer("how many harvard law students volunteered").found
    brookfield = corpus.answer("how many brookfield law students volunteered")
    assert brookfield.found
    assert brookfield.citations[0].sentence.startswith("At Brookfield Law School, 40 students")


def test_a_count_in_a_turn_whose_speaker_is_stated_with_the_name_is_of_it(small_corpus) -> None:
    """ "How much gas is in Norgas storage": the turn of "Norgas CEO Ida Lind" names Norgas only in
    its label sentences before; the speaker stated with the name holds it around her count."""
    corpus = small_corpus(
        {
            "meeting.txt": (
                "Meeting on gas storage",
                [
                    "Norgas has run the storage sites since 2001.",
                    "The meeting on gas storage was held in the capital on Monday.",
                    "Norgas CEO Ida Lind: Good afternoon.",
                    "Paul Moe: What about storage abroad?",
                    "Ida Lind: We have storage facilities abroad as well.",
                    "They were filled late this year.",
                    "Sadly the pumps were slow.",
                    "The volume of gas in them is a little under 190,000 cubic metres.",
                    "Paul Moe: Thank you.",
                ],
            )
        }
    )
    ans = corpus.answer("how much gas is in norgas storage")
    assert ans.found and ans.citations[0].sentence.endswith("190,000 cubic metres.")
    absence, index = corpus.snapshot.answerer.absence, corpus.snapshot.answerer.index
    rows = {index.sentence(i): i for i in range(index.n_sentences)}
    count = rows["The volume of gas in them is a little under 190,000 cubic metres."]
    assert absence.name_around("norgas", "norga", count)  # her label, four sentences up, names it
    assert not absence.name_around("norgas", "norga", rows["Paul Moe: Thank you."])
