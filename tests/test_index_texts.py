"""Article texts checked up front (`CorpusIndex.check_texts`): sentences then decode alone, verbatim."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import build_corpus

from bot.index import CorpusIndex, IndexUnusable

ARTICLES = {
    "plain.txt": (
        "Port reopens after storm",
        ["The port reopened on Tuesday after the storm.", "Harbour master Ola Berg said ships were waiting."],
    ),
    "quoted.txt": (
        "Café owners protest new rules",
        [
            "“We cannot pay these fees,” said Renée Dubois, who runs a café.",
            "The council will vote on the rules in June — or later.",
        ],
    ),
}


def _fresh(idx: CorpusIndex) -> None:
    idx._body_cache.clear()
    idx._checked.clear()
    idx._byte_spans.clear()


def _expected(idx: CorpusIndex) -> list[str]:
    """Each sentence cut from its whole decoded article, as `body` reads it."""
    out = []
    for r in range(idx.n_sentences):
        a = int(idx.sent_article[r])
        s, e, _ = idx.sent_span[r]
        raw = bytes(idx._bodies[int(idx.body_offsets[a]) : int(idx.body_offsets[a + 1])])
        out.append(raw.decode("utf-8")[int(s) : int(e)])
    return out


def test_checked_texts_read_sentences_verbatim_without_decoding_articles(tmp_path: Path) -> None:
    idx = build_corpus(tmp_path, ARTICLES).index
    _fresh(idx)
    idx.check_texts()
    n_art = len(idx.body_offsets) - 1
    assert sorted(idx._checked) == list(range(n_art))
    assert sum(v is None for v in idx._byte_spans.values()) == 1  # the ASCII article: no byte spans
    idx._body_cache.clear()
    assert idx.sentences(np.arange(idx.n_sentences)) == _expected(idx)
    assert not idx._body_cache  # no article was decoded whole


def test_a_damaged_text_is_left_unchecked_and_refused_when_read(tmp_path: Path) -> None:
    idx = build_corpus(tmp_path, ARTICLES).index
    _fresh(idx)
    lo = int(idx.body_offsets[1])
    damaged = bytearray(idx._bodies)
    damaged[lo] = ord("X") if damaged[lo] != ord("X") else ord("Y")
    idx._bodies = bytes(damaged)
    idx.check_texts()
    assert 0 in idx._checked and 1 not in idx._checked
    with pytest.raises(IndexUnusable):
        idx.sentence(int(idx.article_first[1]))
