"""The shared lexicon: ids resolve, verbs inflect, lists hold what the rules rely on."""

from __future__ import annotations

import pytest

from bot.lexicon import LexiconError, inflect, lemma_of, speech_verb_forms, table, words


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("say", ("say", "says", "said", "saying")),
        ("warn", ("warn", "warns", "warned", "warning")),
        ("emphasize", ("emphasize", "emphasizes", "emphasized", "emphasizing")),
        ("testify", ("testify", "testifies", "testified", "testifying")),
        ("admit", ("admit", "admits", "admitted", "admitting")),
        ("stress", ("stress", "stresses", "stressed", "stressing")),
        ("point out", ("point out", "points out", "pointed out", "pointing out")),
        ("agree", ("agree", "agrees", "agreed", "agreeing")),
        ("write", ("write", "writes", "wrote", "written", "writing")),
    ],
)
def test_inflect(lemma: str, forms: tuple[str, ...]) -> None:
    assert inflect(lemma) == forms


def test_speech_verbs_cover_reporting_verbs_and_not_thought() -> None:
    forms = speech_verb_forms()
    for f in ("said", "told", "argued", "insisted", "acknowledged", "warned", "tweeted", "pointed out"):
        assert f in forms
    for f in ("thinks", "believed", "wants", "hoped"):
        assert f not in forms
    assert lemma_of("Insisted") == "insist"
    assert lemma_of("running") is None


def test_ids_name_lists_and_tables() -> None:
    assert "monday" in words("calendar.words.weekdays")
    assert {"monday", "sept", "tomorrow"} <= words("calendar.words")
    assert "ministry" in words("roles.organisations.heads")
    assert "statement" in words("speech.nouns.speech")
    assert "press secretary" in table("roles.classes")["spokesperson"]
    with pytest.raises(LexiconError):
        words("speech.verbs.nonexistent")
    with pytest.raises(LexiconError):
        words("nofile.x")


def test_a_one_syllable_verb_doubles_its_last_consonant() -> None:
    from bot.lexicon import inflect

    assert inflect("slam")[2] == "slammed" and "bragging" in inflect("brag")
    assert (
        inflect("vow")[2] == "vowed" and inflect("shout")[2] == "shouted" and inflect("post")[2] == "posted"
    )
