"""Speaker attribution (bot.attribution) on short inline texts, one pattern per test.

Each case is a list of sentences (with paragraph numbers where they matter) and the speaker
(display name) and `how` expected for one of them. Where a wrong rule would fall back to an
earlier speaker, the text has such a speaker in it, so the fallback cannot pass the test.

The last section checks the same behaviour end to end on a tiny corpus: a "What did X say?"
answer cites only X's own sentences, and the declines say why.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.attribution import SentenceAttribution, attribute, name_key, parse_phrase, title_author


def attrs(
    sentences: list[str], paragraphs: list[int] | None = None, title: str = ""
) -> list[SentenceAttribution]:
    """Attribute an article; each sentence its own paragraph unless `paragraphs` says otherwise."""
    paras = paragraphs if paragraphs is not None else list(range(len(sentences)))
    out = attribute(sentences, paras, title)
    assert len(out) == len(sentences)
    return out


def who(
    sentences: list[str], paragraphs: list[int] | None = None, title: str = ""
) -> list[tuple[str | None, str]]:
    """(speaker, how) per sentence; how is "" where nobody speaks."""
    return [
        (a.speaker.name, a.how.value) if a.speaker and a.how else (None, "")
        for a in attrs(sentences, paragraphs, title)
    ]


def named(sentences: list[str], paragraphs: list[int] | None = None) -> list[str | None]:
    """The speaker of each sentence when the article names them (an unnamed source counts as None)."""
    return [a.speaker.name if a.speaker and a.speaker.names else None for a in attrs(sentences, paragraphs)]


# An earlier speaker in the same article: a rule that falls back to "the last speaker" where
# it should not would hand them the sentence under test.
PRICE_SPOKE = "“We will not comment on rumours,” said Ned Price."


# --------------------------------------------------------------------------- one sentence, one rule


@pytest.mark.parametrize(
    ("sentence", "speaker", "how"),
    [
        pytest.param("“We are ready to talk,” Blinken said.", "Blinken", "quote", id="quote-then-X-said"),
        pytest.param("“We are ready to talk,” said Ned Price.", "Ned Price", "quote", id="quote-then-said-X"),
        pytest.param(
            "Blinken said that the talks would resume in Geneva.", "Blinken", "reported", id="X-said-that"
        ),
        pytest.param(
            "Last week, Çavuşoğlu urged Russia to withdraw its troops.",
            "Çavuşoğlu",
            "reported",
            id="fronted-time-X-urged",
        ),
        pytest.param(
            "Blinken told reporters the talks would resume in Geneva.",
            "Blinken",
            "reported",
            id="X-told-reporters",
        ),
        pytest.param("Blinken noted that the talks would resume.", "Blinken", "reported", id="X-noted"),
        pytest.param("Blinken stressed that the talks would resume.", "Blinken", "reported", id="X-stressed"),
        pytest.param("Blinken warned that the talks could collapse.", "Blinken", "reported", id="X-warned"),
        pytest.param("Blinken added that the talks would resume.", "Blinken", "reported", id="X-added"),
        pytest.param("Blinken wrote that the talks would resume.", "Blinken", "reported", id="X-wrote"),
        pytest.param("Blinken tweeted that the talks would resume.", "Blinken", "tweet", id="X-tweeted"),
        pytest.param(
            "According to Ned Price, the talks will resume on Monday.",
            "Ned Price",
            "according_to",
            id="according-to-X",
        ),
        pytest.param(
            "“We stand with Ukraine,” according to a tweet on Monday by US Secretary of State Mike Pompeo.",
            "Mike Pompeo",
            "tweet",
            id="according-to-a-tweet-by-X",
        ),
        pytest.param(
            'Cruz, in remarks to ABC, said, "We will block the bill."',
            "Cruz",
            "quote",
            id="X-interjection-said-quote",
        ),
        pytest.param(
            'Brazilian President Jair Bolsonaro opposed Macron\'s statement: "The Amazon is ours."',
            "Jair Bolsonaro",
            "quote",
            id="X-verb-object-colon-quote",
        ),
    ],
)
def test_single_sentence_patterns(sentence: str, speaker: str, how: str) -> None:
    assert who([sentence]) == [(speaker, how)]


def test_role_reference_resolves_to_the_body_named_earlier() -> None:
    """`…, the ministry noted.` → the Foreign Ministry, not Ned Price who spoke in between."""
    out = who(
        [
            "The Foreign Ministry said it would respond to the sanctions.",
            PRICE_SPOKE,
            "The measures are illegal, the ministry noted.",
        ]
    )
    assert out[0] == ("Foreign Ministry", "reported")
    assert out[1] == ("Ned Price", "quote")
    assert out[2] == ("Foreign Ministry", "reported")
    ministry = attrs(["The Foreign Ministry said it would respond.", "It is illegal, the ministry noted."])[1]
    assert ministry.speaker is not None and ministry.speaker.org


# --------------------------------------------------------------------------- quotes over several sentences


def test_quote_of_several_sentences_in_one_sentence_with_he_said() -> None:
    out = who(
        ["Mayor Jonas Lind spoke to the council.", "“We are ready. We will act. We will win,” he said."]
    )
    assert out == [(None, ""), ("Jonas Lind", "quote")]


def test_quote_split_over_sentences_of_one_paragraph_attributed_on_the_last() -> None:
    out = who(
        ["Mayor Ida Strand spoke to the council.", "“We are ready.", "We will act,” she said."],
        [0, 1, 1],
    )
    assert [s for s, _ in out] == [None, "Ida Strand", "Ida Strand"]
    assert out[1][1] in {"quote", "continued"}


def test_quote_split_over_sentences_said_X_on_the_last() -> None:
    out = who(["“We are ready.", "We will act,” said Anna Berg."], [0, 0])
    assert out == [("Anna Berg", "continued"), ("Anna Berg", "quote")]


def test_closing_part_of_a_quote_is_direct_speech() -> None:
    out = who(["“We are ready.", "We will act,” Anna Berg said."], [0, 0])
    assert [s for s, _ in out] == ["Anna Berg", "Anna Berg"]
    assert out[1][1] in {"quote", "continued"}


def test_the_quote_before_a_short_attribution_sentence() -> None:
    out = who(['"Our house is burning."', "Macron told the world on Thursday via Twitter."])
    assert out[0][0] == "Macron"
    assert out[0][1] in {"tweet", "quote"}
    assert out[1] == ("Macron", "tweet")


def test_a_quote_is_not_given_to_the_next_sentences_speaker_across_paragraphs() -> None:
    """The look-ahead for `"…" Macron told …` is for the very next sentence only, and not a far paragraph."""
    out = who(
        ['"Our house is burning."', "The summit opened.", "Macron told the world on Thursday via Twitter."]
    )
    assert out[0] == (None, "")


# --------------------------------------------------------------------------- transcripts


def test_transcript_label_holds_until_the_next_label() -> None:
    sentences = [
        "Vladimir Putin: Good afternoon.",
        "We have met many times.",
        "Welcome to Moscow.",
        "Recep Tayyip Erdogan (retranslated): Thank you.",
        "We are glad to be here.",
        "Vladimir Putin: Let us begin.",
        "The first topic is gas.",
    ]
    out = who(sentences, [0, 0, 1, 2, 2, 3, 3])
    assert [s for s, _ in out] == ["Vladimir Putin"] * 3 + ["Recep Tayyip Erdogan"] * 2 + [
        "Vladimir Putin"
    ] * 2
    assert {h for _, h in out} == {"label"}


@pytest.mark.parametrize(
    "heading", ["Update: The talks resumed on Tuesday.", "Photo: Reuters", "Read More: Blinken visits Kyiv"]
)
def test_a_heading_with_a_colon_is_not_a_speaker_label(heading: str) -> None:
    assert who([heading, "More troops arrived at the border."]) == [(None, ""), (None, "")]


# --------------------------------------------------------------------------- pronouns and roles


def test_he_said_resolves_to_the_full_name_seen_before() -> None:
    out = who(
        [
            "Antony Blinken arrived in Ankara on Monday.",
            "“We are ready,” Blinken said.",
            "“We will act,” he said.",
        ]
    )
    assert out == [(None, ""), ("Antony Blinken", "quote"), ("Antony Blinken", "quote")]


def test_surname_alone_resolves_to_the_full_name_seen_before() -> None:
    out = who(["Antony Blinken arrived in Ankara on Monday.", "Blinken said the talks would resume."])
    assert out[1] == ("Antony Blinken", "reported")


def test_the_minister_resolves_to_the_minister_named_earlier_not_the_last_speaker() -> None:
    out = attrs(
        [
            "Turkish Foreign Minister Mevlüt Çavuşoğlu met Secretary of State Antony Blinken.",
            "“We are ready,” Blinken said.",
            "The war must end, the minister said.",
        ]
    )
    assert out[1].speaker is not None and out[1].speaker.name == "Antony Blinken"
    assert out[2].speaker is not None and out[2].speaker.name == "Mevlüt Çavuşoğlu"
    assert {"turkish", "foreign", "minister"} <= out[2].speaker.roles
    assert out[2].speaker.names == ("mevlut", "cavusoglu")


def test_the_wife_of_the_president_resolves_to_the_last_speaker() -> None:
    """No one named has the role `wife`: the last speaker, not the president mentioned since."""
    out = who(
        [
            "“We need help,” Olena Zelenska said.",
            "President Volodymyr Zelensky visited the front.",
            "The world must act, the wife of the President of Ukraine said.",
        ]
    )
    assert out == [("Olena Zelenska", "quote"), (None, ""), ("Olena Zelenska", "reported")]


def test_statement_release_unattributed_sentences_are_the_authors() -> None:
    title = "Statement by Press Secretary Jen Psaki on the Pandemic"
    out = who(
        [
            "We will fight the virus with every tool we have.",
            "“This is a disaster,” Senator Ted Cruz said.",
            "The President will speak tomorrow.",
        ],
        title=title,
    )
    assert out == [("Jen Psaki", "statement"), ("Ted Cruz", "quote"), ("Jen Psaki", "statement")]
    author = title_author(title)
    assert author is not None and author.display == "Jen Psaki" and "secretary" in author.roles


@pytest.mark.parametrize(
    "title",
    [
        "Statement by Mayor Ida Strand On the Court’s Decision on Harbour Fees",
        "Remarks by Mayor Ida Strand Before the Council Vote",
        "Statement by Mayor Ida Strand on the harbour",
    ],
)
def test_a_title_case_release_title_ends_its_author_at_a_capitalised_preposition(title: str) -> None:
    author = title_author(title)
    assert author is not None and author.display == "Ida Strand"


def test_a_release_by_one_countrys_unnamed_office_is_the_offices() -> None:
    """ "… - address by the President of Estonia" is that office's (the entity layer names its holder);
    a joint statement of several offices is nobody's."""
    author = title_author("We will rebuild the harbour - address by the President of Estonia")
    assert author is not None and not author.names and "president" in author.roles
    assert title_author("Joint statement by the President of Estonia and the President of Latvia") is None


@pytest.mark.parametrize(
    "title",
    [
        "Speech by the President of Estonia at a joint meeting of the Senate and the Chamber of Deputies",
        "Speech by the President of Estonia in the Althing, Parliament of Iceland",
        "Stand firm: Address by the President of Estonia",
    ],
)
def test_an_unnamed_office_is_the_author_whatever_its_topic_holds(title: str) -> None:
    """The topic after the office ("at a meeting of the Senate and the Chamber", "…, Parliament of
    Iceland") joins no second office to it; a headline may end in a colon before "Address by …"."""
    author = title_author(title)
    assert author is not None and author.name == "President of Estonia"
    assert title_author("Statement by the President of Estonia, the President of Latvia") is None


def test_a_readout_of_someones_call_is_not_their_statement() -> None:
    """ "Readout of Mayor Ida Strand’s Call with …" recounts her call: its lines are nobody's statement."""
    assert title_author("Readout of Mayor Ida Strand’s Call with Governor Paul Lund") is None
    assert who(["The call lasted an hour."], title="Readout of Mayor Ida Strand’s Call") == [(None, "")]


def test_an_untitled_release_has_no_author() -> None:
    assert who(["We will fight the virus with every tool we have."], title="Psaki on the pandemic") == [
        (None, "")
    ]


# --------------------------------------------------------------------------- negative cases


@pytest.mark.parametrize(
    "sentence",
    [
        "Blinken arrived in Ankara on Monday.",
        "Talks with Putin ended.",
        "The report criticised Erdogan.",
        "Putin and Erdogan met in Sochi.",
    ],
)
def test_a_sentence_that_merely_mentions_a_person_has_no_speaker(sentence: str) -> None:
    """(A report that criticises someone is an unnamed source, never the person it names.)"""
    assert named([PRICE_SPOKE, sentence])[1] is None


@pytest.mark.parametrize(
    ("sentences", "allowed"),
    [
        (
            ["The Foreign Ministry said it would respond.", "It said the sanctions were illegal."],
            {None, "Foreign Ministry"},
        ),
        ([PRICE_SPOKE, "This is what they said."], {None}),
        ([PRICE_SPOKE, "That is what he said."], {None, "Ned Price"}),
        ([PRICE_SPOKE, "We said the plan was risky."], {None}),
        ([PRICE_SPOKE, "I said the plan was risky."], {None}),
    ],
    ids=["it-said", "this-is-what-they-said", "that-is-what-he-said", "we-said", "I-said"],
)
def test_pronoun_subjects_make_no_junk_speaker(sentences: list[str], allowed: set[str | None]) -> None:
    """`we said` / `I said` are attributed (they are speech) but to no one named."""
    assert named(sentences)[-1] in allowed


def test_they_said_is_not_the_last_single_person() -> None:
    assert named([PRICE_SPOKE, "They said the plan was risky."])[1] is None


def test_officials_said_is_not_the_last_speaker() -> None:
    assert named([PRICE_SPOKE, "Officials said the road was closed."])[1] is None


@pytest.mark.parametrize("sentence", ["Many said the plan was risky.", "Some said the plan was risky."])
def test_quantifier_subjects_are_not_named_speakers(sentence: str) -> None:
    assert named([sentence]) == [None]


@pytest.mark.parametrize(
    "sentence",
    [
        "Then Blinken said the talks would resume.",
        "Meanwhile Blinken said the talks would resume.",
        "On Monday Blinken said the talks would resume.",
    ],
)
def test_a_fronted_adverb_without_comma_is_not_part_of_the_name(sentence: str) -> None:
    assert who(["Antony Blinken arrived in Ankara.", sentence])[1][0] == "Antony Blinken"


def test_a_fronted_phrase_with_comma_is_not_part_of_the_name() -> None:
    assert who(["Antony Blinken arrived in Ankara.", "Earlier, Blinken said the talks would resume."])[1] == (
        "Antony Blinken",
        "reported",
    )


@pytest.mark.parametrize(
    "first",
    [
        "Jonas Lind arrived in Kyiv.",
        "Jonas Lind arrived in Kyiv on Friday.",
        "On Friday, Jonas Lind arrived in Kyiv.",
        "Jonas Lind arrived in Kyiv on Tuesday, March 1.",
        "Jonas Lind arrived in the Czech Republic.",
        "Jonas Lind arrived in New York.",
        "Jonas Lind flew from New Hampshire to South Carolina.",
    ],
)
def test_he_said_is_never_a_place_or_weekday(first: str) -> None:
    assert who([first, "“It is calm,” he said."])[1] == ("Jonas Lind", "quote")


# --------------------------------------------------------------------------- parse_phrase / name_key


@pytest.mark.parametrize(
    ("phrase", "display", "names", "roles"),
    [
        (
            "U.S. State Department spokesman Ned Price",
            "Ned Price",
            ("ned", "price"),
            {"state", "department", "spokesman"},
        ),
        (
            "President of Brazil Jair Bolsonaro",
            "Jair Bolsonaro",
            ("jair", "bolsonaro"),
            {"president", "brazil"},
        ),
        (
            "White House COVID-19 Response Coordinator Jeff Zients",
            "Jeff Zients",
            ("jeff", "zients"),
            {"white", "house", "coordinator"},
        ),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", ("dmitry", "peskov"), {"kremlin", "spokesman"}),
        (
            "Turkish Foreign Minister Mevlüt Çavuşoğlu",
            "Mevlüt Çavuşoğlu",
            ("mevlut", "cavusoglu"),
            {"turkish", "foreign", "minister"},
        ),
        # A hyphenated title is a role word; the word after "of the" is the body the role is of.
        (
            "Commander-in-Chief of the Armed Forces of Norway Ola Brenn",
            "Ola Brenn",
            ("ola", "brenn"),
            {"commander-in-chief", "armed", "forces", "norway"},
        ),
        ("Commander of the Navy Ola Brenn", "Ola Brenn", ("ola", "brenn"), {"commander", "navy"}),
    ],
)
def test_parse_phrase_person(phrase: str, display: str, names: tuple[str, ...], roles: set[str]) -> None:
    ent = parse_phrase(phrase)
    assert ent is not None
    assert (ent.display, ent.names, ent.org) == (display, names, False)
    assert roles <= ent.roles
    assert not set(names) & ent.roles


def test_parse_phrase_org() -> None:
    ent = parse_phrase("the Foreign Ministry")
    assert ent is not None
    assert ent.org
    assert ent.display == "Foreign Ministry"
    assert "ministry" in ent.roles


def test_parse_phrase_bare_role() -> None:
    ent = parse_phrase("the minister")
    assert ent is not None and ent.names == () and ent.roles == {"minister"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zelensky", "Zelenskyy"),
        ("Zelensky", "Zelenskiy"),
        ("Zelenskyy", "Zelenskiy"),
        ("Erdoğan", "erdogan"),
        ("Çavuşoğlu", "cavusoglu"),
    ],
)
def test_name_key_folds_transliterations(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("Price") != name_key("Prince")
    assert name_key("Putin") != name_key("Peskov")


# --------------------------------------------------------------------------- end to end

TALKS = {
    "talks.txt": (
        "Blinken visits Ankara",
        [
            "Secretary of State Antony Blinken arrived in Ankara on Monday for talks on Ukraine.",
            "Protesters waved flags as Blinken’s motorcade passed.",
            "“We are committed to a diplomatic solution,” Blinken said.",
            "Blinken told reporters that sanctions on Russia would stay in place.",
            "Turkish Foreign Minister Mevlüt Çavuşoğlu hosted the meeting.",
            "The war must end soon, the minister said.",
        ],
    ),
}
BLINKEN_SAID = {
    "“We are committed to a diplomatic solution,” Blinken said.",
    "Blinken told reporters that sanctions on Russia would stay in place.",
}


@pytest.fixture
def talks(small_corpus: Callable[[dict], object]):
    return small_corpus(TALKS)


def test_e2e_said_cites_only_what_x_said(talks) -> None:
    ans = talks.answer("What did Blinken say?")
    assert ans.found and ans.kind == "said"
    assert {c.sentence for c in ans.citations} == BLINKEN_SAID
    assert {c.speaker for c in ans.citations} == {"Antony Blinken"}
    assert ans.note is None


@pytest.mark.xfail(
    strict=True,
    reason="known gap: a topic word in a neighbouring sentence (the lead-in window of the answerer) "
    "lets one of X's other sentences answer; a narrower window costs answerable dev-set questions",
)
def test_e2e_said_about_a_topic_x_never_spoke_about_declines(talks) -> None:
    # "flags" is only in a sentence that mentions Blinken; it must not be cited as his.
    for topic in ("flags", "the weather"):
        ans = talks.answer(f"What did Blinken say about {topic}?")
        assert not ans.found and not ans.citations
        assert "statements by Antony Blinken" in ans.text
        assert f"none about “{topic}”" in ans.text


def test_e2e_person_never_mentioned_declines(talks) -> None:
    ans = talks.answer("What did Jonas Lind say?")
    assert not ans.found and not ans.citations
    assert "Jonas Lind is not mentioned" in ans.text


def test_e2e_misspelt_name_is_answered_with_a_note(talks) -> None:
    ans = talks.answer("What did Blinkin say?")
    assert ans.found
    assert {c.sentence for c in ans.citations} == BLINKEN_SAID
    assert ans.note is not None and "showing results for" in ans.note and "Blinken" in ans.note
    assert "showing results for" in ans.text


def test_e2e_role_reference_answers_for_the_minister_by_folded_name(talks) -> None:
    ans = talks.answer("What did Cavusoglu say?")
    assert [c.sentence for c in ans.citations] == ["The war must end soon, the minister said."]
    assert ans.citations[0].speaker == "Mevlüt Çavuşoğlu"


# --------------------------------------------------------------------------- from a new user's trial


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("“Bravo is better,” harbour master Carl Dahl said.", "Carl Dahl"),
        ("“Echo,” local resident Ivan Jarl told reporters.", "Ivan Jarl"),
    ],
)
def test_lower_case_descriptor_before_a_name_is_not_the_previous_speaker(sentence: str, speaker: str) -> None:
    assert who([PRICE_SPOKE, sentence])[1] == (speaker, "quote")


def test_questions_from_the_floor_end_a_transcript_label() -> None:
    got = who(
        [
            "CHANCELLOR SCHOLZ: We will decide.",
            "It is important.",
            "Q: Don't you think Germany should rethink Nord Stream 2?",
            "And what about gas?",
            "CHANCELLOR SCHOLZ: No.",
        ],
        [0, 0, 1, 1, 2],
        title="Remarks by Chancellor Scholz at a press conference",
    )
    assert [g[0] for g in got] == ["Scholz", "Scholz", None, None, "Scholz"]


def test_said_the_president_of_a_country_is_that_countrys_president() -> None:
    got = who(
        [
            "President Joe Biden spoke with President of Ukraine Volodymyr Zelenskyy.",
            "“Thank you,” Biden said.",
            "“This will pave the way for the Normandy Summit,” said the President of Ukraine.",
        ]
    )
    assert got[2][0] == "Volodymyr Zelenskyy"


def test_a_quote_naming_its_own_speaker_is_not_continued_from_the_last() -> None:
    # "summed" is no verb the rules know, but the words after the quote name someone else.
    got = who(["“We will win,” Erdogan said.", "“We stand together,” Volodymyr Zelenskyy summed."], [0, 0])
    assert got[1][0] != "Erdogan"


def test_white_house_q_paragraphs_are_nobodys() -> None:
    got = who(
        [
            "CHANCELLOR SCHOLZ: We are united.",
            "Q (As interpreted.) Michael Fischer, DPA. Will you rethink Nord Stream 2?",
            "And what about gas?",
            "PRESIDENT BIDEN: We will end it.",
        ],
        [0, 1, 1, 2],
    )
    assert [g[0] for g in got][1:3] == [None, None]


def test_a_multiword_role_resolves_to_the_person_named_with_it() -> None:
    out = who(
        [
            "Mayor Ines Holm spoke with Prime Minister Aron Vick of Norland about the floods.",
            "The Prime Minister promised quick help for the towns along the river.",
        ]
    )
    assert out[1] == ("Aron Vick", "reported")


def test_the_president_of_the_republic_of_x_is_the_x_president_named_earlier() -> None:
    out = who(
        [
            "French President Luc Morel said the talks went well.",
            "German President Karl Vogt said he was grateful.",
            "The President of the French Republic said the harbour must reopen.",
        ]
    )
    assert out[2] == ("Luc Morel", "reported")


def test_a_country_word_before_a_role_phrase_is_not_a_name() -> None:
    out = who(
        [
            "German President Karl Vogt met the visitors.",
            "The German Head of State stressed that help must come soon.",
        ]
    )
    assert out[1] == ("Karl Vogt", "reported")


def test_a_role_of_another_country_is_not_the_president_named_last() -> None:
    out = who(
        [
            "French President Luc Morel arrived in the morning.",
            "The German President said the border would stay open.",
        ]
    )
    assert out[1][0] != "Luc Morel"


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("Statement by Mayor Ines Holm on the Court’s Ruling on Parking", "Ines Holm"),
        ("Remarks by Mayor Ines Holm Before Ferry Departure", "Ines Holm"),
        ("Statement by Mayor Ines Holm Four Years After the Flood", "Ines Holm"),
        ("Statement by Mayor Ines Holm Marking One Year Since the Flood", "Ines Holm"),
        ("Readout from Port Director Carl Dahl on the Port Closure", "Carl Dahl"),
        ("Remarks as Prepared for Delivery by Mayor Ines Holm at the Harbour", "Ines Holm"),
    ],
)
def test_a_release_title_author_stops_before_the_topic(title: str, author: str) -> None:
    ent = title_author(title)
    assert ent is not None and ent.name == author


@pytest.mark.parametrize(
    "title",
    [
        "Readout of City Hall Meeting with Ferry Operators",
        "Readout of the Second Meeting of the Port Board",
        # an office's account of her call: its lines are not the Mayor's words
        "Readout of Mayor Ines Holm’s Call With Governor Aron Vick of Norland",
    ],
)
def test_a_readout_of_an_event_has_no_author(title: str) -> None:
    assert title_author(title) is None


def test_two_joined_subjects_are_neither_alone() -> None:
    out = who(
        [
            "Mayor Ines Holm called Governor Carl Dahl.",
            "The Mayor and the Governor agreed to stay in touch.",
            "Ms. Holm and her counterparts discussed the floods.",
        ]
    )
    assert out[1] == ("The Mayor and the Governor", "reported")
    assert out[2] == ("Ms. Holm and her counterparts", "reported")


def test_a_gendered_relation_is_not_the_last_speaker_of_the_other_gender() -> None:
    out = who(
        [
            "Judge Carl Dahl sentenced Peter and Maria Lind on Monday.",
            "“This was cruel,” Judge Dahl said.",
            "The mother said she was sorry.",
        ]
    )
    assert out[2] == ("Maria Lind", "reported")


def test_mr_surname_is_not_the_woman_of_that_surname_named_last() -> None:
    out = who(
        [
            "Peter Lind met voters.",
            "Maria Lind joined him later.",
            "Mr. Lind said the campaign was going well.",
        ]
    )
    assert out[2] == ("Peter Lind", "reported")


def test_one_of_a_group_is_nobody_named() -> None:
    out = attrs(["Carl Dahl met the workers.", "One of the workers said the pay was too low."])
    assert out[1].speaker is not None and out[1].speaker.names == ()


def test_a_release_by_a_role_is_the_person_its_text_names_with_that_role() -> None:
    out = who(
        [
            "President of France Carl Dahl: Friends, we meet in hard times.",
            "The harbour will reopen.",
        ],
        [0, 1],
        title="Address by the President of the French Republic",
    )
    # the release's (statement) or, as its one styled label opens it, his turn's
    assert out[1][0] == "Carl Dahl"
    assert out[1][1] in {"statement", "label"}


def test_a_role_phrase_of_a_body_resolves_to_the_person_holding_it() -> None:
    out = who(
        [
            "Head of the Office of the Mayor of Norland Ines Holm met the press.",
            "“We are ready,” said the Head of the Mayor’s Office.",
        ]
    )
    assert out[1] == ("Ines Holm", "quote")


def test_a_clause_read_as_a_speaker_does_not_end_a_turn() -> None:
    out = who(
        [
            "Carl Dahl: Friends, the matter is serious.",
            "The matter is very serious and needs to be discussed.",
            "Carl Dahl: Thank you.",
            "Ines Holm: Thank you.",
        ]
    )
    assert out[1][0] == "Carl Dahl"


def test_the_leader_of_a_country_is_the_person_holding_its_top_role() -> None:
    out = who(
        [
            "French President Luc Morel arrived in the morning.",
            "German President Karl Vogt met him.",
            "The French leader noted that the talks went well.",
        ]
    )
    assert out[2] == ("Luc Morel", "reported")


def test_a_month_in_a_name_is_part_of_it_a_leading_weekday_is_not() -> None:
    out = who(["Prime Minister Ines May visited the port.", "She said it would reopen."])
    assert out[1] == ("Ines May", "reported")
    out = who(["On Monday Carl Dahl visited the port.", "He said it would reopen."])
    assert out[1] == ("Carl Dahl", "reported")
