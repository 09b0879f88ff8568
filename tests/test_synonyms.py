"""The synonym table (bot/lexicon/synonyms.tsv), its generator (tools/wordnet_synonyms.py) on a
miniature WordNet written here, and the feature and candidate pool that read it, on a short inline
corpus written for these tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.answering.features import FeatureBuilder, Query, synonym_stems, topic_phrases
from bot.answering.scoring import FEATURES
from bot.lexicon import synonyms
from bot.text import tokenize

ROOT = Path(__file__).resolve().parents[1]

SCHOOL = [
    "The construction of the school was funded by the Lind family.",
    "The school building stands by the river.",
    "Pupils sang in the hall on Friday.",
    "The children were all from Marsh Town.",
    "The league called off the derby on Monday.",
    "The final was cancelled because of snow.",
    "Fans called the ground off the record.",
]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("wordnet_synonyms", ROOT / "tools" / "wordnet_synonyms.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    from bot.corpus import Corpus

    root = tmp_path_factory.mktemp("synonyms")
    docs = root / "corpus"
    docs.mkdir()
    body = "\n\n".join(SCHOOL)
    (docs / "school.txt").write_text(f"title: Town news\npublished: 2022-06-01\n\n{body}\n", encoding="utf-8")
    c = Corpus(docs, root / "index")
    c.open()
    return c


def _features(corpus, topic: str) -> dict[str, dict[str, float]]:
    idx = corpus.index
    fb = FeatureBuilder(idx, corpus.snapshot.answerer.retriever)
    terms = tokenize(topic)
    q = Query("who", terms, terms, [], None, phrases=topic_phrases(topic, terms))
    cands = fb.build(q)
    return {
        idx.sentence(int(s)): dict(zip(FEATURES, row, strict=True))
        for s, row in zip(cands.sents, cands.X, strict=True)
    }


def test_the_table_links_synonyms_irregular_forms_and_spelling_variants() -> None:
    table = synonyms()
    assert "construction" in table["building"]
    assert "children" in table["kid"]  # kid → child, and child's irregular plural
    assert "defense" in table["defence"]
    assert "position" not in table["put"]  # "position" is mostly a noun: not the verb's synonym
    stems = synonym_stems()
    assert "children" in stems["kid"] and "construct" in stems["build"]  # index terms, stemmed


def test_synonym_coverage_counts_a_topic_word_written_otherwise(corpus) -> None:
    f = _features(corpus, "building school")
    funded = f["The construction of the school was funded by the Lind family."]
    assert funded["synonym_coverage"] > 0  # "building" is missing, "construction" is there
    assert f["The school building stands by the river."]["synonym_coverage"] == 0.0  # holds it itself


def test_the_synonym_pool_brings_a_sentence_with_no_topic_word(corpus) -> None:
    f = _features(corpus, "kids")
    row = f["The children were all from Marsh Town."]
    assert row["topic_coverage"] == 0.0 and row["synonym_coverage"] > 0
    assert "Pupils sang in the hall on Friday." not in f  # nothing of the topic, nor a synonym


def test_the_generator_keeps_dominant_senses_main_parts_of_speech_and_variants(tmp_path: Path) -> None:
    wn = tmp_path
    (wn / "data.noun").write_text(
        "00000001 04 n 02 building 0 construction 0 000 | the act of constructing\n"
        "00000002 06 n 01 building 0 000 | a structure\n"
        "00000003 15 n 01 position 0 000 | a place\n"
        "00000004 04 n 02 defense 0 defence 0 000 | protecting\n"
        "00000005 14 n 02 defense 0 defence 0 000 | an army's defenders\n"
        "00000006 26 n 01 defense 0 000 | the defendant's side\n"
        "00000007 18 n 01 child 0 000 | a young person\n",
        encoding="utf-8",
    )
    (wn / "index.noun").write_text(
        "building n 2 0 2 2 00000002 00000001\n"
        "construction n 1 0 1 1 00000001\n"
        "position n 1 0 1 1 00000003\n"
        "defense n 3 0 3 3 00000006 00000004 00000005\n"
        "defence n 2 0 2 0 00000005 00000004\n"
        "child n 1 0 1 1 00000007\n",
        encoding="utf-8",
    )
    (wn / "data.verb").write_text(
        "00000011 35 v 03 put 0 set 0 position 0 000 | put into a place\n", encoding="utf-8"
    )
    (wn / "index.verb").write_text(
        "put v 1 0 1 1 00000011\nset v 1 0 1 1 00000011\nposition v 1 0 1 0 00000011\n", encoding="utf-8"
    )
    for name in ("adj", "adv"):
        (wn / f"data.{name}").write_text("", encoding="utf-8")
        (wn / f"index.{name}").write_text("", encoding="utf-8")
    for name in ("adj", "adv", "verb"):
        (wn / f"{name}.exc").write_text("", encoding="utf-8")
    (wn / "noun.exc").write_text("children child\n", encoding="utf-8")
    (wn / "cntlist.rev").write_text(
        "position%1:15:00:: 1 50\nposition%2:35:00:: 1 2\nput%2:35:00:: 1 30\n", encoding="utf-8"
    )
    table = _generator().build(wn)
    assert table["building"] == {"construction"} and table["construction"] == {"building"}
    assert table["put"] == {"set"}  # "position" is mostly a noun
    assert "defence" in table["defense"]  # the same senses, though "defence" was never tagged
    assert table["children"] == {"child"} and table["child"] == {"children"}


def test_a_verb_phrase_is_a_word_of_the_table_but_names_are_not() -> None:
    table = synonyms()
    assert "cancel" in table["call_off"] and "call_off" in table["cancel"]
    assert "happen" in table["take_place"] and "happen" in table["took_place"]  # its head's forms
    assert "united_states" not in table and "vladimir_putin" not in table  # names
    assert "call_off" in synonym_stems()["cancel"]
    assert "japan" in table["japanese"] and "law" in table["legal"]  # pertainyms
    assert topic_phrases("who called off the derby", tokenize("who called off the derby")) == ["call_off"]
    # Its words must be the topic's: the particle alone is no phrase of a topic that lacks the verb.
    assert topic_phrases("who called off the derby", tokenize("derby")) == []


def test_a_phrase_of_the_question_stands_for_its_words_through_its_synonyms(corpus) -> None:
    f = _features(corpus, "called off final")
    assert f["The final was cancelled because of snow."]["synonym_coverage"] > 0  # "call off" → "cancel"


def test_a_phrase_synonym_is_held_where_its_words_stand_side_by_side(corpus) -> None:
    f = _features(corpus, "cancelled derby")
    assert f["The league called off the derby on Monday."]["synonym_coverage"] > 0  # "cancel" → "call off"
    assert f.get("Fans called the ground off the record.", {}).get("synonym_coverage", 0.0) == 0.0


def test_the_generator_links_a_verb_phrase_to_single_words_with_its_heads_forms(tmp_path: Path) -> None:
    wn = tmp_path
    (wn / "data.verb").write_text(
        "00000021 41 v 02 cancel 0 call_off 0 000 | postpone indefinitely\n"
        "00000022 41 v 02 withdraw 0 pull_out 0 000 | remove\n",
        encoding="utf-8",
    )
    (wn / "index.verb").write_text(
        "cancel v 1 0 1 1 00000021\ncall_off v 1 0 1 1 00000021\n"
        "withdraw v 1 0 1 1 00000022\npull_out v 1 0 1 1 00000022\n",
        encoding="utf-8",
    )
    (wn / "data.noun").write_text(
        "00000031 18 n 02 premier 0 prime_minister 0 000 | head of government\n"
        "00000032 15 n 02 Lake_Placid 0 placid 0 000 | a town\n",
        encoding="utf-8",
    )
    (wn / "index.noun").write_text(
        "premier n 1 0 1 1 00000031\nprime_minister n 1 0 1 1 00000031\n"
        "lake_placid n 1 0 1 1 00000032\nplacid n 1 0 1 1 00000032\n",
        encoding="utf-8",
    )
    for name in ("adj", "adv"):
        (wn / f"data.{name}").write_text("", encoding="utf-8")
        (wn / f"index.{name}").write_text("", encoding="utf-8")
    for name in ("adj", "adv", "noun"):
        (wn / f"{name}.exc").write_text("", encoding="utf-8")
    (wn / "verb.exc").write_text("withdrew withdraw\ncalled call\n", encoding="utf-8")
    (wn / "cntlist.rev").write_text("", encoding="utf-8")
    table = _generator().build(wn)
    assert table["call_off"] == {"cancel"} and table["cancel"] == {"call_off", "called_off"}
    assert table["called_off"] == {"cancel"}  # an irregular head's form is a key too
    assert "pull_out" in table["withdrew"]
    assert "premier" not in table and "prime_minister" not in table  # a noun's phrase: not (yet) read
    assert "placid" not in table  # a name is no phrase


def test_the_generator_links_an_adjective_to_what_it_pertains_to(tmp_path: Path) -> None:
    wn = tmp_path
    (wn / "data.adj").write_text(
        "00000041 02 a 01 japanese 0 001 \\ 00000042 n 0101 | of or relating to Japan\n", encoding="utf-8"
    )
    (wn / "index.adj").write_text("japanese a 1 1 \\ 1 1 00000041\n", encoding="utf-8")
    (wn / "data.noun").write_text("00000042 15 n 01 Japan 0 000 | a country in Asia\n", encoding="utf-8")
    (wn / "index.noun").write_text("japan n 1 0 1 1 00000042\n", encoding="utf-8")
    for name in ("verb", "adv"):
        (wn / f"data.{name}").write_text("", encoding="utf-8")
        (wn / f"index.{name}").write_text("", encoding="utf-8")
    for name in ("adj", "adv", "noun", "verb"):
        (wn / f"{name}.exc").write_text("", encoding="utf-8")
    (wn / "cntlist.rev").write_text("", encoding="utf-8")
    table = _generator().build(wn)
    assert table["japanese"] == {"japan"} and table["japan"] == {"japanese"}
