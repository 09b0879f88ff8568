"""Tests for bot.text: folding names, tokenizing for the index and for questions."""

from __future__ import annotations

import pytest

from bot.text import STOP_WORDS, fold, stem, tokenize, tokenizer_settings, words

# --------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    "spelling", ["Çavuşoğlu", "çavuşoğlu", "Cavusoglu", "cavusoglu", "ÇAVUŞOĞLU", "CAVUSOGLU"]
)
def test_cavusoglu_folds_the_same_however_it_is_typed(spelling: str) -> None:
    assert fold(spelling) == "cavusoglu"
    assert tokenize(spelling) == ["cavusoglu"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Erdoğan", "erdogan"),
        ("Erdoğan", "ERDOGAN"),
        ("Brudziński", "Brudzinski"),
        ("Gdańsk", "gdansk"),
        ("Mevlüt", "Mevlut"),
        ("Łódź", "Lodz"),
    ],
)
def test_accented_and_plain_spellings_fold_the_same(a: str, b: str) -> None:
    assert fold(a) == fold(b)
    assert tokenize(a) == tokenize(b)


def test_turkish_dotless_i_folds_to_i() -> None:
    assert fold("Kalın") == "kalin"
    assert fold("KALIN") == "kalin"
    assert fold("ı") == "i"
    assert tokenize("İbrahim Kalın") == tokenize("Ibrahim Kalin") == ["ibrahim", "kalin"]


def test_turkish_dotted_capital_i_folds_to_plain_i() -> None:
    # str.lower() alone gives "i̇stanbul" (i + combining dot), which would not meet "istanbul".
    assert "İstanbul".lower() != "istanbul"
    assert fold("İstanbul") == "istanbul"
    assert words("İSTANBUL İzmir") == ["istanbul", "izmir"]


def test_fold_is_ascii_lower_case() -> None:
    for text in ["Çavuşoğlu’s “talks” — in Genève", "Straße", "Œuvre", "Москва"]:
        out = fold(text)
        assert out.isascii()
        assert out == out.lower()
    assert fold("Москва") == "moskva"  # other scripts are transliterated, not dropped


def test_fold_transliterates_exactly_as_unidecode_does() -> None:
    """The per-character table gives unidecode's text for any mix of scripts, quotes and symbols."""
    import random

    from unidecode import unidecode

    rng = random.Random(4)
    ranges = [(32, 0x250), (0x250, 0x3000), (0x3000, 0xD800), (0xE000, 0x10000), (0x1F300, 0x1F700)]
    for _ in range(5000):
        text = "".join(chr(rng.randrange(*rng.choice(ranges))) for _ in range(rng.randrange(1, 30)))
        expected = unidecode(text.replace("ı", "i").replace("İ", "I")).lower()
        assert fold(text) == expected, text


def test_plain_ascii_is_only_lower_cased() -> None:
    text = "The U.S. State Department, @NATO & 100,000 troops!"
    assert fold(text) == text.lower()


# --------------------------------------------------------------------------- words and numbers


def test_words_split_on_punctuation_and_keep_stop_words() -> None:
    assert words("Turkey’s U.S. counterpart, on Jan. 3") == [
        "turkey",
        "s",
        "u",
        "s",
        "counterpart",
        "on",
        "jan",
        "3",
    ]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("100,000", "100000"),
        ("100000", "100000"),
        ("1,234,567", "1234567"),
        ("3.5", "3.5"),
        ("1,234.5", "1234.5"),
    ],
)
def test_numbers_are_one_token_without_thousands_separators(text: str, token: str) -> None:
    assert words(text) == [token]
    assert tokenize(text) == [token]


def test_number_with_and_without_separator_meet() -> None:
    assert tokenize("an estimated 100,000 troops") == tokenize("an estimated 100000 troops")
    assert "100000" in tokenize("The Russians have moved an estimated 100,000 troops toward Ukraine")


def test_hyphenated_words_and_handles_split_into_words() -> None:
    assert tokenize("Russia-Ukraine") == ["russia", "ukrain"]
    assert tokenize("@NATO") == ["nato"]


# --------------------------------------------------------------------------- stemming and stop words


@pytest.mark.parametrize(
    ("forms", "stemmed"),
    [
        (["discussed", "discussing", "discusses", "discuss"], "discuss"),
        (["talks", "talked", "talking", "talk"], "talk"),
        (["troops", "troop"], "troop"),
        (["negotiations", "negotiated"], "negoti"),
    ],
)
def test_inflections_share_a_stem(forms: list[str], stemmed: str) -> None:
    assert {stem(f) for f in forms} == {stemmed}
    assert tokenize(" ".join(forms)) == [stemmed] * len(forms)


def test_stemming_is_applied_after_folding() -> None:
    assert tokenize("Ukraine’s") == tokenize("ukraine") == [stem("ukraine")]
    assert tokenize("DISCUSSED") == ["discuss"]


@pytest.mark.parametrize(
    "word", ["the", "and", "of", "what", "who", "did", "was", "he", "she", "they", "also", "s"]
)
def test_stop_words_are_dropped(word: str) -> None:
    assert word in STOP_WORDS
    assert tokenize(word) == []
    assert tokenize(word.upper()) == []


def test_stop_words_dropped_from_a_sentence_content_words_kept() -> None:
    assert tokenize("What did the minister say about the talks?") == ["minist", "say", "talk"]


def test_won_is_a_word_and_wont_is_will_not() -> None:
    """ "Who won the election", "a nuclear war cannot be won": the past of "win", not the clitic
    Snowball's list keeps for "won't", which is read as "will not"."""
    assert tokenize("Who won the election?") == ["won", "elect"]
    assert tokenize("We won't stop. They WON’T go") == ["stop", "go"]


def test_question_and_sentence_meet_on_the_same_terms() -> None:
    sentence = "Turkish Foreign Minister Mevlüt Çavuşoğlu discussed the tension over the phone."
    question = "did cavusoglu discuss tensions by phone"
    assert set(tokenize(question)) <= set(tokenize(sentence))


def test_empty_and_symbol_only_text_has_no_tokens() -> None:
    for text in ["", "   ", "?!?", "…", "😀 🎉", "— – ·"]:
        assert tokenize(text) == []
        assert words(text) == []


def test_tokenizer_settings_name_the_tokenizer() -> None:
    settings = tokenizer_settings()
    assert settings["stop_words"] == len(STOP_WORDS)
    assert settings["name"] and isinstance(settings["version"], int)
    assert settings == tokenizer_settings()  # stable: it is compared with the saved index's


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("defence", "defense"),
        ("organised", "organized"),
        ("neighbours", "neighbors"),
        ("centre", "center"),
        ("licence", "license"),
        ("programme", "program"),
        ("tonnes", "tons"),
    ],
)
def test_british_and_american_spellings_are_one_term(british: str, american: str) -> None:
    assert tokenize(british) == tokenize(american)
    assert stem(british) == stem(american)


def test_short_words_are_not_respelt() -> None:
    """ "hour", "four", "tour" keep their "our": three letters must come before it."""
    assert tokenize("hour four tour") == ["hour", "four", "tour"]


def test_an_ordinal_in_words_is_the_term_of_its_figure() -> None:
    """ "the 6th package" is tokenized "6", "th": "the sixth package" must hold "6" too."""
    assert tokenize("the sixth sanctions package")[0] == tokenize("the 6th sanctions package")[0] == "6"
    assert tokenize("the twelfth round") == tokenize("the 12th round")[:1] + tokenize("round")
    assert "1" not in tokenize("the first time")  # everyday "first" and "second" stay words


@pytest.mark.parametrize(
    ("hyphened", "solid"),
    [("re-elected", "reelected"), ("co-operation", "cooperation"), ("Non-Profit", "nonprofit")],
)
def test_a_hyphenated_prefix_also_writes_the_word_solid(hyphened: str, solid: str) -> None:
    """Either spelling finds the other; the bare word still finds the hyphenated one."""
    assert set(tokenize(solid)) <= set(tokenize(hyphened))
    assert set(tokenize(hyphened.split("-")[1])) <= set(tokenize(hyphened))
    assert tokenize("anti-war") == ["anti", "war", "antiwar"]
    assert tokenize("a well-known war") == ["well", "known", "war"]  # "well" is no prefix
