"""Question kinds (bot.answering.questions) and evidence tests (bot.answering.evidence), one case each."""

from __future__ import annotations

import pytest

from bot.answering.evidence import has_cause, has_clock_time, has_count, has_date, has_place
from bot.answering.questions import KINDS, analyse

# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What did Blinken say about Russia?", "said"),
        ("What did Blinken tweet about NATO?", "said"),
        ("What was Erdogan's reaction to the sanctions?", "said"),
        ("What else did Blinken say?", "said"),
        ("What is Blinken saying about NATO?", "said"),
        ("What was the new ship called?", "other"),  # a passive: the ship did not speak
        ("What were the envoys told?", "other"),
        ("According to Peskov, what will happen to the gas deal?", "said"),
        ("What will happen to the gas deal, according to Peskov?", "said"),
        ("According to Peskov, how many troops were moved?", "how_many"),
        ("Who is Ned Price?", "who"),
        ("Who's Ned Price?", "who"),
        ("Who’s Ned Price?", "who"),
        ("When did the talks start?", "when"),
        ("At what time did the talks start?", "when"),
        ("On what date did the talks start?", "when"),
        ("Where were the talks held?", "where"),
        ("How many people died in the flood?", "how_many"),
        ("How much did the budget grow?", "how_many"),
        ("Why did Russia move troops to the border?", "why"),
        ("Did Turkey appoint an envoy?", "yes_no"),
        ("Is NATO expanding?", "yes_no"),
        ("Which countries were discussed?", "other"),
        ("Tell me about Ukraine", "other"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert kind in KINDS
    assert analyse(question).kind == kind


# --------------------------------------------------------------------------- said: subject, verb, topic


@pytest.mark.parametrize(
    ("question", "subject", "verb", "topic_terms"),
    [
        ("What did Blinken say about Russia?", "Blinken", "say", ["russia"]),
        ("What did Blinken tweet about NATO?", "Blinken", "tweet", ["nato"]),
        ("What did Blinken tweet?", "Blinken", "tweet", []),
        ("What was Erdogan's reaction to the sanctions?", "Erdogan", "said", ["sanction"]),
        ("What was Erdogan’s reaction to the sanctions?", "Erdogan", "said", ["sanction"]),
        ("What else did Blinken say?", "Blinken", "say", []),
        ("What else did Blinken say about Russia?", "Blinken", "say", ["russia"]),
        ("What did Çavuşoğlu urge Russia to do?", "Çavuşoğlu", "urge", ["urg", "russia"]),
    ],
)
def test_said_subject_verb_topic(question: str, subject: str, verb: str, topic_terms: list[str]) -> None:
    q = analyse(question)
    assert (q.kind, q.subject, q.verb, q.topic_terms) == ("said", subject, verb, topic_terms)
    assert q.source is None


def test_tweet_question_wants_a_tweet() -> None:
    assert analyse("What did Blinken tweet about NATO?").wants_tweet
    assert not analyse("What did Blinken say about NATO?").wants_tweet


def test_according_to_x_what_will_happen_is_x_said() -> None:
    q = analyse("According to Peskov, what will happen to the gas deal?")
    assert (q.kind, q.subject, q.source) == ("said", "Peskov", None)
    assert {"gas", "deal"} <= set(q.topic_terms)
    assert "peskov" not in q.topic_terms


def test_according_to_x_how_many_keeps_the_kind_and_sets_the_source() -> None:
    q = analyse("According to Peskov, how many troops were moved?")
    assert (q.kind, q.source, q.subject) == ("how_many", "Peskov", None)
    assert "Peskov" in q.name_groups
    trailing = analyse("How many troops were moved, according to the ministry?")
    assert (trailing.kind, trailing.source) == ("how_many", "the ministry")


def test_the_addressee_is_not_part_of_the_topic() -> None:
    q = analyse("What did Roman Busargin tell Putin about the budget?")
    assert (q.kind, q.subject, q.verb) == ("said", "Roman Busargin", "tell")
    assert q.topic == "the budget"
    assert q.topic_terms == ["budget"]
    assert "Putin" in q.name_groups  # still a name the question holds


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("What did Blinken say to Lavrov about Ukraine?", "Ukraine"),
        ("What did Price tell reporters about Africa?", "Africa"),
    ],
)
def test_other_addressee_forms_are_not_part_of_the_topic(question: str, topic: str) -> None:
    assert analyse(question).topic == topic


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        (
            "What did Interior Minister Denys Monastyrskyi say about the crash?",
            "Interior Minister Denys Monastyrskyi",
        ),
        ("What did Denys Shmyhal announce?", "Denys Shmyhal"),
        ("What did Denys say?", "Denys"),
    ],
)
def test_a_name_that_looks_like_a_verb_form_stays_in_the_subject(question: str, subject: str) -> None:
    q = analyse(question)
    assert (q.kind, q.subject) == ("said", subject)


# --------------------------------------------------------------------------- who


@pytest.mark.parametrize(
    "question", ["Who is Ned Price?", "Who's Ned Price?", "Who’s Ned Price?", "who's ned price"]
)
def test_who_subject(question: str) -> None:
    q = analyse(question)
    assert q.kind == "who"
    assert q.subject is not None and q.subject.lower() == "ned price"


# --------------------------------------------------------------------------- name groups


@pytest.mark.parametrize(
    ("question", "groups"),
    [
        ("At what time did the talks start?", []),
        ("Who's Ned Price?", ["Ned Price"]),
    ],
)
def test_question_words_are_not_name_groups(question: str, groups: list[str]) -> None:
    assert analyse(question).name_groups == groups


def test_name_groups_of_a_said_question() -> None:
    q = analyse("What did Ted Cruz tell ABC about the bill?")
    assert q.name_groups == ["Ted Cruz", "ABC"]


# --------------------------------------------------------------------------- evidence


@pytest.mark.parametrize(
    "sentence",
    [
        "The vote was held on Jan. 3.",
        "She was born October 2 2018.",
        "They will meet next week.",
        "The meeting starts at 19:00.",
        "It rained in 2007.",
        pytest.param(
            "The meeting starts at 7 p.m. sharp.",
        ),
        pytest.param(
            "The plant was built in the 1990s.",
        ),
    ],
)
def test_has_date(sentence: str) -> None:
    assert has_date(sentence)


@pytest.mark.parametrize("sentence", ["The talks went well.", "The 116th Congress met.", "It was early."])
def test_has_no_date(sentence: str) -> None:
    assert not has_date(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The bill passed with 220 votes.",
        "Russia massed 100,000 troops at the border.",
        "39 are confirmed dead.",
        "Dozens of people were hurt.",
    ],
)
def test_has_count(sentence: str) -> None:
    assert has_count(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The bridge was built in 2007.",
        "The 116th Congress met.",
        "It rained in 2007 in the 116th district.",
        pytest.param(
            "The vote was held on Jan. 3.",
        ),
        pytest.param(
            "They meet at 19:00.",
        ),
    ],
)
def test_has_no_count(sentence: str) -> None:
    assert not has_count(sentence)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("They meet at 19:00.", True),
        ("They meet at 7 p.m.", True),
        ("at noon", True),
        ("They meet on Jan. 3.", False),
        ("The bill passed with 220 votes.", False),
    ],
)
def test_has_clock_time(sentence: str, expected: bool) -> None:
    assert has_clock_time(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The talks were held in Ankara.", True),
        ("They met at the Kremlin.", True),
        ("The talks were held in secret.", False),
        ("The talks went well.", False),
    ],
)
def test_has_place(sentence: str, expected: bool) -> None:
    assert has_place(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The bridge was closed because of cracks.", True),
        ("Flights were cancelled due to fog.", True),
        ("Troops moved in response to the drills.", True),
        ("The bridge was closed.", False),
    ],
)
def test_has_cause(sentence: str, expected: bool) -> None:
    assert has_cause(sentence) is expected


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("What was the name of the man injured in the fire?", ["man", "injured"]),
        ("what is the name of the platform the minister presented", ["platform"]),
        ("What was the new ship called?", ["new", "ship"]),
        ("What did the minister call the plan?", []),
        ("What happened to the ship?", []),
    ],
)
def test_a_question_asking_for_a_name_says_what_is_named(question: str, thing: list[str]) -> None:
    assert analyse(question).name_of == thing
