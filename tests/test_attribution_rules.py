"""Each attribution rule id on a short inline text; pronoun and role resolution; what is never a speaker.

Texts are written for these tests. Each case names the rule it exercises, and a test checks that
every rule of the table (and every spreading step) has a case here, so a new rule needs one.
"""

from __future__ import annotations

import pytest

from bot.attribution import RULE_IDS, How, RuleAttributor, SentenceAttribution, parse_phrase
from bot.attribution.rules import first_match

ATTRIBUTOR = RuleAttributor()


def run(
    sentences: list[str], paragraphs: list[int] | None = None, title: str = ""
) -> list[SentenceAttribution]:
    paras = paragraphs if paragraphs is not None else list(range(len(sentences)))
    return ATTRIBUTOR.attribute(sentences, paras, title)


# (rule id, sentences, paragraphs, index of the sentence under test, speaker, how, mention, cue)
CASES = [
    (
        "label",
        ["Maria Olsen: We will reopen the port."],
        None,
        0,
        "Maria Olsen",
        How.LABEL,
        "Maria Olsen",
        ":",
    ),
    (
        "headed-label",
        ["Opening remarks at the port summit Mayor of Harbour Town Maria Olsen: Colleagues, we will reopen."],
        None,
        0,
        "Maria Olsen",
        How.LABEL,
        "Mayor of Harbour Town Maria Olsen",
        ":",
    ),
    (
        "signature",
        ["“The bridge is safe.” ― Carl Dahl"],
        None,
        0,
        "Carl Dahl",
        How.QUOTE,
        "Carl Dahl",
        " ― ",
    ),
    (
        "quote-verb-speaker",
        ["“The bridge is safe,” said Carl Dahl."],
        None,
        0,
        "Carl Dahl",
        How.QUOTE,
        "Carl Dahl",
        "said",
    ),
    (
        "quote-speaker-verb",
        ["The bridge “is safe,” Dahl insisted."],
        None,
        0,
        "Dahl",
        How.QUOTE,
        "Dahl",
        "insisted",
    ),
    (
        "quote-tail-speaker",
        ["“The bridge is safe,” Carl Dahl, the harbour master, growled at the meeting."],
        None,
        0,
        "Carl Dahl",
        How.QUOTE,
        "Carl Dahl",
        "growled",
    ),
    (
        "speaker-aside-verb",
        ["Carl Dahl, who runs the harbour, warned that the bridge was unsafe."],
        None,
        0,
        "Carl Dahl",
        How.REPORTED,
        "Carl Dahl",
        "warned",
    ),
    (
        "speaker-verb",
        ["Speaking in Oslo on Monday, Carl Dahl acknowledged that the bridge was unsafe."],
        None,
        0,
        "Carl Dahl",
        How.REPORTED,
        "Carl Dahl",
        "acknowledged",
    ),
    (
        "speaker-participle",
        ["Carl Dahl escalated his attacks on Monday, telling reporters that the bridge was unsafe."],
        None,
        0,
        "Carl Dahl",
        How.REPORTED,
        "Carl Dahl",
        "telling",
    ),
    (
        "speaker-colon-quote",
        ["Carl Dahl put it bluntly: “The bridge will fall.”"],
        None,
        0,
        "Carl Dahl",
        How.QUOTE,
        "Carl Dahl",
        ":",
    ),
    (
        "according-to-noun",
        ["The bridge will close, according to a statement from port director Carl Dahl."],
        None,
        0,
        "Carl Dahl",
        How.ACCORDING_TO,
        "port director Carl Dahl",
        "according to",
    ),
    (
        "according-to",
        ["The bridge will close, according to Carl Dahl."],
        None,
        0,
        "Carl Dahl",
        How.ACCORDING_TO,
        "Carl Dahl",
        "according to",
    ),
    (
        "according-to-front",
        [
            "Mayor Maria Olsen opened the session.",
            "According to the mayor, Tarnby has proposed a new bridge.",
        ],
        None,
        1,
        "Maria Olsen",
        How.ACCORDING_TO,
        "the mayor",
        "According to",
    ),
    (
        "speech-noun",
        ["The bridge will close in May, in a statement released by Carl Dahl."],
        None,
        0,
        "Carl Dahl",
        How.STATEMENT,
        "Carl Dahl",
        "statement",
    ),
    (
        "message-reads",
        ["Mayor Ana Kovac posted a message on Sunday.", "The message reads, in part: “We will rebuild.”"],
        [0, 1],
        1,
        "Ana Kovac",
        How.QUOTE,
        "The message",
        "reads",
    ),
    (
        "interview-label",
        ["((WN)) When did the work begin?", "((Ines Holm)) We began in 2017."],
        [0, 1],
        1,
        "Ines Holm",
        How.LABEL,
        "Ines Holm",
        "((",
    ),
    (
        "reported-speaker-after",
        ["The bridge will close in May, Carl Dahl said."],
        None,
        0,
        "Carl Dahl",
        How.REPORTED,
        "Carl Dahl",
        "said",
    ),
]


@pytest.mark.parametrize(
    ("rule", "sentences", "paragraphs", "at", "speaker", "how", "mention", "cue"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_rule(
    rule: str,
    sentences: list[str],
    paragraphs: list[int] | None,
    at: int,
    speaker: str,
    how: How,
    mention: str,
    cue: str,
) -> None:
    a = run(sentences, paragraphs)[at]
    assert a.rule == rule
    assert a.speaker is not None and a.speaker.name == speaker
    assert a.how is how
    assert a.mention_span is not None and sentences[at][slice(*a.mention_span)] == mention
    assert a.cue_span is not None and sentences[at][slice(*a.cue_span)] == cue


@pytest.mark.parametrize(
    "sentence",
    [
        "The port closed on Monday, with Carl Dahl calling for an inquiry.",
        "Carl Dahl ended the meeting by saying that the port would reopen.",
    ],
)
def test_participles_name_their_speaker(sentence: str) -> None:
    out = run([sentence])
    assert out[0].rule == "speaker-participle" and out[0].speaker is not None
    assert out[0].speaker.name == "Carl Dahl"


def test_a_label_after_a_section_mark() -> None:
    out = run(["*** Maria Olsen: We will reopen the port.", "It is ready.", "Carl Dahl: Good."], [0, 0, 1])
    assert [a.speaker.name if a.speaker else None for a in out] == ["Maria Olsen", "Maria Olsen", "Carl Dahl"]


def test_a_label_after_an_elision_mark_mid_paragraph_starts_a_turn() -> None:
    """ "<…> Name:" after a cut in a transcript is the next speaker's turn, not the last one's; a
    stage direction after the colon ("Name:(answering …)") does not hide the label."""
    sentences = [
        "Maria Olsen: We will reopen the port.",
        "It is ready.",
        "<…> Carl Dahl: When will the ferry run?",
        "<…> Maria Olsen:(answering a question from the floor) In May.",
        "The boats are here.",
    ]
    out = run(sentences, [0, 0, 1, 1, 1])
    named = [a.speaker.name if a.speaker else None for a in out]
    assert named == ["Maria Olsen", "Maria Olsen", "Carl Dahl", "Maria Olsen", "Maria Olsen"]


def test_a_heading_run_into_a_label_holds_for_the_turn() -> None:
    """A page that lost the break between a heading and the first turn: the label is the last role
    before the colon and the name after it, and the turn runs on as any label's."""
    sentences = [
        "Talks with Mayor of Bay City Carl Dahl Mayor of Harbour Town Maria Olsen: Mr Dahl, I am glad.",
        "The port is ready.",
        "Mayor of Bay City Carl Dahl: Thank you.",
    ]
    out = run(sentences, [0, 1, 2])
    assert out[0].rule == "headed-label" and out[0].mention == "Mayor of Harbour Town Maria Olsen"
    assert [a.speaker.name if a.speaker else None for a in out] == ["Maria Olsen", "Maria Olsen", "Carl Dahl"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ferries Halted by National Interests: The council has members that oppose those ferries.",
        "After the vote Harbour Mayor Maria Olsen said: we will reopen the port.",
        "Talks at the Harbour Town Council: Members said the port is ready.",
    ],
)
def test_a_title_case_heading_is_not_a_headed_label(sentence: str) -> None:
    hit = first_match(sentence, True)
    assert hit is None or hit[0].id != "headed-label"


def test_an_address_then_first_person_speech_is_a_turn_not_a_heading() -> None:
    """ "Mr President, Madam Chair of the Harbour Board Union, I am …" is many capitalised words, but
    an address followed by "I" is speech."""
    text = "*** Maria Olsen: Mr President, Madam Chair of the Harbour Board Union Commission, I am Glad."
    hit = first_match(text, False)
    assert hit is not None and hit[0].id == "label" and hit[1].who == "Maria Olsen"


@pytest.mark.parametrize(
    "address",
    [
        "Fellow citizens, Dear veterans, Comrade sailors, captains and mates, Comrade officers, I greet you!",
        "President Dahl, President Berg, Prime Minister Lind, ladies and gentlemen, To begin, I thank you.",
    ],
)
def test_an_address_of_a_list_then_first_person_speech_opens_a_headed_turn(address: str) -> None:
    """A heading run into a label whose turn opens by addressing a list ("Fellow citizens, Dear
    veterans, …, I greet you"): the commas are an address, not a list of names, and the turn is the
    label's, not "I"'s."""
    sentences = [f"Speech by the Mayor at the harbour parade Mayor of Harbour Town Maria Olsen: {address}"]
    sentences += ["The port is ready.", "We will reopen it."]
    out = run(sentences, [0, 1, 2])
    assert out[0].rule == "headed-label" and out[0].mention == "Mayor of Harbour Town Maria Olsen"
    assert [a.speaker.name if a.speaker else None for a in out] == ["Maria Olsen"] * 3
    assert first_match("New Port: Ann Lee, Bo Kim, Cy Do, Di Ma, Ed Wu.", True) is None


def test_a_persons_label_opens_a_turn_whose_first_words_are_in_title_case() -> None:
    """A role, a first name and a surname before the colon are a label even when the turn opens with
    a name in title case; a title-case heading with no person before its colon stays none."""
    text = (
        "Mayor of Harbour Town Maria Olsen: Friends, Greetings to everyone at the Harbour Town Winter Games."
    )
    hit = first_match(text, True)
    assert hit is not None and hit[0].id == "label" and hit[1].who == "Mayor of Harbour Town Maria Olsen"
    assert first_match("Law Schools: Over 300 Students Provided Pro Bono Support To Tenants.", True) is None


def test_an_address_after_its_report_is_the_reported_speakers() -> None:
    """ "Mayor Ida Strand congratulated …" then "Dear friends, …": the address that nobody is said
    to speak is hers, to the end; in a transcript an opening greeting stays the label's or nobody's."""
    sentences = [
        "Mayor Ida Strand congratulated the harbour workers on Port Day.",
        "Dear friends, today is our day.",
        "I thank you all for your work.",
        "The port will grow this year.",
    ]
    out = run(sentences, [0, 1, 1, 2])
    assert [a.speaker.name if a.speaker else None for a in out] == ["Ida Strand"] * 4
    assert out[1].rule == "address-after-report"
    told = run(["Mayor Ida Strand said the port would grow.", "The ferries run again."], [0, 1])
    assert told[1].speaker is None  # no address: narration stays nobody's
    interview = run(
        [
            "Mayor Ida Strand congratulated the harbour workers.",
            "Good afternoon, madam.",
            "Ida Strand: Good afternoon.",
        ],
        [0, 1, 2],
    )
    assert interview[1].speaker is None


def test_a_stage_direction_does_not_end_a_transcript_turn() -> None:
    sentences = ["Maria Olsen: We will reopen.", "(Laughter.)", "The port is ready.", "Carl Dahl: Good."]
    sentences += ["Maria Olsen: Yes.", "Carl Dahl: Fine."]
    out = run(sentences, [0, 0, 0, 1, 2, 3])
    assert out[1].speaker is None
    assert out[2].speaker is not None and out[2].speaker.name == "Maria Olsen"


def test_section_headings_in_a_column_are_not_a_transcript() -> None:
    """A column with one "Name: …" heading per person: each label holds for its own paragraph only."""
    prose = [f"The plan has part {k} of many." for k in range(6)]
    sentences = ["Maria Olsen: She wants a new port.", *prose, "Carl Dahl: He wants a new bridge.", *prose]
    out = run(sentences)
    named = [a.speaker.name if a.speaker else None for a in out]
    assert named == ["Maria Olsen", *[None] * 6, "Carl Dahl", *[None] * 6]


@pytest.mark.parametrize(
    ("mark", "paragraphs"),
    [
        ("", [0, 1, 2, 3]),
        ("*** ", [0, 0, 0, 1]),
    ],  # after a section mark mid-paragraph, as a page lost its break
)
def test_one_transcript_style_label_opens_a_speech_that_runs_over_paragraphs(
    mark: str, paragraphs: list[int]
) -> None:
    """Opening remarks: one label with a role ("Mayor of Harbour Town Maria Olsen:") and then
    paragraphs of speech with no label of their own, all hers — also when the label follows a
    section mark in the paragraph of the sentence before ("… monument.*** Mayor … Olsen: …")."""
    sentences = [
        "The mayor met the harbour board.",
        f"{mark}Mayor of Harbour Town Maria Olsen: Good afternoon, colleagues.",
        "The port is ready.",
        "Tolls will fall next year.",
    ]
    out = run(sentences, paragraphs)
    assert [a.speaker.name if a.speaker else None for a in out] == [None, *["Maria Olsen"] * 3]


@pytest.mark.parametrize("line", ["Dear Madam Mayor: I am sending this report.", "SUBJECT: Port repairs"])
def test_a_salutation_or_a_memo_field_is_no_label(line: str) -> None:
    out = run([line, "The port is ready."])
    assert all(a.how is not How.LABEL for a in out)


def test_floor_question_is_nobodys_and_ends_a_label() -> None:
    out = run(["Maria Olsen: We will reopen.", "Maria Olsen: The port is ready.", "Q: When?", "And how?"])
    assert [a.speaker.name if a.speaker else None for a in out] == ["Maria Olsen", "Maria Olsen", None, None]
    assert out[2].rule == "" and out[2].how is None


def test_a_floor_question_without_colon_or_cue_word_is_nobodys() -> None:
    """White House style "Q Why?" has neither a colon nor a speech word: it is still the floor's, and
    neither the speaker before it nor the release's author said it."""
    sentences = ["MAYOR OLSEN: The port is ready.", "Q Why?", "MAYOR OLSEN: The repairs are done."]
    out = run(sentences, title="Remarks by Mayor Maria Olsen")
    assert out[1].speaker is None and out[1].how is None
    assert out[0].speaker is not None and out[2].speaker is not None


def test_first_person_speech_inside_a_transcript_turn_is_the_labels() -> None:
    """In Olsen's turn, "I told him …" and "we said …" are hers: "I" and "we" are no speakers."""
    sentences = [
        "Maria Olsen: The port is ready.",
        "I told him that the cranes had arrived.",
        "We said the fees would stay.",
        "Carl Dahl: Thank you.",
    ]
    out = run(sentences)
    assert [a.speaker.name if a.speaker else None for a in out] == [
        "Maria Olsen",
        "Maria Olsen",
        "Maria Olsen",
        "Carl Dahl",
    ]


def test_what_a_turn_reports_of_others_is_the_turn_speakers() -> None:
    """In Olsen's turn, "The board announced that …" and "You say that …" are her words about what
    others said; a quotation in quote marks stays its author's."""
    sentences = [
        "Maria Olsen: The port is ready.",
        "The board announced that the fees would stay.",
        "You say that the cranes are late.",
        "“The quay is finished,” Dahl said.",
        "Carl Dahl: Thank you.",
    ]
    out = run(sentences)
    assert [a.speaker.name if a.speaker else None for a in out] == [
        "Maria Olsen",
        "Maria Olsen",
        "Maria Olsen",
        "Dahl",
        "Carl Dahl",
    ]
    assert out[1].rule == out[2].rule == "turn-report"


def test_a_parenthesised_aside_in_a_turn_is_not_the_speakers() -> None:
    """The transcriber's "(In her remarks, the minister …)" and the sentences before its parenthesis
    closes are narration, not the turn; a parenthesis closing early ("((en)) …") is no aside."""
    sentences = [
        "Maria Olsen: The port is ready.",
        "(In his remarks, the harbour master spoke about the cranes.",
        "The new quay was also on his list.)",
        "((en)) The fees will stay.",
        "Carl Dahl: Thank you.",
    ]
    out = run(sentences, [0, 0, 0, 0, 1])
    shown = [a.speaker.name if a.speaker else None for a in out]
    assert shown[2] is None and shown[3] == "Maria Olsen" and shown[0] == "Maria Olsen"
    assert shown[1] != "Maria Olsen"


def test_a_name_suffix_after_a_comma_is_part_of_the_name() -> None:
    out = run(["Today, Mayor Carl J. Dahl, Jr. declared that the port is open."])
    assert out[0].speaker is not None and out[0].speaker.name == "Carl J. Dahl"


def test_a_one_word_heading_in_capitals_is_no_speaker() -> None:
    """A fact sheet's "PREVENTION: …" sections are headings; a capitals label whose turn comes again,
    or who the article named, is a speaker ("DAHL:")."""
    sheet = ["PREVENTION: Programs start in schools.", "- Train teachers.", "PROTECTION: Shelters open."]
    assert all(a.speaker is None for a in run(sheet, [0, 1, 2]))
    talk = ["Carl Dahl met the board.", "DAHL: The port is ready.", "LEE: Good.", "DAHL: Thanks."]
    out = run(talk, [0, 1, 2, 3])
    assert out[1].speaker is not None and out[3].speaker is not None


def test_a_role_to_someone_named_with_the_person_is_that_person() -> None:
    """ "Adviser to the Head of the Mayor's Office Maria Lind" is a mention of Lind with her role, though
    "the" and "to" come before the name run; "the Adviser to the Head of the Mayor's Office" later is her."""
    out = run(
        [
            "Adviser to the Head of the Mayor's Office Maria Lind is convinced that the quay will open.",
            "“The quay is ready,” said the Adviser to the Head of the Mayor's Office.",
        ],
        [0, 1],
    )
    assert out[1].speaker is not None and out[1].speaker.name == "Maria Lind"


def test_a_role_to_someone_is_the_person_the_headline_quotes() -> None:
    quote = "“The quay is ready,” said the Adviser to the Head of the Mayor's Office."
    out = run([quote], [0], "Maria Lind: The port will reopen")
    assert out[0].speaker is not None and out[0].speaker.name == "Maria Lind"


def test_a_role_of_a_place_no_table_knows_is_not_a_countrys_role() -> None:
    """The President of Norland named earlier is not "the President of Russia"."""
    out = run(
        ["President of Norland Jon Berg met the press.", "“We agree,” the President of Russia said."], [0, 1]
    )
    assert out[1].speaker is not None and out[1].speaker.name != "Jon Berg"


def test_her_is_no_he_in_a_source_phrase() -> None:
    """ "according to a statement released by her family": the family, not a "he" read out of "her";
    "was denied by Irma Lind" is Lind, not an "I"."""
    out = run(["Ana Lind died, according to a statement released by her family."])
    assert out[0].speaker is not None and out[0].speaker.name == "her family"
    out = run(["The charge was denied by Irma Lind, the mayor's lawyer."])
    assert out[0].speaker is not None and out[0].speaker.name == "Irma Lind"


def test_every_rule_has_a_case() -> None:
    covered = {c[0] for c in CASES} | {"floor-question", "first-person-object"} | set(SPREADING)
    assert set(ATTRIBUTOR.rule_ids) - {""} <= covered
    assert set(RULE_IDS) <= set(ATTRIBUTOR.rule_ids)


# --------------------------------------------------------------------------- spreading steps

SPREADING = {
    "quote-before-attribution": (
        ["“The bridge is unsafe.”", "Dahl told the council it must close."],
        [0, 0],
        0,
    ),
    "quote-continued": (["“The bridge is unsafe,” Dahl said.", "“It must close.”"], [0, 1], 1),
    "quote-attributed-later": (["“The bridge is unsafe.", "It must close,” said Carl Dahl."], [0, 0], 0),
    "quote-after-report": (["Carl Dahl defended the closure.", "“The bridge is unsafe.”"], [0, 1], 1),
    "label-continued": (["Maria Olsen: We will reopen.", "It is ready.", "Carl Dahl: Good."], [0, 0, 1], 1),
    "turn-report": (
        ["Maria Olsen: We will reopen.", "The board said it was ready.", "Carl Dahl: Good."],
        [0, 0, 1],
        1,
    ),
    "release-title": (["The port will reopen."], [0], 0),
    "cue-line": (["“The bridge is unsafe and must close.”", "Dahl said on Monday."], [0, 0], 0),
    "message-text": (
        ["Ana Kovac issued a statement.", "The statement reads:", "We will rebuild."],
        [0, 1, 2],
        2,
    ),
    "bullet-lead-in": (
        [
            "Today, Harbour Master Ola Dahl gave an update on the port works:",
            "- “The quay is finished.” (Watch)",
        ],
        [0, 1],
        1,
    ),
    "bullet-occasion": (
        [
            "Mayor Ines Holm sat down for an interview with Channel 5.",
            "Here are the top moments:",
            "- On tolls: “We will cut them before the summer.”",
        ],
        [0, 1, 2],
        2,
    ),
    "address-after-report": (
        ["Mayor Ines Holm congratulated the port's workers on Port Day.", "Dear friends, I thank you."],
        [0, 1],
        1,
    ),
}


def test_a_quotation_list_is_the_speaker_its_lead_in_names() -> None:
    """Every quotation item after "X gave an update:" is X's; an item quoting a name in passing is
    not a quotation; "On <topic>:" is no label; a heading "X on <programme>" leads a list too."""
    out = run(
        [
            "Today, Harbour Master Ola Dahl gave an update on the port works:",
            "- “The quay is finished.” (Watch)",
            "- On the cranes: “They arrive next week.”",
            "- “Go with Jo,” a ferry show, opens the season.",
        ]
    )
    assert [a.speaker.name if a.speaker else None for a in out[1:]] == [
        "Harbour Master Ola Dahl",
        "Harbour Master Ola Dahl",
        None,
    ]
    assert first_match("On tolls: “We will cut them.”", True) is None  # a topic, not a speaker's label
    heading = run(["Mayor Ines Holm on Morning Talk", "- On tolls: “We will cut them.”"])
    assert heading[1].rule == "bullet-lead-in" and heading[1].speaker is not None
    assert heading[1].speaker.names == ("ines", "holm")


@pytest.mark.parametrize(
    "sentences",
    [
        # two people joined by "and": whose each item is, the lead-in does not say
        ["Harbour Master Ola Dahl and Mayor Ines Holm gave an update:", "- “The quay is finished.”"],
        # a lead-in that names nobody, after a paragraph that tells of no occasion anyone spoke on
        ["The port reopened on Monday.", "Here are the top moments:", "- “The quay is finished.”"],
        # items with labels of their own are several people's
        ["Here is what they are saying:", "- Ola Dahl: “The quay is finished.”", "- “It is early.”"],
        # the person the text before is about, but two of them
        [
            "Ola Dahl and Ines Holm gave an interview.",
            "Here are the top moments:",
            "- “The quay is finished.”",
        ],
    ],
)
def test_a_quotation_list_without_one_named_speaker_stays_unattributed(sentences: list[str]) -> None:
    assert run(sentences)[-1].speaker is None


@pytest.mark.parametrize(
    ("line", "who"),
    [
        ("— Secretary of Ports Ola Dahl", "Ola Dahl"),
        ("– Mayor Ines Holm, March 19, 2021", "Ines Holm"),
        ("— Harbour Board spokeswoman Ines Holm", "Ines Holm"),
        ("— Ambassador to the Union, Ines Holm", "Ines Holm"),
        ("– Ola Dahl, Senior Advisor and Port Works Coordinator", "Ola Dahl"),
    ],
)
def test_a_credit_line_signs_the_quotation_it_closes(line: str, who: str) -> None:
    """A credit with a long role, a date or the role before the name signs the quotation before it,
    on its own line or at the end of the quotation's paragraph."""
    own = run(["“The quay is finished. We are ahead of schedule.”", line], [0, 1])
    assert own[0].rule == "signature" and own[0].speaker is not None
    assert who.lower().split() == list(own[0].speaker.names)
    tail = run([f"“We are ahead of schedule.” {line}"], [0])
    assert tail[0].speaker is not None and who.lower().split() == list(tail[0].speaker.names)


def test_a_clause_after_a_dash_is_no_credit() -> None:
    out = run(["“The quay is finished.”", "- In Norland, port officials arrested a smuggler."], [0, 1])
    assert out[0].speaker is None


@pytest.mark.parametrize("rule", sorted(SPREADING))
def test_spreading_step(rule: str) -> None:
    sentences, paras, at = SPREADING[rule]
    title = "Statement by Harbour Master Carl Dahl on the port" if rule == "release-title" else ""
    a = run(sentences, paras, title)[at]
    assert a.rule == rule
    assert a.speaker is not None and a.speaker.names


def test_a_quote_continues_over_paragraphs_while_it_is_open() -> None:
    out = run(
        ["“The bridge is unsafe,” Dahl said. “We have known for years.", "We waited too long.”"], [0, 1]
    )
    assert out[1].speaker is not None and out[1].speaker.name == "Dahl"


def test_a_quote_led_in_by_a_speaker_no_rule_reads_is_not_the_previous_speakers() -> None:
    # A lead-in ending in a reporting verb names its own speaker, even an unreadable one.
    for lead in ("The crew was so tired that one sailor was prompted to say", "A sign on the quay said"):
        out = run(["Mayor Ines Holm said, “The port is safer.”", f"{lead}, “Closed.”"])
        assert out[1].speaker is None or out[1].speaker.name != "Ines Holm", lead


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Ola Dahl of the Nordic Port Board (NPB) said, “We stay.”", "Ola Dahl"),
        ("Ola Dahl (pictured) told reporters the quay would reopen.", "Ola Dahl"),
        ("Ola Dahl (45) said the quay would reopen.", "Ola Dahl"),
        ("Start of talks President of Norland Ola Dahl(retranslated): Colleagues, we stay.", "Ola Dahl"),
    ],
)
def test_an_aside_in_parentheses_after_a_name_is_cut(sentence: str, who: str) -> None:
    out = run(["Mayor Ines Holm said, “The port is safer.”", sentence])
    assert out[1].speaker is not None and out[1].speaker.name == who


def test_the_message_line_itself_says_nothing_and_its_text_is_the_senders() -> None:
    """ "The message reads, in part:" on a line of its own: the line is nobody's, the quotation
    after it (and the rest of it) the sender's, named in the sentence before."""
    sentences = [
        "Ines Holm sent greetings to the festival.",
        "The message reads, in part:",
        "“Welcome.",
        "Enjoy it.”",
    ]
    out = run(sentences, [0, 1, 2, 2])
    assert out[1].speaker is None
    assert [a.speaker.name if a.speaker else None for a in out[2:]] == ["Ines Holm", "Ines Holm"]
    assert out[2].rule == "message-text"


def test_his_letter_is_the_person_his_is() -> None:
    out = run(["Mr. Carl Dahl wrote to the council.", "His letter said: “The pier must close.”"])
    assert out[1].rule == "message-reads" and out[1].speaker is not None
    assert out[1].speaker.name == "Carl Dahl"


def test_a_message_nobody_is_named_to_have_sent_is_nobodys() -> None:
    """Never "The message" as a speaker: with no sender named just before, the text is unattributed."""
    out = run(["The port reopened.", "The weather was fine.", "The note reads: “Closed.”"])
    assert out[2].speaker is None


def test_told_me_in_a_transcript_turn_is_the_turn_speakers() -> None:
    """ "Minister Ines Lind asked me for a meeting" in Dahl's turn: Lind is spoken of, Dahl speaks."""
    sentences = [
        "Carl Dahl: We met twice.",
        "Minister Ines Lind asked me for a separate meeting, and we met in Geneva.",
        "Ines Lind: That is right.",
        "Carl Dahl: Then they told us that the port would stay closed.",
    ]
    out = run(sentences, [0, 0, 1, 2])
    assert out[1].rule == "label-continued"
    assert [a.speaker.name if a.speaker else None for a in out] == [
        "Carl Dahl",
        "Carl Dahl",
        "Ines Lind",
        "Carl Dahl",
    ]


def test_told_me_inside_a_quotation_is_the_quoted_speakers() -> None:
    sentences = [
        "Carl Dahl said: “We waited all day.",
        "Lind told me the ships were late.",
        "Then she left.”",
    ]
    out = run(sentences, [0, 0, 0])
    assert [a.speaker.name if a.speaker else None for a in out] == ["Carl Dahl"] * 3
    assert run(["“Lind asked me whether the port would open,” Dahl said."])[0].speaker.name == "Dahl"  # type: ignore[union-attr]


def test_told_me_in_the_reporters_own_words_is_unattributed_but_a_quotation_given_stays() -> None:
    """Outside any quotation or turn, "Lind told me …" is the writer's account (no speaker); "Lind
    told me: “…”" and "“…,” Lind told me" quote Lind's own words."""
    out = run(["Lind told me the port will open."])
    assert out[0].speaker is None and out[0].rule == "first-person-object"
    for sentence in ["Lind told me: “The port will open.”", "“The port will open,” Lind told me."]:
        a = run([sentence])[0]
        assert a.speaker is not None and a.speaker.name == "Lind"
    a = run(["Lind told reporters the port will open."])[0]
    assert a.speaker is not None and a.speaker.name == "Lind"


def test_the_and_a_capitalised_word_is_no_persons_surname() -> None:
    """ "The West" is a body, never the surname of a Kanye West named earlier in the text."""
    out = run(["Kanye West released an album.", "The West said it would impose sanctions."])
    assert out[1].speaker is not None and out[1].speaker.org and out[1].speaker.name == "West"
    west = parse_phrase("The West")
    assert west is not None and west.org
    person = parse_phrase("the late John Lind")
    assert person is not None and not person.org and person.names == ("john", "lind")


def test_a_definite_body_and_a_plural_role_join_a_pair() -> None:
    """ "The President and the Amir", "The Ambassadors and Mr. Sullivan": both of them, not the last."""
    out = run(["Joe Biden met the Amir.", "The President and the Amir welcomed the deal."])
    assert out[1].speaker is not None and not out[1].speaker.names
    out = run(["The Ambassadors and Mr. Sullivan discussed the talks."])
    assert out[0].speaker is not None and not out[0].speaker.names
    ambassadors = parse_phrase("the Ambassadors")
    assert ambassadors is not None and not ambassadors.names and not ambassadors.org


def test_an_interview_turn_runs_until_the_next_and_the_interviewers_questions_are_nobodys() -> None:
    sentences = [
        "((WN)) What prompted your interest?",
        "((Ines Holm)) Well, it goes back to my childhood.",
        "I was curious.",
        "((JL)) : How did you start?",
        "((Ines Holm)) : I told you that I found one.",
    ]
    out = run(sentences, [0, 1, 1, 2, 3])
    assert [a.speaker.name if a.speaker else None for a in out] == [
        None,
        "Ines Holm",
        "Ines Holm",
        None,
        "Ines Holm",
    ]


def test_first_person_sentences_after_a_spoken_label_are_the_speakers() -> None:
    """One label opening a speech ("President Ines Holm: Good afternoon, colleagues.") is not a
    transcript, yet its "I ask …" paragraphs later are still hers; a heading-like "Name: she …" is not."""
    sentences = [
        "President Ines Holm: Good afternoon, colleagues.",
        "We meet at a hard time.",
        "The port is closed.",
        "I ask the council to act.",
    ]
    out = run(sentences, [0, 0, 1, 2])
    assert out[3].rule == "label-continued" and out[3].speaker is not None
    assert out[3].speaker.name == "Ines Holm"
    out = run(["Maria Olsen: She wants a new port.", "The plan has parts.", "I think it is fine."])
    assert out[2].speaker is None or not out[2].speaker.names


def test_an_opener_before_a_comma_is_no_speaker() -> None:
    hit = first_match("However, Carl Dahl noted that, thanks to the grant, the port reopened.", True)
    assert hit is not None and hit[1].who == "Carl Dahl"
    sentence = "However, the director, Ida Strand, said the port was closed."
    hit = first_match(sentence, True)
    assert hit is not None and hit[0].id == "speaker-aside-verb"
    assert sentence[slice(*hit[1].who_span)] == "the director, Ida Strand"


def test_a_name_run_into_its_caption_mark_is_no_label() -> None:
    assert first_match("Ines HolmImage: Harbour Press.", True) is None


def test_a_stage_direction_is_never_the_releases_authors() -> None:
    out = run(
        ["THE MAYOR: Hello, everybody.", "(Applause.)", "We are here."], title="Remarks by Mayor Ines Holm"
    )
    assert out[1].speaker is None
    assert out[2].speaker is not None and out[2].speaker.name == "Ines Holm"


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("Speech by Mayor Ines Holm at the Harbour Forum", "Ines Holm"),
        ("We will rebuild the port - address by Mayor Ines Holm", "Ines Holm"),
        ("The port will reopen – speech by Mayor Ines Holm at the opening", "Ines Holm"),
        ("The port will reopen - Ines Holm", None),
    ],
)
def test_a_title_names_its_author_before_or_after_a_dash(title: str, author: str | None) -> None:
    from bot.attribution import title_author

    got = title_author(title)
    assert (got.name if got else None) == author


# --------------------------------------------------------------------------- pronouns and roles


def test_she_said_skips_a_man_named_since() -> None:
    out = run(
        [
            "Mayor Anna Berg met Mr. Peter Holm on Monday.",
            "“The port will reopen,” she said.",
            "“We are ready,” he said.",
        ]
    )
    assert out[1].speaker is not None and out[1].speaker.name == "Anna Berg"
    assert out[2].speaker is not None and out[2].speaker.name == "Peter Holm"


def test_he_said_prefers_the_person_the_text_is_about_over_a_passing_mention() -> None:
    out = run(
        [
            "Jonas Lind led the harbour board for ten years.",
            "He worked with Peter Holm on the new pier.",
            "I will never forget what he said to the board: “We build for our grandchildren.”",
        ]
    )
    assert out[2].speaker is not None and out[2].speaker.name == "Jonas Lind"


def test_memory_holds_only_the_latest_people_so_a_long_text_costs_linear_time() -> None:
    """Every look-up scans the people named so far: past MAX_REMEMBERED the earliest are let go,
    and a surname alone then no longer reaches back to them."""
    from bot.attribution.memory import MAX_REMEMBERED, Memory

    def surname(k: int) -> str:
        syllables = ("ba", "ke", "lo", "mu", "ri", "sa", "te", "vo", "ni", "du")  # no letter doubled
        return "".join(syllables[int(d)] for d in f"{k:04}").capitalize()

    memory = Memory()
    for k in range(MAX_REMEMBERED + 50):
        ent = parse_phrase(f"Karl {surname(k)}")
        assert ent is not None
        memory.note_speaker(ent)
    assert len(memory.people) == len(memory.speakers) == MAX_REMEMBERED
    last, first = parse_phrase(surname(MAX_REMEMBERED + 49)), parse_phrase(surname(0))
    assert last is not None and first is not None
    assert memory.full(last).name == f"Karl {surname(MAX_REMEMBERED + 49)}"
    assert memory.full(first).name == surname(0)


def test_gender_from_a_first_name() -> None:
    out = run(["Susan Lind and Robert Vik spoke at the hearing.", "The rules are clear, she said."])
    assert out[1].speaker is not None and out[1].speaker.name == "Susan Lind"


def test_he_said_is_not_an_organisation_or_a_thing() -> None:
    out = run(
        ["Jonas Lind spoke for the Harbour Authority and the Horn of Africa Council.", "It works, he said."]
    )
    assert out[1].speaker is not None and out[1].speaker.name == "Jonas Lind"


def test_an_unresolvable_pronoun_is_an_unnamed_speaker() -> None:
    out = run(["The port reopened.", "It is ready, he said."])
    assert out[1].speaker is not None and out[1].speaker.names == () and out[1].how is How.REPORTED


def test_role_resolves_to_the_holder_named_earlier() -> None:
    out = run(
        [
            "Port director Carl Dahl met Anna Berg.",
            "“Go,” Berg said.",
            "The port is closed, the port director said.",
        ]
    )
    assert out[2].speaker is not None and out[2].speaker.name == "Carl Dahl"


def test_an_appositive_name_after_a_role_is_the_speaker() -> None:
    out = run(
        [
            "“We knew,” said his father, Abdullah Rami.",
            "The city’s mayor, Anna Berg, said the port would close.",
        ]
    )
    assert [a.speaker.name if a.speaker else None for a in out] == ["Abdullah Rami", "Anna Berg"]


@pytest.mark.parametrize(
    "sentence",
    ["Senate Republicans said the bridge was unsafe.", "Twenty-four percent said the bridge was unsafe."],
)
def test_a_group_is_an_unnamed_source(sentence: str) -> None:
    out = run([sentence])
    assert out[0].speaker is not None and out[0].speaker.names == ()


def test_a_spokesman_for_someone_is_not_that_person() -> None:
    out = run(["A spokesman for Carl Dahl said the port would close."])
    assert out[0].speaker is not None and out[0].speaker.names == ()


def test_relative_who_is_the_name_before_it() -> None:
    out = run(["The port closed on Monday, and Carl Dahl, who said it was unsafe, left."])
    assert out[0].speaker is not None and out[0].speaker.name == "Carl Dahl"


# --------------------------------------------------------------------------- never a speaker


@pytest.mark.parametrize(
    "sentences",
    [
        ["Photo: Carl Dahl at the harbour."],
        ["Update: The port reopened on Monday."],
        ["Carl Dahl Before The Harbour Vote"],
        ["OSLO — The port reopened on Monday."],
        ["Oslo: 1,204 votes."],
        ["The state is a closed primary."],
        ["Editor’s note: The port reopened."],
        ["Dahl’s tweet came as the port reopened."],
        ["Carl Dahl maintains a wide lead in the polls."],
        ["Carl Dahl wants to say more about the port."],
    ],
    ids=[
        "caption",
        "heading",
        "title-fragment",
        "dateline",
        "results-line",
        "noun-state",
        "editors-note",
        "possessive-noun",
        "weak-verb",
        "infinitive",
    ],
)
def test_not_a_speaker(sentences: list[str]) -> None:
    assert all(a.speaker is None for a in run(sentences))


def test_a_verb_inside_a_quotation_is_not_the_cue() -> None:
    out = run(["“We said no,” Carl Dahl told reporters."])
    assert out[0].speaker is not None and out[0].speaker.name == "Carl Dahl"


def test_according_to_front_is_not_the_clause_subject() -> None:
    """`According to the president, Tarnby has proposed …`: never Tarnby, the president or nobody."""
    a = run(["According to the president, Tarnby has proposed a new bridge."])[0]
    assert a.rule == "according-to-front"
    assert a.speaker is None or not a.speaker.names


def test_according_to_front_yields_to_a_speaker_of_its_own() -> None:
    a = run(["According to the paper, Carl Dahl said the bridge would close."])[0]
    assert a.rule != "according-to-front"
    assert a.speaker is not None and a.speaker.name == "Carl Dahl"


def test_a_photo_caption_is_not_a_label_and_spreads_nothing() -> None:
    """Captions with their credits ("Name Image: Credit.") between narrative paragraphs."""
    sentences = [
        "Jonas Lind Image: Harbour Office.",
        "The council voted to close the old bridge.",
        "Maria Olsen Photo: Tarnby Council.",
        "Repairs will start in the spring.",
        "Carl Dahl Image: Getty Images.",
        "Ferries will run in the meantime.",
    ]
    out = run(sentences)
    assert all(a.speaker is None for a in out), [(a.rule, a.speaker) for a in out]


def test_a_caption_mark_never_ends_a_speaker_phrase() -> None:
    a = run(["“The port is open,” said Jonas Lind Image."])[0]
    assert a.speaker is None or a.speaker.name != "Jonas Lind Image"


def test_a_speaker_phrase_never_ends_in_a_possessive() -> None:
    """ "Mayor Lind conveyed his thanks": after "his", "thanks" is a noun, so "Mayor Lind conveyed his"
    is nobody; "The mayor and her aides said" still names a group."""
    out = run(
        [
            "Mayor Jonas Lind conveyed his thanks to the ferry crews.",
            "The mayor and her aides said it was fine.",
        ]
    )
    assert out[0].speaker is None or "conveyed" not in out[0].speaker.name
    assert out[1].speaker is not None


def test_a_credit_after_a_label_is_not_speech() -> None:
    assert run(["Maria Olsen Lind: Harbour Office Tarnby."])[0].speaker is None


def test_a_short_reply_after_a_label_is_its_speakers_turn() -> None:
    """ "Carl Dahl: Yes, Mr Mayor." or "Maria Olsen: Mr Dahl." address someone: a reply in a
    transcript, the label's, not a credit (and not the previous speaker's words)."""
    out = run(
        [
            "Maria Olsen: The port will reopen on Monday.",
            "Carl Dahl: Yes, Mr Mayor.",
            "Maria Olsen: Mr Dahl.",
            "Carl Dahl: The ferries are ready.",
        ],
        paragraphs=[0, 1, 2, 3],
    )
    assert [a.speaker.name if a.speaker else None for a in out] == [
        "Maria Olsen",
        "Carl Dahl",
        "Maria Olsen",
        "Carl Dahl",
    ]
    assert out[1].rule == "label"


def test_a_label_keeps_the_body_a_role_is_of_as_the_role() -> None:
    """ "Head of the <Body> Service <Name>:": the name is the person, the body part of the role."""
    a = run(["Head of the Harbour Customs Service Carl Dahl: We will reopen the port on Monday."])[0]
    assert a.rule == "label"
    assert a.speaker is not None and a.speaker.name == "Carl Dahl"
    assert {"head", "service"} <= a.speaker.roles


def test_a_role_phrase_of_a_synonym_class_resolves_to_its_holder() -> None:
    """ "the Head of State" is the president named earlier (roles.classes.president), not a body."""
    out = run(
        [
            "President of Tarnland Maria Olsen met the harbour master Carl Dahl.",
            "The Head of State stressed that the port must stay open.",
        ]
    )
    assert out[1].speaker is not None and out[1].speaker.name == "Maria Olsen"


def test_an_unresolved_role_phrase_is_an_unnamed_speaker() -> None:
    a = run(["The Head of State stressed that the port must stay open."])[0]
    assert a.speaker is not None and not a.speaker.names and not a.speaker.org


def test_a_photo_caption_ends_a_speakers_turn_in_a_transcript() -> None:
    sentences = [
        "Maria Olsen: We will reopen the port.",
        "Carl Dahl: The bridge is safe.",
        "Maria Olsen: Then we agree.",
        "Jonas Lind Image: Harbour Office.",
        "The council voted to close the old bridge.",
    ]
    out = run(sentences)
    assert out[2].speaker is not None and out[2].speaker.name == "Maria Olsen"
    assert out[3].speaker is None and out[4].speaker is None


def test_mixed_quotation_marks_pair_by_position() -> None:
    """A curly quotation closed by a straight mark still leaves the cue between them outside."""
    from bot.attribution.quote_marks import quoted_spans

    s = '“We won the vote," Ana Lopes said. "Now we govern.”'
    spans = quoted_spans(s)
    assert [s[a:b] for a, b in spans] == ['“We won the vote,"', '"Now we govern.”']
    nested = '“He called it "a sham," and left,” she said.'
    assert [nested[a:b] for a, b in quoted_spans(nested)] == ['“He called it "a sham," and left,”']


def test_mixed_marks_sentence_is_attributed_to_the_named_speaker() -> None:
    from bot.attribution import default_attributor

    sents = ['“We won the vote," Ana Lopes said. "Now we govern.”', '"It was close,” Lopes said.']
    out = default_attributor().attribute(sents, [0, 1])
    assert [a.speaker.name if a.speaker else None for a in out] == ["Ana Lopes", "Ana Lopes"]


def test_an_unclosed_quotation_does_not_leak_past_its_paragraph() -> None:
    from bot.attribution.quote_marks import open_after

    assert open_after(["“One. ", "Two.", "Three."], [0, 0, 1]) == [False, True, False]


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("“We will see,” said a volunteer from 2008.", "a volunteer from 2008"),
        ("“Not yet,” said one of the delegates, who asked not to be named.", "one of the delegates"),
        ("“That is absurd,” Okafor fumed on Tuesday.", "Okafor"),
        ("“It is late,” Ruth Amsel, the town's clerk since 2010, said at the meeting.", "Ruth Amsel"),
    ],
)
def test_quote_tail_names_its_speaker(sentence: str, who: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[0].id in {"quote-tail-speaker", "quote-verb-speaker"} and hit[1].who == who


def test_a_title_quoted_in_passing_is_not_a_quotation_tail() -> None:
    hit = first_match("In “Harbour Lights,” Ms. Strand plays a ferry captain.", True)
    assert hit is None or hit[0].id != "quote-tail-speaker"


def test_an_indefinite_description_is_someone_new_not_a_person_named_before() -> None:
    from bot.attribution import default_attributor

    sents = ["Mara Lind spoke first.", "“She was cross,” said a Lind campaign veteran."]
    out = default_attributor().attribute(sents, [0, 1])
    assert out[1].speaker is not None and not out[1].speaker.names


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Harbour police say the gate was open.", "Harbour police"),
        ("Most say they will stay.", "Most"),
        ("And she’s predicted a close vote.", "she"),
        ("Yet they've offered no details.", "they"),
        ("Jo Marsh put the plan aside but said it would return.", "Jo Marsh"),
    ],
)
def test_speaker_verb_subjects(sentence: str, who: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[1].who == who


def test_a_leading_adverbial_clause_yields_to_the_main_clauses_speaker() -> None:
    out = run(["When the Mayor of Norland mentioned the new quay, Ola Dahl commented that it was too small."])
    assert out[0].speaker is not None and out[0].speaker.name == "Ola Dahl"
    out = run(["When the Mayor of Norland mentioned the new quay, the crowd cheered."])
    assert out[0].speaker is not None and out[0].speaker.name == "Mayor of Norland"


def test_a_possessive_and_a_noun_is_not_a_contracted_verb() -> None:
    assert first_match("Marsh's comments came a day later.", True) is None


def test_according_to_any_source_up_to_the_clause_end() -> None:
    hit = first_match("Turnout rose sharply, according to a county survey released on Friday.", True)
    assert hit is not None and hit[0].id == "according-to" and hit[1].who == "a county survey"


def test_a_straight_mark_that_closes_a_continued_quotation() -> None:
    from bot.attribution.quote_marks import quoted_spans

    s = "Not once, not ever,'' she said."
    assert [s[a:b] for a, b in quoted_spans(s)] == ["Not once, not ever,''"]
    hit = first_match(s, True)
    assert hit is not None and hit[1].who == "she"


def test_a_signature_line_signs_the_quotation_before_it() -> None:
    from bot.attribution import default_attributor

    out = default_attributor().attribute(
        ["“The rent doubled.", "We left.”", "― Ines Duarte Silva"], [0, 0, 1]
    )
    assert [(a.speaker.name if a.speaker else None) for a in out] == ["Ines Duarte Silva"] * 2 + [None]
    hit = first_match("“We left in May.” ― Ines Duarte Silva.", True)
    assert hit is not None and hit[0].id in {"signature", "label"} and hit[1].who == "Ines Duarte Silva"


def test_a_one_word_label_before_a_quotation() -> None:
    hit = first_match("Okafor: “We will appeal.”", True)
    assert hit is not None and hit[0].id == "label" and hit[1].who == "Okafor"


def test_an_opening_curly_mark_typed_as_the_closing_one() -> None:
    hit = first_match("“We will build it,“ said Noor Haddad, the mayor.", True)
    assert hit is not None and hit[1].who == "Noor Haddad"


def test_a_transcript_quoted_whole_keeps_its_label() -> None:
    hit = first_match('"HADDAD: We will build it.', True)
    assert hit is not None and hit[0].id == "label" and hit[1].who == "HADDAD"


def test_a_description_after_the_verb_that_follows_a_quotation() -> None:
    hit = first_match("“It will pass,” said several observers.", True)
    assert hit is not None and hit[1].who == "several observers"
    plain = first_match("Ana Lopes, a ferry pilot, said the harbour needed dredging.", True)
    assert plain is not None and plain[1].who == "Ana Lopes"


def test_a_quotation_attributed_in_its_own_paragraph_is_not_the_reporter_s() -> None:
    from bot.attribution import default_attributor

    sents = ["Carl Dahl defended the closure.", "“The bridge is unsafe,” said Maria Olsen."]
    out = default_attributor().attribute(sents, [0, 1])
    assert out[1].speaker is not None and out[1].speaker.name == "Maria Olsen"


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("About one in five say they would stay home.", "About one in five"),
        ("Nearly eight of 10 voters say they will watch.", "Nearly eight of 10 voters"),
        ("In the survey, 36 percent of Democrats said they would switch.", "36 percent of Democrats"),
    ],
)
def test_poll_shares_as_speakers(sentence: str, who: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[1].who == who


def test_a_place_phrase_is_not_a_poll_share() -> None:
    assert first_match("After a long wait in the harbour office, the ferry left.", True) is None


@pytest.mark.parametrize(
    ("sentence", "who", "cue"),
    [
        ("He went on to say that the plan would fail.", "He", "say"),
        ("Okafor continued to question the budget.", "Okafor", "question"),
        ("Lopes took to Twitter to announce her pick.", "Lopes", "announce"),
    ],
)
def test_speech_reported_through_an_aspect_verb(sentence: str, who: str, cue: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[1].who == who
    assert hit[1].cue_span is not None and sentence[slice(*hit[1].cue_span)] == cue


def test_a_wish_to_speak_is_not_speech() -> None:
    assert first_match("Okafor wants to say more about the budget.", True) is None


@pytest.mark.parametrize(
    ("sentence", "who"),
    [("(On Monday she said the vote would wait.)", "she"), ("Last week Okafor said he would run.", "Okafor")],
)
def test_a_time_phrase_before_the_subject(sentence: str, who: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[1].who == who


def test_a_role_of_a_place_then_the_holder_s_name() -> None:
    from bot.attribution.phrases import parse_phrase

    ent = parse_phrase("The mayor of Porto Rui Moreira")
    assert ent is not None and ent.name == "Rui Moreira" and "mayor" in ent.roles
    agent = parse_phrase("a spokesman for Ana Lopes")
    assert agent is not None and not agent.names
    hit = first_match("The mayor of Porto, Rui Moreira, tweeted, “We are open.”", True)
    assert hit is not None and hit[1].who == "The mayor of Porto Rui Moreira"


def test_a_digest_item_quotes_its_source_after_the_headline() -> None:
    hit = first_match("PORT TRAFFIC DOUBLES - Ines Duarte Silva: “The quay is full.”", True)
    assert hit is not None and hit[0].id in {"signature", "label"} and hit[1].who == "Ines Duarte Silva"


def test_a_signature_after_prose_is_a_byline_not_a_speaker() -> None:
    from bot.attribution import default_attributor

    out = default_attributor().attribute(["The quay reopened on Monday.", "- Ines Duarte Silva."], [0, 1])
    assert all(a.speaker is None for a in out)


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Said Noor Haddad, the quay's oldest pilot, “Nothing floats here now.”", "Noor Haddad"),
        ("Given the tides, explained Okafor, “the ferry sails at dawn.”", "Okafor"),
    ],
)
def test_the_verb_before_its_speaker_and_then_the_quotation(sentence: str, who: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[1].who == who


def test_a_contracted_negation_is_a_verb_group() -> None:
    hit = first_match("Okafor didn’t mention the dredging.", True)
    assert hit is not None and hit[1].who == "Okafor"


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("“It is late,” said Army 1st Lt. Noor Haddad.", "Army 1st Lt. Noor Haddad"),
        ("PORTO ― Ana Lopes’s campaign said it would appeal.", "Ana Lopes’s campaign"),
        ("Party officials, speaking on condition of anonymity, said the talks failed.", "Party officials"),
        ("Senior harbour officials said the quay was closed.", "Senior harbour officials"),
    ],
)
def test_more_speaker_phrases(sentence: str, who: str) -> None:
    hit = first_match(sentence, True)
    assert hit is not None and hit[1].who == who


def test_a_prepositional_phrase_is_not_a_plural_subject() -> None:
    assert first_match("In quiet months, ferries have begun to skip the quay.", True) is None


def test_two_people_as_one_subject_are_a_pair_not_the_last_named() -> None:
    from bot.attribution import default_attributor

    sents = [
        "Mayor Ida Strand and Governor Paul Lund discussed the harbour.",
        "According to him, it will reopen.",
    ]
    out = default_attributor().attribute(sents, [0, 0])
    assert out[0].speaker is not None and not out[0].speaker.names  # the pair
    assert out[1].speaker is not None and out[1].speaker.name == "Paul Lund"  # "him": the nearest man


def test_a_poll_share_of_a_long_group() -> None:
    hit = first_match("About four in 10 Porto harbour pilots say the quay is too short.", True)
    assert hit is not None and hit[1].who == "About four in 10 Porto harbour pilots"


def test_a_label_garbled_with_its_speaker_card_is_the_name_before_the_repeat() -> None:
    """A label mid-paragraph, doubled by the page's speaker card, still starts the speaker's turn."""
    out = run(
        [
            "Port Director Maria Olsen: We will reopen.",
            "Thank you.",
            "Mayor of Tromvik Carl Dahl Dahl CarlMayor of the Municipality of Tromvik(interpreted): Hello.",
            "We in Tromvik are ready.",
        ],
        [0, 0, 0, 0],
    )
    assert [a.speaker.name if a.speaker else None for a in out] == [
        "Maria Olsen",
        "Maria Olsen",
        "Carl Dahl",
        "Carl Dahl",
    ]
    assert out[2].rule == "label"


@pytest.mark.parametrize("phrase", ["I've", "You", "We’ve"])
def test_a_contracted_or_second_person_pronoun_is_nobody_named(phrase: str) -> None:
    out = run(["Carl Dahl met the press.", f"{phrase} said the port will reopen."])
    assert out[1].speaker is not None and out[1].speaker.names == ()


def test_a_contracted_he_is_the_person_before() -> None:
    out = run(["Carl Dahl met the press.", "Since then, he's said the port will reopen."])
    assert out[1].speaker is not None and out[1].speaker.name == "Carl Dahl"


def test_the_speaker_of_a_body_whose_name_has_a_comma_is_the_person_before_it() -> None:
    out = run(["Ines Holm of the University of Norland, Tromvik disagreed: “The data are thin.”"])
    assert out[0].speaker is not None and out[0].speaker.name == "Ines Holm"


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("Governor of Vestland Territory Carl Dahl", "Carl Dahl"),
        ("Governor of North Carolina Jo Lee", "Jo Lee"),
        ("Prime Minister of Norland Ines Maria Holm", "Ines Maria Holm"),
    ],
)
def test_the_place_a_role_is_of_does_not_run_into_the_name(phrase: str, name: str) -> None:
    ent = parse_phrase(phrase)
    assert ent is not None and ent.name == name


def test_a_label_with_a_dash_between_two_roles() -> None:
    out = run(["Deputy Mayor – Head of the Port Office Carl Dahl: We reopen.", "It is ready."], [0, 0])
    assert [a.speaker.name if a.speaker else None for a in out] == ["Carl Dahl", "Carl Dahl"]


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("High Representative of the Union for Harbours and Coastal Security Policy Ines Holm", "Ines Holm"),
        ("Senate Harbour Ranking Democrat Carl Dahl", "Carl Dahl"),
        ("Union President Mary Kay Lind", "Mary Kay Lind"),
    ],
)
def test_words_of_a_long_role_are_not_the_name(phrase: str, name: str) -> None:
    ent = parse_phrase(phrase)
    assert ent is not None and ent.name == name


def test_a_date_after_a_label_is_not_speech() -> None:
    assert first_match("DATE: March 3, 2022", True) is None


@pytest.mark.parametrize("phrase", ["In", "The", "Mr"])
def test_a_function_word_alone_is_no_name(phrase: str) -> None:
    ent = parse_phrase(phrase)
    assert ent is None or ent.names == ()


def test_a_short_question_from_the_floor_without_a_colon_ends_the_turn() -> None:
    out = run(["THE MAYOR: It is very high.", "Q Why?", "THE MAYOR: Because the river rose."])
    assert out[1].speaker is None


def test_a_title_case_heading_after_a_colon_is_not_a_label() -> None:
    heading = "Law Schools: Over 300 Students From Harbour Schools Provided Free Legal Support Statewide."
    assert first_match(heading, True) is None


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("President of the Harbour Board Ines von der Holm", "Ines von der Holm"),
        ("Mayor Carl de Dahl", "Carl de Dahl"),
        ("Ines von der Holm", "Ines von der Holm"),
    ],
)
def test_lower_case_particles_inside_a_name_are_part_of_it(phrase: str, name: str) -> None:
    ent = parse_phrase(phrase)
    assert ent is not None and ent.name == name


def test_a_name_with_particles_named_in_passing_is_the_role_later() -> None:
    out = run(["Board President Ines von der Holm met Carl Dahl.", "The President said it would reopen."])
    assert out[1].speaker is not None and out[1].speaker.name == "Ines von der Holm"


def test_a_ruler_title_is_a_role_not_part_of_the_name() -> None:
    ent = parse_phrase("Emir Sheikh Omar Bin Ali")
    assert ent is not None and ent.name == "Omar Bin Ali" and {"emir", "sheikh"} <= ent.roles


def test_a_role_label_is_the_titles_holder_throughout_its_article() -> None:
    """ "THE MAYOR:" in "Remarks by Mayor Olsen …" is Olsen, also after she names another mayor; and
    one label is one person in its article, however many mayors the turns mention."""
    sentences = [
        "THE MAYOR: Good morning.",
        "I spoke with Mayor Carl Dahl of Eastbay yesterday.",
        "Q What did he say?",
        "THE MAYOR: He said the ferry will run again.",
        "Mayor Dahl agrees with us.",
        "Q Thank you.",
        "THE MAYOR: Thank you all.",
    ]
    out = run(sentences, title="Remarks by Mayor Olsen During Harbour Tour")  # a title-case run
    shown = [out[i].speaker.name if out[i].speaker else None for i in (0, 3, 6)]
    assert shown == ["Olsen", "Olsen", "Olsen"]
    untitled = run(sentences)  # no title naming a mayor: bound to whom the first label named
    names = {untitled[i].speaker.name if untitled[i].speaker else None for i in (0, 3, 6)}
    assert len(names) == 1


def test_a_middle_initial_is_part_of_a_name_mentioned_in_passing() -> None:
    """ "Mayor Carl J. Dahl, Jr. met …" names Carl J. Dahl: "the mayor" after it is he, not a "Carl";
    an initial that opens a run ("U.S. Mayor …") is no part of the name."""
    sentences = ["Mayor Carl J. Dahl, Jr. met the harbour board.", "The mayor said the port would reopen."]
    out = run(sentences)
    assert out[1].speaker is not None and out[1].speaker.name == "Carl J. Dahl"
    out = run(["U.S. Mayor Ines Holm met the harbour board.", "The mayor said the port would reopen."])
    assert out[1].speaker is not None and out[1].speaker.name == "Ines Holm"


def test_a_label_with_an_affiliation_after_a_section_mark_is_the_name() -> None:
    """After a section mark, "Jo Lee, Harbour R&D Centre, Port Authority: …" is Jo Lee's turn."""
    sentences = [
        "Maria Olsen: We will reopen.",
        "<…> Carl Dahl, Harbour R&D Centre, Port Group: Mr Olsen, I agree.",
    ]
    out = run(sentences, [0, 0])
    assert out[1].rule == "label" and out[1].speaker is not None and out[1].speaker.name == "Carl Dahl"
    hit = first_match("Carl Dahl, Harbour R&D Centre: Mr Olsen, I agree.", True)
    assert hit is None or hit[0].id != "label"  # no section mark: not read as a label


# --- speaker phrases that name nobody (bot.attribution.rules.plausible_speaker) -------------------


def test_pronoun_never_resolves_to_a_body_named_with_what_it_is() -> None:
    """ "cable network NTV" is a body: a later "he" is the man its reported clause is about, not the
    man named last."""
    out = run(
        [
            "On Monday, cable network NTV reported that Prince Karl Holm of Norland admitted the killing of"
            " journalist Ola Dahl but did not say he had ordered it.",
            "Speaking to Ines Lund of NTV, he said, “It happened on my watch.”",
        ],
        [0, 0],
    )
    assert out[0].speaker is not None and out[0].speaker.org
    assert out[1].speaker is not None and out[1].speaker.name == "Prince Karl Holm"


def test_a_country_is_not_the_person_whose_role_names_it() -> None:
    out = run(
        [
            "Officials said US Secretary of State Jo Lind urged Norland to act.",
            "The US has been encouraging allies such as Norland to restrict flights.",
        ]
    )
    sp = out[1].speaker
    assert sp is not None and sp.name == "US" and sp.org


def test_a_clause_is_no_speaker_and_a_thing_signs_no_quotation() -> None:
    """ "the statue was offered": the phrase stops before its verb, and the quotation before is nobody's."""
    out = run(
        ["“I had forgotten it was made of gold.”", "Back in 2017, the statue was offered to a museum."],
        [0, 0],
    )
    assert out[0].speaker is None
    assert out[1].mention == "the statue"


def test_passive_speech_is_its_agents() -> None:
    out = run(
        [
            "His death was confirmed by his son, Ola Dahl.",
            "The plan was criticized by several economists on Monday.",
        ]
    )
    assert out[0].speaker is not None and out[0].speaker.name == "Ola Dahl"
    assert out[1].mention == "several economists"


def test_an_addressee_in_a_place_is_no_speaker() -> None:
    hit = first_match(
        "Ines Holm addressed reporters in Vestby, Norland, calling for the port to reopen.", True
    )
    assert hit is None or hit[1].who == "Ines Holm"
    out = run(["Party leaders in Norland, for instance, noted that the panel had ruled."])
    assert out[0].mention.startswith("Party leaders")


@pytest.mark.parametrize(
    "sentence",
    [
        "Initial reports from the city hospital reported no traces of poison.",
        "In total, more than 300 workers have been awarded, telling nobody.",
    ],
)
def test_an_adjective_or_a_preposition_is_no_speaker(sentence: str) -> None:
    hit = first_match(sentence, True)
    assert hit is None or hit[1].who not in ("Initial", "In")


def test_the_subject_after_an_opening_phrase_speaks() -> None:
    out = run(
        [
            "At a rally in Vestby on Tuesday, Mayor Jo Lee endorsed Carl Dahl, saying that he would win.",
            "Jo Lee, who has been feuding with the board, on Friday described her plan to reopen the port.",
            "Many residents saw the plan as a gift, From said.",
        ]
    )
    assert [a.speaker.name if a.speaker else None for a in out] == ["Jo Lee", "Jo Lee", "From"]


def test_a_heading_in_title_case_is_no_label() -> None:
    out = run(
        [
            "Norland Law School: Filling the Justice Gap in Vestby in Partnership with Legal Services.",
            "Students helped.",
        ],
        [0, 0],
    )
    assert out[0].speaker is None and out[1].speaker is None


def test_a_question_from_the_floor_is_nobodys_even_naming_someone() -> None:
    out = run(
        [
            "Carl Dahl: Any questions?",
            "Question: Did you speak to Mr Lind?",
            "And what do you think of Mr Lind's comment in which he hinted that you were late?",
            "Carl Dahl: No.",
        ],
        [0, 1, 1, 2],
    )
    assert out[1].speaker is None and out[2].speaker is None
    assert out[3].speaker is not None and out[3].speaker.name == "Carl Dahl"


def test_a_person_of_a_place_is_named_by_the_person_not_the_place() -> None:
    ent = parse_phrase("Crown Prince Karl Holm of Saudi Arabia")
    assert ent is not None and ent.names[-2:] == ("karl", "holm") and not ent.org


def test_a_bare_surname_is_the_one_of_that_name_who_spoke_not_the_one_named_last() -> None:
    """A family named in passing after the speaker ("his daughter Lena Berg") does not take over the
    speaker's surname: "Berg wrote …" is still Jonas Berg. With none of them a speaker, it is the
    one named last, as before."""
    out = run(
        [
            "Mayor Jonas Berg said the bridge would reopen on Monday.",
            "His daughter Lena Berg and aide Carl Dahl attended the opening.",
            "Berg wrote on Twitter, “We did it together!”",
        ]
    )
    assert out[2].speaker is not None and out[2].speaker.name == "Jonas Berg"
    passing = run(
        [
            "The bridge reopened on Monday in the presence of Jonas Berg.",
            "His daughter Lena Berg and aide Carl Dahl attended the opening.",
            "Berg wrote on Twitter, “We did it together!”",
        ]
    )
    assert passing[2].speaker is not None and passing[2].speaker.name == "Lena Berg"


def test_the_owner_of_a_role_is_not_its_holder() -> None:
    """ "the president" is not the head of the president's office named earlier: the president owns
    that role, its head does not hold his."""
    from bot.attribution.memory import Memory

    memory = Memory()
    for phrase in ("Head of the Office of the President Carl Dahl", "Head of the President's Office Ola Vik"):
        ent = parse_phrase(phrase)
        assert ent is not None and "president's" in ent.roles
        memory.note_speaker(ent)
    assert memory.resolve_role(frozenset({"the", "president"}), "the president") is None
    found = memory.resolve_role(frozenset({"the", "head", "of", "office"}), "the head of the office")
    assert found is not None and found.name == "Ola Vik"


@pytest.mark.parametrize(
    "heading",
    [
        "HER PLAN TO REOPEN THE FERRY LINE: Two new boats will sail from Vestby.",
        "BUILDING A NEW HARBOUR: Two new boats will sail from Vestby.",
        "AND LOCAL PORTS: Two new boats will sail from Vestby.",
        "On Ferries: Two new boats will sail from Vestby.",
    ],
)
def test_a_capitalised_heading_is_no_label_and_opens_no_turn(heading: str) -> None:
    out = run([heading, "They carry cars and bikes."], [0, 0])
    assert out[0].speaker is None and out[1].speaker is None


def test_a_label_in_capitals_with_a_role_and_of_is_still_a_label() -> None:
    out = run(["MAYOR OF VESTBY INES HOLM: We will sail on Monday.", "THE MAYOR: Thank you."])
    assert out[0].speaker is not None and out[0].speaker.name == "INES HOLM"
    assert out[1].how == How.LABEL


@pytest.mark.parametrize(
    "title",
    [
        "Remarks by Mayor Holm During Tour of the Harbour",
        "Remarks by Mayor Holm Highlighting the New Ferry Line",
    ],
)
def test_a_title_case_topic_word_ends_the_title_holders_name(title: str) -> None:
    out = run(["THE MAYOR: Good morning, everyone."], title=title)
    assert out[0].speaker is not None and out[0].speaker.name == "Holm"


def test_a_capitalised_modal_before_a_name_is_not_part_of_it() -> None:
    out = run(["Could Ines Holm win the vote?", "She said the vote was close."], [0, 0])
    assert out[1].speaker is not None and out[1].speaker.name == "Ines Holm"


def test_a_long_capitalised_heading_with_a_role_is_no_headed_label() -> None:
    sentence = (
        "MAYOR HOLM IS KEEPING HER PROMISE TO OPEN THE NEW FERRY LINE TO THE ISLANDS OF THE NORTH COAST: "
        "Two new boats will sail from Vestby."
    )
    out = run([sentence, "They carry cars and bikes."], [0, 0])
    assert out[0].speaker is None and out[1].speaker is None


def test_a_link_line_between_the_occasion_and_the_list_is_passed_over() -> None:
    out = run(
        [
            "Mayor Ines Holm gave a long interview to Channel 5 on Monday.",
            "Click here to watch the full interview",
            "Here are the top moments:",
            "- On tolls: “We will cut them before the summer.”",
        ]
    )
    assert out[-1].rule == "bullet-occasion" and out[-1].speaker is not None
    assert out[-1].speaker.names == ("ines", "holm")


def test_the_one_person_an_occasion_paragraph_names_after_a_long_clause() -> None:
    out = run(
        [
            "After the storm closed the harbour road for most of the week, Mayor Ines Holm sat down for an "
            "interview with Channel 5.",
            "Here are the top moments:",
            "- On tolls: “We will cut them before the summer.”",
        ]
    )
    assert out[-1].rule == "bullet-occasion" and out[-1].speaker is not None
    assert out[-1].speaker.names == ("ines", "holm")


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ('One activist, Ola Brenn, on Sunday told reporters arson had been used "as a weapon".', "Ola Brenn"),
        ('"We will reopen the port," a spokesman, Jo Lee, said.', "Jo Lee"),
        ("A local official, Ana Berg, on Monday said the road was closed.", "Ana Berg"),
        ('"We will reopen the port," the minister, who was in Paris, said.', "the minister"),  # no name
    ],
)
def test_a_description_followed_by_a_name_is_the_person_named(sentence: str, who: str) -> None:
    (got,) = run([sentence])
    assert got.speaker is not None and got.speaker.display == who


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("U.S. Ambassador to the United Nations Lina Marsh said the vote was historic.", "Lina Marsh"),
        ("Special Envoy to the Board Jo Lee said the talks went on.", "Jo Lee"),
        ("Former Ambassador to Norland and former Security Adviser Carl Dahl said it works.", "Carl Dahl"),
        # the name after a description and before a relative clause of its own
        (
            "Former Adviser to the Mayor of Vestby, Ambassador Ana Berg, who chairs it, said it works.",
            "Ana Berg",
        ),
    ],
)
def test_a_role_to_someone_runs_on_to_the_name(sentence: str, who: str) -> None:
    """ "Ambassador to the United Nations X": "to (the)" after a role word is part of the role, as
    "of" is, so the speaker is the name after it, not nobody or the whole phrase."""
    (got,) = run([sentence])
    assert got.speaker is not None and got.speaker.display == who


def test_an_adviser_to_an_office_is_the_adviser_who_just_spoke() -> None:
    """ "X noted … "…," the Adviser to the Head of the Mayor's Office said": the description stands for
    the person who spoke in the sentence before; with nobody speaking before, it is someone unnamed,
    never a body named by the role's words."""
    got = run(
        [
            "Ola Brenn noted that the talks would go on.",
            '"We will reopen the port," the Adviser to the Head of the Mayor\'s Office said.',
        ]
    )
    assert got[1].speaker is not None and got[1].speaker.display == "Ola Brenn"
    (alone,) = run(['"We will reopen the port," the Adviser to the Head of the Mayor\'s Office said.'])
    assert alone.speaker is not None and not alone.speaker.names and not alone.speaker.org


def test_an_adviser_is_not_the_president_who_just_spoke() -> None:
    """A description of an office the last speaker is stated not to hold is someone else."""
    got = run(
        [
            "President Ola Brenn noted that the talks would go on.",
            '"We will reopen the port," the Adviser to the Head of the Mayor\'s Office said.',
        ]
    )
    assert got[1].speaker is not None and "brenn" not in got[1].speaker.names


def test_a_statement_quoted_whole_is_its_possessors() -> None:
    """ "Part of the judge's statement reads "…"": the message is the judge's (the one the article
    named), as "Jo Lee's letter reads" is Jo Lee's; never the reporter's or the phrase itself."""
    got = run(
        [
            "District Judge Gray Holm ruled the draft violated the constitution.",
            'Part of the judge\'s statement reads "Combat roles no longer require sheer size or muscle."',
            'Jo Lee\'s letter reads: "We will stay."',
        ]
    )
    assert [g.speaker.display if g.speaker else None for g in got[1:]] == ["Gray Holm", "Jo Lee"]


def test_a_speaker_of_a_body_written_in_lower_case_is_the_person() -> None:
    """ "…," said Jo Lee of a press freedom group.": the body after "of" is no part of the name, and
    the quote is Jo Lee's, as with "of Reporters Without Borders"."""
    (got,) = run(["“The murder is a terrible blow to journalism,” said Jo Lee of a press freedom group."])
    assert got.speaker is not None and got.speaker.display == "Jo Lee"


@pytest.mark.parametrize(
    "sentence",
    [
        "The risk of inflation deepens the inequality that was also mentioned by the ministers.",
        "The talks focused on the ports, as well as agreed on ways to keep them open.",
    ],
)
def test_an_auxiliary_or_linking_adverb_is_no_speaker(sentence: str) -> None:
    """A speaker-verb rule can read "was (also) mentioned" or "as well as agreed" as subject and verb:
    a phrase of auxiliaries and linking adverbs alone names no one, so it is never shown as one."""
    (got,) = run([sentence])
    assert got.speaker is None or got.speaker.display.lower() not in {"was", "well as", "is"}


def test_a_label_may_list_the_speakers_offices_and_follow_a_sentence() -> None:
    """ "Mr Olsen, please. Deputy Governor – Envoy to the District, Chairman of the Commission for …
    Maria Olsen: …": a label listing offices, comma-separated, opens the next turn mid-paragraph, and
    the speech after it is hers, not the chair's who gave her the floor."""
    got = run(
        [
            "Maria Berg: Let us begin.",
            "Ms Olsen, please.",
            "Deputy Governor – Envoy to the Northern District, Chairman of the State Commission for "
            "Harbour Development Maria Olsen: Mr President, colleagues, the port has reopened.",
            "We shipped more grain this year.",
        ],
        [0, 1, 1, 1],
    )
    assert [g.speaker.display if g.speaker else None for g in got] == [
        "Maria Berg",
        "Maria Berg",
        "Maria Olsen",
        "Maria Olsen",
    ]
    assert got[2].how is How.LABEL


def test_a_label_of_two_offices_is_one_person() -> None:
    """A label of up to 24 words when it opens with a role; "… of Ministers and Chief of Staff …" joins
    two offices of one holder, not two people."""
    got = run(
        [
            "Chairman of the Cabinet of Ministers and Chief of Staff of the Presidential Executive Office "
            "of Norland Piet Lund: Mr President, we shipped more grain.",
        ]
    )
    assert got[0].speaker is not None and got[0].speaker.display == "Piet Lund"


def test_a_name_and_its_court_before_a_colon_is_no_label() -> None:
    """ "Judge Kenly Kato, United States District Court:" lists a nominee; the court is no speaker."""
    (got,) = run(["Judge Kenly Kato, United States District Court: Judge Kato has served since 2019."])
    assert got.speaker is None or "Court" not in got.speaker.display


def test_a_verb_form_after_a_preposition_is_no_speakers_verb() -> None:
    """ "… as part of its investigation into alleged misconduct": "alleged" is a participle, and
    "part of its investigation into" was shown as a speaker."""
    (got,) = run(
        ["The council opened an inquiry as part of its investigation into alleged misconduct by the mayor."]
    )
    assert got.speaker is None


def test_a_speaker_carries_the_roles_the_article_stated_with_their_name_before() -> None:
    """ "… met with Ambassador of Norland Ola Berg. Ola Berg said …": the speaker is the ambassador,
    though the sentence he speaks in states no role."""
    out = run(
        [
            "Deputy Minister Per Holm met with Ambassador of Norland Ola Berg in the capital.",
            "Ola Berg said that the embassy continues to work.",
        ]
    )
    spk = out[1].speaker
    assert spk is not None and spk.name == "Ola Berg"
    assert "ambassador" in spk.roles
