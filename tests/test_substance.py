"""The substance prior of "What did X say?" with no topic (bot.answering.substance), on short inline
texts written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.answering.substance import (
    centrality,
    informativeness,
    is_turn_line,
    label_of,
    substance_prior,
    substance_terms,
)
from bot.corpus import Corpus


@pytest.mark.parametrize(
    "sentence",
    [
        "Good afternoon, Mr President.",
        "Ida Strand: Yes, of course, go ahead.",
        "Let us start with your last question.",
        "Thank you.",
    ],
)
def test_a_line_managing_the_conversation_holds_no_content(sentence: str) -> None:
    assert substance_terms(sentence) == []


def test_content_terms_leave_out_the_label_the_name_and_verbs_of_saying() -> None:
    assert substance_terms("Ida Strand: Exports of grain rose again.") == ["export", "grain", "rose"]
    assert substance_terms("Strand said the quay was repaired.", {"strand"}) == ["quay", "repair"]


def test_a_floor_giving_phrase_marks_a_line_whatever_else_it_holds() -> None:
    assert is_turn_line("To start with, I would like to give the floor to the Harbour Gazette.")
    assert not is_turn_line("The ferry will run to the islands from June.")
    assert label_of("MAYOR STRAND: The ferry runs.") == "MAYOR STRAND: " and label_of("The ferry runs.") == ""


def test_informativeness_saturates_and_centrality_is_an_idf_share() -> None:
    assert informativeness([]) == 0.0
    assert informativeness(["a", "b", "c", "d", "e", "f", "g"]) == 1.0
    assert informativeness(["a", "a"]) < informativeness(["a", "b"])  # distinct terms count
    idf = {"quay": 3.0, "repair": 1.0}.get
    assert centrality(["quay", "repair"], {"quay"}, lambda t: idf(t) or 1.0) == pytest.approx(0.75)
    assert centrality([], {"quay"}, lambda t: 1.0) == 0.0


def test_substance_prior_prefers_what_was_said_and_what_the_article_is_about() -> None:
    lines = [
        "Ida Strand: Good afternoon, colleagues.",
        "Ida Strand: The ferry to the islands will run twice a day.",
        "Ida Strand: The quay repairs will finish in June, before the ferry season.",
        "Ida Strand: We will take the next question, please go ahead.",
    ]
    terms = [substance_terms(x, {"ida", "strand"}) for x in lines]
    turn = [is_turn_line(x) for x in lines]
    prior = substance_prior(terms, turn, [0, 0, 0, 0], lambda a: {"quay", "repair"}, lambda t: 1.0)
    assert prior[0] == 0.0 and prior[3] == 0.0
    assert prior[2] > prior[1] > 0  # both say something; the one on the title's quay repairs more


def test_a_turn_phrase_halves_what_a_line_says() -> None:
    terms = [["harbour", "gazett", "editor"], ["harbour", "gazett", "editor"]]
    prior = substance_prior(terms, [True, False], [0, 1], lambda a: set(), lambda t: 1.0)
    assert prior[0] == pytest.approx(prior[1] / 2)


def test_what_did_x_say_cites_a_statement_before_a_longer_turn_line(
    small_corpus: Callable[..., Corpus],
) -> None:
    c = small_corpus(
        {
            "conference.txt": (
                "Ferry season news conference",
                [
                    "Mayor Ida Strand held a news conference on the ferry season.",
                    "Ida Strand: We will take the last question from the Harbour Gazette, please go ahead.",
                    "Ida Strand: Good afternoon, colleagues, and welcome.",
                    "Ida Strand: The ferry season opens in June with two new boats.",
                    "Carl Dahl: Harbour Gazette.",
                    "Carl Dahl: Will the fares rise?",
                ],
            )
        }
    )
    answer = c.answer("What did Ida Strand say?")
    assert answer.found and answer.citations
    assert answer.citations[0].sentence == "Ida Strand: The ferry season opens in June with two new boats."


def test_a_turns_later_line_is_not_outranked_by_the_labelled_first_one(
    small_corpus: Callable[..., Corpus],
) -> None:
    """The label puts the name's BM25 on a turn's first line only (a large one where the name is rare,
    as among the other articles here); in the substance order it counts for no line, so the turn's
    statement comes before its short opening."""
    others = {
        f"town{i}.txt": (f"Town notes {i}", [f"The town library opened room {i} for readers."])
        for i in range(40)
    }
    c = small_corpus(
        {
            **others,
            "meeting.txt": (
                "Meeting on the harbour",
                [
                    "Mayor Ida Strand met the harbour board.",
                    "Carl Dahl: How are the repairs going?",
                    "Ida Strand: The quay work goes slowly, as ever.",
                    "The new quay, the ferry ramp and the fuel depot will all be finished by the end of "
                    "June, and the harbour reopens in July.",
                ],
            ),
        }
    )
    answer = c.answer("What did Ida Strand say?")
    assert answer.found and answer.citations
    assert answer.citations[0].sentence.startswith("The new quay, the ferry ramp")
