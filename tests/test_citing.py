"""Which sentences an answer cites after its first (bot.answering.citing): the first citation's
neighbours in its paragraph against the runners-up, on a short inline corpus written for these tests."""

from __future__ import annotations

import json
import math

import pytest
from conftest import build_corpus

from bot.answering.citing import CONTEXT_FILE, Candidate, ContextPolicy, _refers_back, load_context
from bot.text import tokenize

PIER = [
    "Storms damaged the pier at Kolby on Sunday. For this reason, the ferry to Norland was stopped. "
    "The ferry will sail again in May. The town also repaved its main square.",
    "The mayor opened a new library.",
]
QUAY = [
    '"The ferry will sail in May," harbour master Ines Holm said. "It will not," Carl Dahl said. '
    '"The ferry was repaired in April," Holm said.',
]
OTHER = ["The ferry company hired ten new crew members."]
POLICY = ContextPolicy(before=1, after=1, margin=3.0)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    return build_corpus(
        tmp_path_factory.mktemp("citing"),
        {"pier.txt": ("Pier news", PIER), "quay.txt": ("Quay news", QUAY), "other.txt": ("Crew news", OTHER)},
        "2022-06-01",
    )


def sent(corpus, start: str) -> int:
    idx = corpus.index
    return next(s for s in range(idx.n_sentences) if idx.sentence(s).startswith(start))


def cited(corpus, ranked: list[tuple[str, float]], **kw) -> list[str]:
    builder = corpus.snapshot.answerer.builder
    cands = [Candidate(sent(corpus, text), 1.0, rank) for text, rank in ranked]
    return [c.sentence for c in builder.cite(cands, **kw)]


FERRY = tuple(tokenize("ferry"))


def test_a_far_runner_up_gives_way_to_the_sentence_pointed_back_to_and_the_one_after(corpus) -> None:
    got = cited(corpus, [("For this reason", 10.0), ("The ferry company", 5.0)], context=POLICY, topic=FERRY)
    # The neighbours read in the article's order after the first citation, which stays first.
    assert got == [
        "For this reason, the ferry to Norland was stopped.",
        "Storms damaged the pier at Kolby on Sunday.",
        "The ferry will sail again in May.",
    ]


def test_a_close_runner_up_keeps_its_slot(corpus) -> None:
    got = cited(corpus, [("For this reason", 10.0), ("The ferry company", 8.0)], context=POLICY, topic=FERRY)
    assert got[:2] == ["For this reason, the ferry to Norland was stopped.", OTHER[0]]
    assert got[2] == "Storms damaged the pier at Kolby on Sunday."  # at 10 - 3, ahead of nothing else


def test_without_a_policy_only_the_runners_up_are_cited(corpus) -> None:
    got = cited(corpus, [("For this reason", 10.0), ("The ferry company", 5.0)], topic=FERRY)
    assert got == ["For this reason, the ferry to Norland was stopped.", OTHER[0]]


def test_the_sentence_before_only_when_the_first_points_back_to_it(corpus) -> None:
    got = cited(corpus, [("The ferry will sail again", 10.0)], context=POLICY, topic=FERRY)
    # "The ferry will …" points back to nothing; the sentence after it holds no word of the topic.
    assert got == ["The ferry will sail again in May."]


def test_the_sentence_after_must_hold_the_topic_and_stay_in_the_paragraph(corpus) -> None:
    got = cited(corpus, [("Storms damaged", 10.0)], context=POLICY, topic=FERRY)
    assert got == [
        "Storms damaged the pier at Kolby on Sunday.",
        "For this reason, the ferry to Norland was stopped.",
    ]
    # The last sentence of a paragraph has no neighbour after it: the next paragraph has moved on.
    got = cited(corpus, [("The town also", 10.0)], context=ContextPolicy(0, 1, math.inf))
    assert got == ["The town also repaved its main square."]


def test_an_empty_slot_is_filled_by_a_neighbour_whatever_the_margin(corpus) -> None:
    got = cited(corpus, [("Storms damaged", 10.0)], context=ContextPolicy(0, 1, math.inf))
    assert got == [
        "Storms damaged the pier at Kolby on Sunday.",
        "For this reason, the ferry to Norland was stopped.",
    ]


def test_voiced_leaves_out_another_speakers_line(corpus) -> None:
    first = '"The ferry will sail in May," harbour master Ines Holm said.'
    other = '"It will not," Carl Dahl said.'
    idx = corpus.index
    assert idx.sent_speaker[sent(corpus, first)] != idx.sent_speaker[sent(corpus, other)]
    policy = ContextPolicy(0, 2, 3.0)
    assert cited(corpus, [(first, 10.0)], context=policy, topic=FERRY) == [first, QUAY[0].split("said. ")[-1]]
    assert other in cited(corpus, [(first, 10.0)], context=ContextPolicy(0, 1, 3.0), voiced=False)
    assert other not in cited(corpus, [(first, 10.0)], context=policy, voiced=True)


def test_a_neighbour_cited_before_is_left_out(corpus) -> None:
    before = sent(corpus, "Storms damaged")
    got = cited(corpus, [("For this reason", 10.0)], context=POLICY, topic=FERRY, exclude=frozenset({before}))
    assert got == ["For this reason, the ferry to Norland was stopped.", "The ferry will sail again in May."]


@pytest.mark.parametrize(
    ("sentence", "back"),
    [
        ("For this reason, he was not granted bail.", True),
        ("“It will reopen in May,” she said.", True),
        ("However, the plan failed.", True),
        ("As a result, prices rose.", True),
        ("The harbour will reopen in May.", False),
        ("For his part, the mayor thanked the crew.", False),
        ("Thistle grows on the island.", False),
    ],
)
def test_refers_back(sentence: str, back: bool) -> None:
    assert _refers_back(sentence) is back


def test_the_shipped_policy_is_fitted(tmp_path) -> None:
    data = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    assert set(data["leave_one_set_out"]) and "fit_citations" in data["fitted_by"]
    path = tmp_path / "citing.json"
    path.write_text(json.dumps({"context": {"before": 1, "after": 2, "margin": None}}), encoding="utf-8")
    assert load_context(path) == ContextPolicy(1, 2, math.inf)  # a file fitted before the lift
    lifted = tmp_path / "lifted.json"  # (read once per path)
    lifted.write_text(json.dumps({"context": {"before": 0, "after": 1, "margin": 2.5, "lift": 1.0}}))
    assert load_context(lifted) == ContextPolicy(0, 1, 2.5, 1.0)
    assert load_context(tmp_path / "absent.json") == ContextPolicy()


def test_a_neighbour_among_the_candidates_is_lifted_over_a_runner_up_that_scores_alike(corpus) -> None:
    ranked = [("Storms damaged", 10.0), ("The ferry company", 8.0), ("For this reason", 7.5)]
    # Without a lift the other article's sentence, a little better, comes first ...
    got = cited(corpus, ranked, context=ContextPolicy(0, 1, 3.0), topic=FERRY)
    assert got[1] == OTHER[0]
    # ... with one the passage reads on from the first citation.
    got = cited(corpus, ranked, context=ContextPolicy(0, 1, 3.0, lift=1.0), topic=FERRY)
    assert got[1] == "For this reason, the ferry to Norland was stopped."
