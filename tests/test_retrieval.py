"""Tests for bot.retriever: BM25 over sentences (each with its article's title), on small corpora."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import build_corpus
from rank_bm25 import BM25Okapi

from bot.index import BM25_PARAMS
from bot.retriever import Retriever
from bot.text import tokenize

ARTICLES = {
    "bridge.txt": (
        "Old bridge closed in Rivertown",
        [
            "Engineers found deep cracks in the pillars of the old bridge on Monday.",
            "The council closed the bridge to all traffic until repairs are finished.",
            "Local shops say they have lost customers.",
        ],
    ),
    "harvest.txt": (
        "Farmers expect a record harvest",
        [
            "Wheat farmers across the region expect a record harvest this summer.",
            "Warm weather and late rain helped the crops.",
            "Prices for bread could fall by autumn, traders said.",
        ],
    ),
    "talks.txt": (
        "Çavuşoğlu and Blinken discuss tension",
        [
            "Turkish Foreign Minister Mevlüt Çavuşoğlu spoke with Antony Blinken on Jan. 3.",
            "The Russians have moved an estimated 100,000 troops toward Ukraine.",
            "The ministers discussed the harvest of cooperation between the two allies.",
        ],
    ),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("retrieval")
    return build_corpus(root, ARTICLES).index


@pytest.fixture(scope="module")
def retriever(index) -> Retriever:
    return Retriever(index)


def _sentence_no(index, text: str) -> int:
    found = [i for i in range(index.n_sentences) if index.sentence(i) == text]
    assert len(found) == 1, text
    return found[0]


def _title_of(index, sent: int) -> str:
    return index.articles[int(index.sent_article[sent])]["title"]


def test_index_holds_every_sentence_verbatim(index) -> None:
    expected = {s for _, paras in ARTICLES.values() for s in paras}
    assert {index.sentence(i) for i in range(index.n_sentences)} == expected


def test_scores_equal_rank_bm25_okapi(index, retriever: Retriever) -> None:
    """Each passage is the sentence's terms plus its title's; scores match BM25Okapi.get_scores."""
    passages = [tokenize(index.sentence(i)) + tokenize(_title_of(index, i)) for i in range(index.n_sentences)]
    okapi = BM25Okapi(passages, k1=BM25_PARAMS["k1"], b=BM25_PARAMS["b"], epsilon=BM25_PARAMS["epsilon"])
    for query in [
        "bridge cracks",
        "harvest",
        "harvest record wheat",
        "bridge bridge",
        "troops Ukraine 100,000",
        "Cavusoglu",
        "nothing here at all",
    ]:
        terms = tokenize(query)
        np.testing.assert_allclose(retriever.get_scores(terms), okapi.get_scores(terms), rtol=0, atol=1e-9)


def test_sentence_with_the_query_terms_ranks_first(index, retriever: Retriever) -> None:
    top = retriever.top(tokenize("cracks in the bridge"), k=3)
    assert (
        index.sentence(top[0][0]) == "Engineers found deep cracks in the pillars of the old bridge on Monday."
    )
    assert len(top) > 1 and top[0][1] > top[1][1]


def test_more_query_terms_beat_fewer(index, retriever: Retriever) -> None:
    top = retriever.top(tokenize("record harvest wheat farmers"), k=5)
    assert index.sentence(top[0][0]) == "Wheat farmers across the region expect a record harvest this summer."
    scores = [s for _, s in top]
    assert scores == sorted(scores, reverse=True)


def test_title_counts_for_every_sentence_of_its_article(index, retriever: Retriever) -> None:
    # "Rivertown" is only in the bridge article's title.
    ids, scores = retriever.scores(tokenize("Rivertown"))
    titles = {_title_of(index, int(i)) for i in ids}
    assert titles == {"Old bridge closed in Rivertown"}
    assert len(ids) == 3 and (scores > 0).all()
    shops = _sentence_no(index, "Local shops say they have lost customers.")
    assert shops in ids.tolist()


def test_title_term_lifts_its_articles_sentence_over_another_article(index, retriever: Retriever) -> None:
    # Both sentences hold "harvest"; only one article has it in the title as well.
    top = retriever.top(tokenize("harvest"), k=10)
    first = index.sentence(top[0][0])
    assert _title_of(index, top[0][0]) == "Farmers expect a record harvest"
    assert first == "Wheat farmers across the region expect a record harvest this summer."
    other = _sentence_no(index, "The ministers discussed the harvest of cooperation between the two allies.")
    weather = _sentence_no(index, "Warm weather and late rain helped the crops.")
    scores = dict(top)
    assert scores[weather] > 0  # holds "harvest" only through its title
    assert other in scores


def test_folded_name_and_number_queries_match(index, retriever: Retriever) -> None:
    talks = _sentence_no(
        index, "Turkish Foreign Minister Mevlüt Çavuşoğlu spoke with Antony Blinken on Jan. 3."
    )
    troops = _sentence_no(index, "The Russians have moved an estimated 100,000 troops toward Ukraine.")
    assert retriever.top(tokenize("cavusoglu spoke"), k=1)[0][0] == talks
    assert retriever.top(tokenize("100000 troops"), k=1)[0][0] == troops


def test_unknown_terms_find_nothing(retriever: Retriever) -> None:
    ids, scores = retriever.scores(tokenize("quantum chromodynamics"))
    assert len(ids) == 0 and len(scores) == 0
    assert retriever.top(tokenize("quantum"), k=3) == []
    assert retriever.top([], k=3) == []
    assert retriever.term_id("quantum") is None


def test_top_is_limited_to_k_and_sorted(retriever: Retriever) -> None:
    terms = tokenize("bridge harvest troops weather shops")
    everything = retriever.top(terms, k=100)
    assert len(everything) > 2
    assert retriever.top(terms, k=2) == everything[:2]
    assert [s for _, s in everything] == sorted((s for _, s in everything), reverse=True)


def test_ties_are_broken_by_sentence_order(retriever: Retriever) -> None:
    # Every sentence of the bridge article holds "rivertown" once, through its title only.
    top = retriever.top(tokenize("Rivertown"), k=10)
    tied = [sent for sent, score in top if np.isclose(score, top[0][1])]
    assert tied == sorted(tied)


def test_postings_list_the_sentences_holding_a_term(index, retriever: Retriever) -> None:
    posted = retriever.postings("bridg").tolist()
    assert posted == sorted(posted)
    for i in range(index.n_sentences):
        holds = "bridg" in tokenize(index.sentence(i)) + tokenize(_title_of(index, i))
        assert (i in posted) == holds


def test_retriever_on_the_bundled_corpus(seed_corpus) -> None:
    r = Retriever(seed_corpus.index)
    top = r.top(tokenize("troops moved toward Ukraine"), k=1)
    assert "moved an estimated 100,000 troops" in seed_corpus.index.sentence(top[0][0])


def test_repeated_query_term_counts_twice(retriever: Retriever) -> None:
    once = retriever.get_scores(tokenize("bridge"))
    twice = retriever.get_scores(tokenize("bridge bridge"))
    np.testing.assert_allclose(twice, 2 * once)


def test_bundled_copy_has_no_index(bundled_corpus_copy: Path) -> None:
    assert not any(p.name.startswith(".") for p in bundled_corpus_copy.iterdir())
