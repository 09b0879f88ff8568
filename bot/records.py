"""The JSON records an index keeps per article and per speaker (`articles.json`, `speakers.json`).

They stay plain dicts on disk and in memory (loading thousands of them as models would cost
start-up time for nothing), but are typed so a misspelt key is a type error, not a `KeyError`
in production.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class ArticleRecord(TypedDict):
    """An `Article` without its body (`Article.model_dump(mode="json", exclude={"body"})`) and
    the corpus file it came from."""

    article_id: str
    title: str
    url: str | None
    published: str | None  # ISO date
    source: str | None
    dateline: str | None
    tags: list[str]
    author: str | None
    file: str


class SpeakerRecord(TypedDict):
    """A person or body quoted in the corpus: how to show it, the names and roles it goes by."""

    display: str
    names: list[str]
    roles: list[str]
    org: bool
    gender: NotRequired[str | None]  # "m", "f" or None, from what the article shows
    # Article id → the roles that article states of it: the entity table dates each role by the
    # articles stating it ("Vice President" in 2016, "former Vice President" in 2019).
    stated: NotRequired[dict[str, list[str]]]
