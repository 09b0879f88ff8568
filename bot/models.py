"""Pydantic models at the core's boundaries: what goes into the index and what comes out of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: The `--json` contract: tools are built on exactly these citation keys.
CONTRACT_CITATION_KEYS = {
    "article_id",
    "title",
    "url",
    "published",
    "sentence",
    "score",
    "speaker",
    "start",
    "end",
}


class Article(BaseModel):
    """One news article as parsed from a corpus file.

    `body` is the article text exactly as the file holds it (after the title, dateline and
    tag lines are taken off), so every sentence cited from it is verbatim.
    """

    model_config = ConfigDict(frozen=True)

    article_id: str
    title: str
    body: str
    url: str | None = None
    published: date | None = None
    source: str | None = None
    dateline: str | None = None
    tags: list[str] = Field(default_factory=list)
    author: str | None = None


class Citation(BaseModel):
    """A sentence quoted verbatim from an article, with where it came from."""

    article_id: str
    title: str
    url: str | None = None
    published: date | None = None
    sentence: str
    score: float
    speaker: str | None = None
    start: int = 0  # character offsets of the sentence in the article body
    end: int = 0
    start_sent: int = Field(default=-1, exclude=True)  # sentence number in the index it came from


#: A cited sentence's identity, stable across index versions: (article_id, start, end) in the body.
SentenceKey = tuple[str, int, int]


class Conversation(BaseModel):
    """What a follow-up question needs from the turns before it, in one thread or chat.

    The engine reads it ("he" = `subject`, "when did she say it?" keeps `topic`, "what else"
    leaves out `cited`) and returns the next state on `Answer.conversation`; where it is kept
    (memory, Redis, Slack message metadata) is the adapter's business.
    """

    subject: str | None = None
    topic: str | None = None
    cited: list[SentenceKey] = Field(default_factory=list)
    first: SentenceKey | None = None  # the quote the last answer cited first: "when did she say it?"

    def with_answer(self, subject: str | None, topic: str | None, cited: list[SentenceKey]) -> Conversation:
        """The state after one more answer: a new subject/topic replaces the old, cited keys add up,
        and its first citation is the one a follow-up's "it" means (a decline leaves the one before)."""
        seen = set(self.cited)
        more = [k for k in cited if k not in seen]
        return Conversation(
            subject=subject or self.subject,
            topic=topic or self.topic,
            cited=(self.cited + more)[-MAX_CITED_KEPT:],
            first=cited[0] if cited else self.first,
        )


#: A thread's memory of what was cited is bounded: the most recent keys are kept.
MAX_CITED_KEPT = 200


class Answer(BaseModel):
    """What citebot says to a question: a templated text and the sentences it cites.

    Renderers (terminal, Slack) only format this; they never decide what it says.
    """

    question: str
    found: bool
    text: str
    citations: list[Citation] = Field(default_factory=list)
    kind: str = "other"
    head: str | None = None  # the line before the quotes ("Joe Biden said about inflation:")
    note: str | None = None  # a remark before the head ("showing results for “Lukashenko”")
    subject: str | None = None
    #: The conversation state after this answer (for the next follow-up); not part of the contract.
    conversation: Conversation | None = Field(default=None, exclude=True)

    def contract(self) -> dict[str, Any]:
        """The public JSON shape of this answer (question, found, text, citations)."""
        cites = [c.model_dump(mode="json", include=CONTRACT_CITATION_KEYS) for c in self.citations]
        return {"question": self.question, "found": self.found, "text": self.text, "citations": cites}
