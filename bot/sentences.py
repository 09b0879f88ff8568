"""Sentence splitting that keeps each sentence's exact text and its offsets in the article body.

pysbd is used because it keeps `Jan. 3`, `U.S.` and multi-sentence quotations whole, which
matters more here than speed: a quote split in two loses its speaker.
"""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_paragraph(paragraph: str) -> list[str]:
    """Sentences of one paragraph, as substrings of it (whitespace trimmed)."""
    return [s.strip() for s in _segmenter().segment(paragraph) if s.strip()]


def sentence_spans(body: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph number) of every sentence of `body`, so `body[start:end]` is verbatim.

    Paragraphs are split on blank lines first: a sentence never spans two paragraphs. pysbd may
    normalise nothing here (clean=False), but we still locate each piece with `find` from a
    cursor so the spans are exact even if it trims or merges whitespace.
    """
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for para_no, para in enumerate(body.split("\n\n")):
        para_start = body.find(para, pos)
        cursor = para_start
        for sent in split_paragraph(para):
            start = body.find(sent, cursor)
            if start < 0:  # pysbd altered the text: fall back to the whole paragraph remainder
                start = cursor
                sent = body[cursor : para_start + len(para)].strip()
                if not sent:
                    break
                start = body.find(sent, cursor)
            end = start + len(sent)
            spans.append((start, end, para_no))
            cursor = end
        pos = para_start + len(para)
    return spans
