"""Who said each sentence: an `Attributor` reads an article and names each sentence's speaker.

The attributor is a component: `ATTRIBUTORS` maps a name to an implementation, the setting
`CITEBOT_ATTRIBUTOR` picks one (default "rules"), and the index manifest records its name and
version, so a better attributor can be dropped in and a changed one forces a rebuild.
"""

from __future__ import annotations

from typing import Protocol

from bot import lexicon
from bot.attribution.phrases import parse_phrase, title_author
from bot.attribution.records import How, SentenceAttribution, Speaker
from bot.attribution.rule_based import RuleAttributor
from bot.attribution.rules import RULE_IDS, RULES
from bot.text import name_key

__all__ = [
    "ATTRIBUTORS",
    "RULES",
    "RULE_IDS",
    "Attributor",
    "How",
    "SentenceAttribution",
    "Speaker",
    "attribute",
    "attributor_stamp",
    "default_attributor",
    "name_key",
    "parse_phrase",
    "title_author",
]


class Attributor(Protocol):
    """Names each sentence's speaker; `name` and `version` are recorded in the index manifest."""

    name: str
    version: int
    rule_ids: tuple[str, ...]  # every rule id its attributions carry ("" first: none)

    def attribute(
        self, sentences: list[str], paragraphs: list[int], title: str = ""
    ) -> list[SentenceAttribution]: ...


ATTRIBUTORS: dict[str, type[Attributor]] = {RuleAttributor.name: RuleAttributor}


def default_attributor() -> Attributor:
    """The attributor the setting names (`CITEBOT_ATTRIBUTOR`, default "rules")."""
    from bot.attribution.settings import AttributionSettings

    name = AttributionSettings().attributor
    if name not in ATTRIBUTORS:
        raise ValueError(f"CITEBOT_ATTRIBUTOR={name!r}: known attributors are {', '.join(ATTRIBUTORS)}")
    return ATTRIBUTORS[name]()


def attributor_stamp() -> dict[str, object]:
    """What the index manifest records of the attributor: a different one means rebuild. The lexicon
    it reads is part of it: a word list changed (a role class, a speech verb) is another attributor."""
    a = default_attributor()
    return {"name": a.name, "version": a.version, "rules": list(a.rule_ids), "lexicon": lexicon.digest()}


def attribute(sentences: list[str], paragraphs: list[int], title: str = "") -> list[SentenceAttribution]:
    """One `SentenceAttribution` per sentence, by the default attributor."""
    return default_attributor().attribute(sentences, paragraphs, title)
