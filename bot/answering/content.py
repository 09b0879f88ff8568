"""What a candidate sentence is, beyond the words it shares with the question.

The sentence that echoes a question's words is often not its answer: in a transcript it is the
reporter's question ("Q Are you going to call Putin?") or the speaker restating it ("Does the West
understand or fail to understand something?"), and the answer is the sentence after it.
"""

from __future__ import annotations

import re

from bot import lexicon
from bot.text import tokenize

# A reporter's question in a transcript: "Q Are you going …", "Q: Why?", "QUESTION: …".
_REPORTER_Q = re.compile(r"^\s*(?:Q|QUESTION)\s*[:.]?\s+\S")
_CLOSERS = "\"'”’»)]… "
# A transcript's speaker label opening the sentence: "PRESIDENT BIDEN: ", "Vladimir Putin: ".
LABEL = re.compile(r"^[^:.!?“”\"]{1,120}:\s*")


def is_question_sentence(sentence: str) -> bool:
    """The sentence asks rather than answers: it ends with a question mark or is a reporter's "Q"."""
    return sentence.rstrip(_CLOSERS).endswith("?") or bool(_REPORTER_Q.match(sentence))


# A quote mark or a verb of saying (lower case, so "Said" in a name is none): the sentence reports speech.
SPEECH_CUE = re.compile(
    r"[“”\"]|\b(?:"
    + lexicon.alternation(frozenset(f for f in lexicon.speech_verb_forms() if " " not in f))
    + r")\b"
)


_VERB = lexicon.alternation(frozenset(f for f in lexicon.speech_verb_forms() if " " not in f))
_POINTER = lexicon.alternation(lexicon.words("speech.pointers.words"))
# After an active verb, "that" points back only at the clause's end ("He acknowledged that."): before
# more words it opens what was said ("He said that in 2020 …").
_OBJECT = lexicon.alternation(lexicon.words("speech.pointers.words") - {"that"})
_OCCASION = lexicon.alternation(lexicon.words("speech.pointers.occasions"))
# "This was stated by …", "That was announced by …"; "He said this in …", "she said so".
_POINTS_BACK = re.compile(
    rf"^\W*(?:(?:{_POINTER})\s+(?:was|were|is|are|has\s+been|had\s+been)\s+(?:{_VERB})\s+by\b"
    rf"|(?:\w+\s+){{1,6}}?(?:{_VERB})\s+(?:that\s*(?:[.;]|$)|(?:{_OBJECT})\s*(?:[.,;]|$|"
    rf"\s+(?:{_OCCASION})\b)))",
    re.I,
)


_STATES = re.compile(r"[“\":]|\bthat\b")  # what follows still says something: a quote, a colon, "that …"


def points_back(sentence: str) -> bool:
    """The sentence reports that the speech before it was made, and holds none of it: "This was
    stated by the minister in an interview.", "He said this at a briefing." It names the speaker and
    the occasion, the words a question asks with, while what was said is the sentence before."""
    got = _POINTS_BACK.search(sentence)
    return got is not None and _STATES.search(sentence[got.end() :]) is None


def statement_words(sentence: str, terms: int | None = None) -> int:
    """How many content words the sentence holds beyond a transcript label: "PRESIDENT BIDEN: Thank
    you." holds one, however well its label matches the speaker's name. `terms`, the sentence's
    term count when the index has it, is the answer for a sentence with no label (most of them),
    which is then not tokenized again."""
    label = LABEL.match(sentence)
    if label is None and terms is not None:
        return terms
    return len(tokenize(sentence[label.end() :] if label else sentence))
