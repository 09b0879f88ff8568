"""Where quotations open and close in a sentence, whatever marks the copy uses.

News copy mixes its quotation marks: curly pairs (“…”), straight ones ("…"), doubled
apostrophes (''…'', the New York Times' style), and often a curly mark closed by a straight one
(`“I heard it," Smith said. "Then…”`) after an editor's cut and paste. Pairing each kind only
with itself reads such a sentence as one long quotation and hides its `Smith said`, so marks
are paired by position: an opening mark is closed by the next mark that can close it, except
that a mark shaped like an opening (after a space, before a word) inside a quotation nests.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"[“”\"]|''")


def scan(sentence: str, inside: bool = False) -> tuple[list[tuple[int, int]], bool]:
    """Spans inside quotation marks (marks included), and whether a quotation is still open at
    the end. `inside`: the sentence continues a quotation opened earlier, so its first mark that
    can close one closes it (the span then starts at 0).

    A straight mark inside an open quotation closes it unless it is shaped like an opening (after
    a space, before a word: `“He called it "fake news," and left,”`), which nests."""
    spans: list[tuple[int, int]] = []
    depth = 1 if inside else 0
    start = 0
    for m in _MARK.finditer(sentence):
        pos, mark = m.start(), m.group()
        if depth == 0:
            if mark == "”" and not sentence[:pos].strip() and _opening_shaped(sentence, pos, 1):
                depth, start = 1, pos  # `”Fear.` opening a paragraph: a closing mark typed for an opening
                continue
            if mark == "”" or (not spans and mark != "“" and _closing_shaped(sentence, pos, len(mark))):
                # a closing mark with nothing open: a quotation continued from an earlier sentence
                if not spans:
                    spans.append((0, pos + len(mark)))
                continue
            depth, start = 1, pos
        elif (mark == "“" and not _closing_shaped(sentence, pos, 1)) or (
            mark not in "“”" and _opening_shaped(sentence, pos, len(mark))
        ):
            depth += 1  # a nested quotation (a `“` typed where `”` was meant closes: `…,“ said X`)
        else:
            depth -= 1
            if depth == 0:
                spans.append((start, pos + len(mark)))
    if depth:
        spans.append((start, len(sentence)))
    return spans, depth > 0


def _around(sentence: str, pos: int, width: int) -> tuple[str, str]:
    """The characters just before and after a mark (a space before the sentence's start)."""
    return (sentence[pos - 1 : pos] if pos else " "), sentence[pos + width : pos + width + 1]


def _closing_shaped(sentence: str, pos: int, width: int) -> bool:
    before, after = _around(sentence, pos, width)
    return not before.isspace() and (after == "" or after.isspace() or after in ".,;:)—–")


def _opening_shaped(sentence: str, pos: int, width: int) -> bool:
    before, after = _around(sentence, pos, width)
    return (before.isspace() or before in "([—–") and after != "" and not after.isspace()


def quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks (an unclosed quotation runs to the end)."""
    if not _MARK.search(sentence):
        return []
    return scan(sentence)[0]


def open_after(sentences: list[str], paragraphs: list[int]) -> list[bool]:
    """Whether each sentence lies inside a quotation opened by an earlier sentence of its
    paragraph (a quotation running over paragraphs reopens each one with a mark of its own, so a
    paragraph starts outside; copy that never closes a quotation cannot leak past its paragraph)."""
    inside = False
    out = []
    prev = None
    for sentence, para in zip(sentences, paragraphs, strict=True):
        if para != prev:
            inside = False
            prev = para
        out.append(inside)
        if _MARK.search(sentence):
            inside = scan(sentence, inside)[1]
    return out
