"""Which of a speaker's sentences best stands for "What did X say?" when no topic is asked.

With no topic, the fitted score ranks X's sentences by the name's BM25, the speaker link and the
quote kind, so the shortest labelled lines of a transcript win ("Vladimir Putin: Yes, of course, go
ahead.", "Dmitry Peskov: We will take the last question today from …"): lines that manage the
conversation and say nothing. The best-scoring candidates are reordered by a substance prior: how
much a line says (its content terms beyond its label, the speaker's name, verbs of saying and the
words of managing a conversation, `speech.turns.words`; less for a line holding a floor-giving or
greeting phrase, `speech.turns.phrases`), raised by its centrality (the share of those terms, by idf,
that its article's title and lead or the speaker's other candidate lines in that article hold: what
the speaker talks about there, not an aside). The answerer reads the terms from the index's term
counts, so only the few candidates reordered are read, and none is tokenized whole.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import TypeVar

import numpy as np

from bot import lexicon
from bot.answering.content import LABEL
from bot.text import tokenize

#: Stemmed terms of managing a conversation (speech.turns.words) and of reporting speech: neither is
#: what someone said.
TURN_TERMS = frozenset(tokenize(" ".join(lexicon.words("speech.turns.words"))))
SPEECH_TERMS = frozenset(tokenize(" ".join(f for f in lexicon.speech_verb_forms() if " " not in f)))
#: A line holding one of these phrases (speech.turns.phrases) manages the conversation, whatever else
#: it holds ("… I would like to give the floor to the Harbour Gazette").
TURN_PHRASE = re.compile(rf"\b(?:{lexicon.alternation(lexicon.words('speech.turns.phrases'))})\b", re.I)
TURN_PHRASE_SHARE = 0.5  # …and counts this share of its informativeness
CONTENT_FULL = 5  # a line holding this many content terms counts as fully informative
CENTRAL_SHARE = 0.5  # centrality raises a line's informativeness by up to this share of it
#: Score points the substance prior (0…1.5) is worth: "Yes, of course, go ahead." (0) falls 4.5 points
#: behind a statement, more than a short labelled line's BM25 of the name lifts it (about 3.7).
SUBSTANCE_WEIGHT = 3.0
SUBSTANCE_READS = 30  # the best-scoring candidates reordered by substance (each read once)

T = TypeVar("T", bound=Hashable)


def label_of(sentence: str) -> str:
    """A transcript label opening the sentence ("PRESIDENT BIDEN: "), or ""."""
    label = LABEL.match(sentence)
    return label.group() if label else ""


def substance_terms(sentence: str, not_content: Collection[str] = frozenset()) -> list[str]:
    """The sentence's index terms that say something: less a transcript label ("PRESIDENT BIDEN:"),
    the words of managing a conversation, verbs of saying and `not_content` (the speaker's name).
    "Good afternoon, Mr President." holds none; "Exports of grain rose again." holds three. (The
    answerer reads the same terms as ids from the index.)"""
    text = sentence[len(label_of(sentence)) :]
    return [
        t for t in tokenize(text) if t not in TURN_TERMS and t not in SPEECH_TERMS and t not in not_content
    ]


def is_turn_line(sentence: str) -> bool:
    """The sentence holds a phrase of managing the conversation (speech.turns.phrases)."""
    return bool(TURN_PHRASE.search(sentence))


def informativeness(terms: Collection[T]) -> float:
    """0…1: distinct content terms, saturating at CONTENT_FULL."""
    return min(len(set(terms)), CONTENT_FULL) / CONTENT_FULL


def centrality(terms: Collection[T], context: Collection[T], idf: Callable[[T], float]) -> float:
    """0…1: the idf share of the line's content terms that its context (title, lead, the speaker's
    other lines there) holds too."""
    own = set(terms)
    total = sum(idf(t) for t in own)
    if total <= 0:
        return 0.0
    return sum(idf(t) for t in own if t in context) / total


def substance_prior(
    lines: Sequence[Collection[T]],
    turn: Sequence[bool],
    articles: Sequence[int],
    context_of: Callable[[int], Collection[T]],
    idf: Callable[[T], float],
) -> np.ndarray:
    """The substance prior of each line, 0…1.5, from its content terms (`lines`), whether it holds a
    turn phrase (`turn`) and its article: its informativeness (a TURN_PHRASE_SHARE of it for a turn
    line) raised by up to CENTRAL_SHARE of it by its centrality, against its article's title and lead
    terms (`context_of`) and the other lines of the same article (so a line that says little is not
    made central by one shared word)."""
    by_article: dict[int, list[int]] = {}
    for i, a in enumerate(articles):
        by_article.setdefault(a, []).append(i)
    out = np.zeros(len(lines))
    for a, rows in by_article.items():
        base = context_of(a)
        held = Counter(t for i in rows for t in set(lines[i]))  # how many of its lines hold each term
        for i in rows:
            shared = {t for t in lines[i] if t in base or held[t] > 1}
            info = informativeness(lines[i]) * (TURN_PHRASE_SHARE if turn[i] else 1.0)
            out[i] = info * (1 + CENTRAL_SHARE * centrality(lines[i], shared, idf))
    return out
