"""The retriever's scores are rank-bm25's `BM25Okapi.get_scores`, to 1e-9, on thousands of passages.

Each passage is what the index counted for a sentence: its terms plus its article's title's.
Queries repeat terms, name terms the corpus lacks, and use terms found in more than half of
the passages (negative idf, replaced by rank-bm25's epsilon floor).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.index import BM25_PARAMS, CorpusIndex
from bot.index_build import assemble
from bot.index_store import IndexStore
from bot.ingest import ArticleChunk
from bot.refresh import refresh
from bot.retriever import Retriever, sorted_unique
from bot.text import tokenize

ATOL = 1e-9


def _okapi(passages: list[list[str]]) -> BM25Okapi:
    return BM25Okapi(passages, k1=BM25_PARAMS["k1"], b=BM25_PARAMS["b"], epsilon=BM25_PARAMS["epsilon"])


def _chunk(article_no: int, sentences: list[list[str]], title: list[str]) -> ArticleChunk:
    """A synthetic article whose sentence i holds exactly the terms `sentences[i]` (plus the title's)."""
    body, spans = "", []
    for para, words in enumerate(sentences):
        start = len(body)
        body += " ".join(words) + "."
        spans.append((start, len(body), para))
        body += "\n\n"
    local: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for words in sentences:
        for term, n in Counter(words + title).items():
            indices.append(local.setdefault(term, len(local)))
            counts.append(n)
        indptr.append(len(indices))
    return ArticleChunk(
        meta={"article_id": f"a{article_no}", "title": " ".join(title), "file": f"a{article_no}.txt"},
        body=body,
        spans=np.array(spans, dtype=np.int32).reshape(-1, 3),
        terms=list(local),
        indptr=np.array(indptr, dtype=np.int64),
        indices=np.array(indices, dtype=np.int32),
        counts=np.array(counts, dtype=np.uint16),
        speaker_ids=np.full(len(sentences), -1, dtype=np.int32),
        how=np.zeros(len(sentences), dtype=np.uint8),
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[CorpusIndex, list[list[str]], list[str]]:
    """~3,000 passages over a Zipf-like vocabulary; `common` is in 70% of them, `often` in 55%."""
    rng = np.random.default_rng(5)
    vocab = [f"w{i}" for i in range(400)]
    weights = 1 / np.arange(1, len(vocab) + 1) ** 1.1
    weights /= weights.sum()
    chunks, passages = [], []
    for a in range(120):
        title = list(rng.choice(vocab, size=rng.integers(0, 6), p=weights))
        sentences = []
        for _ in range(rng.integers(5, 45)):
            words = list(rng.choice(vocab, size=rng.integers(0, 30), p=weights))
            if rng.random() < 0.7:
                words.append("common")
            if rng.random() < 0.55:
                words += ["often"] * int(rng.integers(1, 4))
            sentences.append(words)
            passages.append(words + title)
        chunks.append(_chunk(a, sentences, title))
    index = assemble(chunks, {}, {}, Path("synthetic"))
    folder = tmp_path_factory.mktemp("exact") / "v1"
    index.save(folder)
    return CorpusIndex.load(folder), passages, vocab


def _queries(rng: np.random.Generator, vocab: list[str], n: int) -> list[list[str]]:
    pool = [*vocab, "common", "often", "absent", "nowhere"]
    out = [["common"], ["often", "often"], ["absent"], [], ["common", "often", "w0", "absent", "w0"]]
    while len(out) < n:
        q = list(rng.choice(pool, size=rng.integers(1, 8)))
        if rng.random() < 0.3:
            q.append(q[0])  # a repeated term counts twice
        out.append(q)
    return out


def test_synthetic_passages_are_what_the_index_counted(synthetic) -> None:
    index, passages, _ = synthetic
    assert index.n_sentences == len(passages) > 2500
    for i in range(0, index.n_sentences, 7):
        terms, counts = index.sentence_terms(i)
        got = {index.vocab[int(t)]: int(c) for t, c in zip(terms, counts, strict=True)}
        assert got == dict(Counter(passages[i]))


def test_negative_idf_terms_get_the_epsilon_floor(synthetic) -> None:
    index, passages, _ = synthetic
    okapi = _okapi(passages)
    r = Retriever(index)
    for term in ("common", "often"):
        assert sum(term in p for p in passages) > len(passages) / 2
        assert okapi.idf[term] == pytest.approx(BM25_PARAMS["epsilon"] * okapi.average_idf)
        assert r.idf[r.term_id(term)] == pytest.approx(okapi.idf[term], abs=ATOL)


def test_scores_equal_bm25okapi_get_scores(synthetic) -> None:
    index, passages, vocab = synthetic
    okapi = _okapi(passages)
    r = Retriever(index)
    rng = np.random.default_rng(11)
    sets = [set(p) for p in passages]
    for q in _queries(rng, vocab, 2000):
        expected = okapi.get_scores(q)
        np.testing.assert_allclose(r.get_scores(q), expected, rtol=0, atol=ATOL, err_msg=str(q))
        ids, _ = r.scores(q)
        wanted = set(q)
        assert ids.tolist() == [i for i, p in enumerate(sets) if not wanted.isdisjoint(p)]


def test_top_k_is_the_best_of_get_scores(synthetic) -> None:
    index, passages, vocab = synthetic
    okapi = _okapi(passages)
    r = Retriever(index)
    rng = np.random.default_rng(12)
    for q in _queries(rng, vocab, 300):
        expected = okapi.get_scores(q)
        top = r.top(q, k=10)
        holding = sum(not set(q).isdisjoint(p) for p in passages)
        assert len(top) == min(10, holding)
        for sent, score in top:
            assert score == pytest.approx(expected[sent], abs=ATOL)
        if top:
            kth = top[-1][1]
            better = np.flatnonzero(expected > kth + ATOL)
            assert set(better.tolist()) <= {s for s, _ in top}
            pairs = [(-score, sent) for sent, score in top]
            assert pairs == sorted(pairs)  # best first, ties by sentence order


@pytest.mark.parametrize("dense", [False, True])
def test_scores_at_reads_the_scores_at_any_rows(synthetic, monkeypatch, dense: bool) -> None:
    """Both ways of reading a few terms at given rows (binary search, or the dense buffer for many
    rows) give exactly `scores`' sums: same values, added in the same order."""
    import bot.retriever as retriever

    monkeypatch.setattr(retriever, "_DENSE_ROWS", 1 if dense else 10**9)
    monkeypatch.setattr(retriever, "_DENSE_RATIO", 10**9)
    index, _, vocab = synthetic
    r = Retriever(index)
    rng = np.random.default_rng(13)
    for q in _queries(rng, vocab, 300):
        rows = rng.integers(0, index.n_sentences, size=int(rng.integers(0, 2500)))  # unsorted, repeats
        tids = [t for t in map(r.term_id, q) if t is not None]
        expected = r.get_scores(q)[rows]
        got = r.scores_at(tids, rows)
        assert np.array_equal(got, expected), q
        scales = [float(x) for x in rng.uniform(0.5, 2.0, size=len(tids))]
        one_by_one = np.zeros(len(rows))
        for t, s in zip(tids, scales, strict=True):
            one_by_one += r.scores_at([t], rows, [s])
        assert np.array_equal(r.scores_at(tids, rows, scales), one_by_one), q
    # the dense buffer is left clean for the next query
    assert not r._buffers()[0].any()


def test_sorted_unique_is_np_unique() -> None:
    rng = np.random.default_rng(14)
    for size in (0, 1, 2, 5, 1000, 50_000):
        for dtype in (np.int32, np.int64):
            ids = rng.integers(0, max(size // 3, 1), size=size).astype(dtype)
            got = sorted_unique(ids)
            assert got.dtype == dtype and np.array_equal(got, np.unique(ids))


def _write(folder: Path, name: str, title: str, paras: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")


def _corpus_passages(index: CorpusIndex) -> list[list[str]]:
    return [
        tokenize(index.sentence(i)) + tokenize(index.articles[int(index.sent_article[i])]["title"])
        for i in range(index.n_sentences)
    ]


def test_scores_equal_bm25okapi_on_a_real_corpus_and_after_carry_over(tmp_path: Path) -> None:
    """Real text through ingest, then one article added (the rest carried over): exact both times."""
    seed = Path(__file__).resolve().parents[1] / "corpus"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in seed.glob("*.txt"):
        (corpus / p.name).write_bytes(p.read_bytes())
    _write(
        corpus,
        "storm.txt",
        "Storm warning for the coast",
        [
            "Forecasters warned of a storm on the coast on Jan. 3, the U.S. agency said.",
            "“We expect 100,000 homes to lose power. Stay inside,” Gov. Ida Strand told reporters.",
        ],
    )
    store = IndexStore(tmp_path / "index")
    _, index = refresh(corpus, store)
    rng = np.random.default_rng(3)
    for step in range(2):
        passages = _corpus_passages(index)
        okapi = _okapi(passages)
        r = Retriever(index)
        terms = sorted({t for p in passages for t in p})
        for q in _queries(rng, terms, 300):
            expected = okapi.get_scores(q)
            np.testing.assert_allclose(r.get_scores(q), expected, rtol=0, atol=ATOL, err_msg=str(q))
        if step == 0:
            _write(
                corpus,
                "harvest.txt",
                "Farmers expect a record harvest",
                [
                    "Wheat farmers expect a record harvest this summer, the minister said.",
                ],
            )
            st = (corpus / "harvest.txt").stat()
            os.utime(corpus / "harvest.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
            report, index = refresh(corpus, store)
            assert (report.added, report.unchanged) == (1, 2)


def test_the_head_of_a_deeper_top_is_the_top_k(synthetic) -> None:
    """`FeatureBuilder.build` takes two pools from one search when the topic is the question's terms:
    the first k of a deeper top must be exactly the top k (ids, scores and order)."""
    index, _, vocab = synthetic
    r = Retriever(index)
    rng = np.random.default_rng(14)
    for q in _queries(rng, vocab, 300):
        deep = r.top(q, k=200)
        for k in (20, 40, 80):
            assert deep[:k] == r.top(q, k=k), (q, k)


def test_sentences_reads_each_sentence_as_sentence_does(synthetic) -> None:
    index, _, _ = synthetic
    rows = np.random.default_rng(15).integers(0, index.n_sentences, size=500)  # unsorted, repeats
    assert index.sentences(rows) == [index.sentence(int(s)) for s in rows]
    assert index.sentences(np.zeros(0, dtype=np.int64)) == []


def test_a_sentence_read_after_its_article_left_the_cache_is_the_same_text(tmp_path: Path) -> None:
    """Once an article's text was decoded, a sentence of it read after the cache let it go is decoded
    from its own bytes: the same text, for ASCII and non-ASCII articles alike."""
    from dataclasses import replace

    articles = [
        ["Plain words here.", "And more of them."],
        ["“Zoë’s café,” she said — naïvely.", "Then 日本語 text and 🙂 too.", "Last one."],
    ]
    chunks = []
    for a, sents in enumerate(articles):
        body = " ".join(sents)
        starts = [sum(len(x) + 1 for x in sents[:k]) for k in range(len(sents))]
        spans = np.array([[st, st + len(x), 0] for st, x in zip(starts, sents, strict=True)], dtype=np.int32)
        chunks.append(replace(_chunk(a, [x.split() for x in sents], []), body=body, spans=spans))
    index = assemble(chunks, {}, {}, Path("texts"))
    index.save(tmp_path / "v1")
    loaded = CorpusIndex.load(tmp_path / "v1")
    expected = [x for sents in articles for x in sents]
    assert [loaded.sentence(s) for s in range(loaded.n_sentences)] == expected
    loaded._body_cache.clear()
    assert loaded.sentences(np.arange(loaded.n_sentences)[::-1]) == expected[::-1]
    assert not loaded._body_cache  # read from their bytes, not by decoding the articles again


def test_top_of_scores_is_top_wherever_it_answers(synthetic) -> None:
    """`FeatureBuilder.build` ranks a topic's scores it already read instead of searching again: where
    `top_of_scores` answers (not None), it is `top` exactly (ids, scores and order), and it answers
    for every query of one or two terms."""
    index, _, vocab = synthetic
    r = Retriever(index)
    rng = np.random.default_rng(16)
    answered = 0
    for q in [*_queries(rng, vocab, 400), ["common", "often"], ["w1", "common"], ["often", "often"]]:
        got = r.top_of_scores(q, r.scores(q), 20)
        if len(r._occurrences(q)) <= 2:
            assert got is not None, q
        if got is not None:
            answered += 1
            assert got == r.top(q, k=20), q
    assert answered > 50
