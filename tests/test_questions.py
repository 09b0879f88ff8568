"""Tests for bot.answering.questions: question kinds, subjects, topics, and follow-up pronouns."""

from __future__ import annotations

import pytest

from bot.answering.questions import KINDS, analyse, premise, with_context, without_mentions


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What did Blinken say?", "said"),
        ("What did Blinken post on Twitter?", "said"),
        ("What did Çavuşoğlu urge Russia to do?", "said"),
        ("What has Moscow proposed?", "said"),
        ("How did Putin respond to the sanctions?", "said"),
        ("What was said by Ned Price about Africa?", "said"),
        ("what did blinken say", "said"),
        ("Who is Ned Price?", "who"),
        ("Who was the mayor of Gdańsk?", "who"),
        ("When did Çavuşoğlu and Blinken talk on the phone?", "when"),
        ("On what date was the mayor stabbed?", "when"),
        ("What year did the war start?", "when"),
        ("Where will the talks with Moscow be held?", "where"),
        ("In which city were the talks held?", "where"),
        ("What country hosted the summit?", "where"),
        ("Which Polish city got the first award?", "where"),
        ("which region did the minister invite investors to rebuild", "where"),
        ("In what province was the dam built?", "where"),
        ("Which city's mayor resigned?", "other"),
        ("How many troops have the Russians moved toward Ukraine?", "how_many"),
        ("How much did the budget grow?", "how_many"),
        ("What percentage voted yes?", "how_many"),
        ("Why did Russia move troops?", "why"),
        ("What was the reason for the talks?", "why"),
        ("Did Turkey appoint an envoy?", "yes_no"),
        ("Is NATO expanding?", "yes_no"),
        ("Which countries in Africa were discussed?", "other"),
        ("Tell me about the budget", "other"),
    ],
)
def test_question_kind(question: str, kind: str) -> None:
    assert kind in KINDS
    assert analyse(question).kind == kind


def test_said_question_with_role_subject_and_topic() -> None:
    q = analyse("What did Polish Interior Minister Joachim Brudziński say about the stabbing?")
    assert q.kind == "said"
    assert q.subject == "Polish Interior Minister Joachim Brudziński"
    assert q.verb == "say"
    assert q.topic == "the stabbing"
    assert q.topic_terms == ["stab"]
    assert "Brudziński" in q.names


def test_said_question_without_topic() -> None:
    q = analyse("What did Blinken say?")
    assert (q.kind, q.subject, q.topic, q.topic_terms) == ("said", "Blinken", "", [])


def test_act_verb_goes_into_the_topic_speech_verb_does_not() -> None:
    urge = analyse("What did Çavuşoğlu urge Russia to do?")
    assert urge.subject == "Çavuşoğlu"
    assert urge.verb_base == "urge"
    assert urge.topic_terms[0] == "urg"  # "urge" says what was done: it is searched for
    assert "russia" in urge.topic_terms
    say = analyse("What did Çavuşoğlu say about Russia?")
    assert say.topic_terms == ["russia"]  # "say" only shapes the question


def test_said_by_form() -> None:
    q = analyse("What was said by Ned Price about Africa?")
    assert (q.kind, q.subject, q.topic) == ("said", "Ned Price", "Africa")


def test_tweet_questions_want_tweets() -> None:
    assert analyse("What did Blinken post on Twitter?").wants_tweet
    assert analyse("What did Blinken tweet?").wants_tweet
    assert not analyse("What did Blinken say about NATO?").wants_tweet


def test_organisation_subject() -> None:
    q = analyse("What did the Foreign Ministry say?")
    assert (q.kind, q.subject) == ("said", "the Foreign Ministry")


def test_who_question_subject_is_the_person() -> None:
    q = analyse("Who is Ned Price?")
    assert (q.kind, q.subject) == ("who", "Ned Price")
    assert analyse("who is ned price").subject == "ned price"


@pytest.mark.parametrize("question", ["Who's Ned Price?", "Who’s Ned Price?"])
def test_whos_contraction_is_a_who_question(question: str) -> None:
    q = analyse(question)
    assert (q.kind, q.subject) == ("who", "Ned Price")


def test_general_question_topic_is_the_question_and_terms_drop_question_words() -> None:
    q = analyse("How many troops have the Russians moved toward Ukraine?")
    assert q.subject is None
    assert q.topic == "How many troops have the Russians moved toward Ukraine"
    assert q.terms == ["troop", "russian", "move", "toward", "ukrain"]


def test_names_are_the_capitalised_words_not_the_question_word() -> None:
    q = analyse("When did Çavuşoğlu and Blinken talk on the phone?")
    assert q.names == ["Çavuşoğlu", "Blinken"]


def test_whitespace_and_trailing_punctuation_are_normalised() -> None:
    q = analyse("  What   did Blinken  say ?? ")
    assert q.text == "What did Blinken say"
    assert (q.kind, q.subject) == ("said", "Blinken")


@pytest.mark.parametrize("text", ["", "?", "hello", "😀", "x" * 3000])
def test_analyse_never_fails(text: str) -> None:
    assert analyse(text).kind in KINDS


def test_follow_up_pronoun_takes_the_previous_subject() -> None:
    assert (
        with_context("What did he say about NATO?", "Antony Blinken")
        == "What did Antony Blinken say about NATO?"
    )
    assert with_context("What was his role?", "Ned Price") == "What was Ned Price’s role?"
    assert with_context("What did she say?", "Ana Silva") == "What did Ana Silva say?"


def test_follow_up_without_pronoun_or_subject_is_unchanged() -> None:
    assert with_context("Where is Geneva?", "Ned Price") == "Where is Geneva?"
    assert with_context("What did he say?", None) == "What did he say?"


@pytest.mark.parametrize(
    "text",
    [
        "<@U0ALICE> <@UBOT> what did Zapata say about the boat?",
        "<@U0ALICE|alice> what did <#C1|general> Zapata say about <!here> the boat?",
        "@alice @citebot what did Zapata say about the boat?",
        "@alice, what did Zapata say about the boat?",
    ],
)
def test_chat_mentions_are_not_words_of_the_question(text: str) -> None:
    q = analyse(text)
    assert (q.kind, q.subject, q.topic) == ("said", "Zapata", "the boat")
    assert "@" not in q.text and "<" not in q.text


@pytest.mark.parametrize(
    "text",
    [
        "- what did Zapata say about the boat?",
        "• what did Zapata say about the boat",
        "> what did Zapata say about the boat?",
        '"what did Zapata say about the boat?"',
        "“What did Zapata say about the boat?”",
        "...what did Zapata say about the boat?",
        "<@UBOT> “what did Zapata say about the boat?”",
        "<script>alert(1)</script> what did Zapata say about <b>the boat</b>?",
    ],
)
def test_a_pasted_question_is_read_without_its_wrapping_marks(text: str) -> None:
    q = analyse(text)
    assert (q.kind, q.subject, q.topic) == ("said", "Zapata", "the boat")


def test_marks_inside_the_question_stay() -> None:
    assert without_mentions("what did O'Neill say about the “deal”?") == (
        "what did O'Neill say about the “deal”?"
    )


@pytest.mark.parametrize(
    "text",
    [
        "*what* did `Zapata` say about _the boat_",
        "```what did Zapata say about the boat```",
        "what did **Zapata** say about the boat",
    ],
)
def test_chat_formatting_marks_are_no_part_of_the_question(text: str) -> None:
    q = analyse(text)
    assert (q.kind, q.subject, q.topic) == ("said", "Zapata", "the boat")
    assert without_mentions("what is 2*3*4 and x_y") == "what is 2*3*4 and x_y"


def test_a_handle_inside_the_question_is_kept() -> None:
    assert without_mentions("what did @POTUS tweet?") == "what did @POTUS tweet?"


def test_how_long_asks_for_a_duration_or_length_and_how_many_for_a_count() -> None:
    q = analyse("How long did the crossing take?")
    assert q.unit_classes == ("duration", "length") and q.terms == ["cross", "take"]
    assert analyse("How many people were evacuated?").unit_classes == ()
    old = analyse("How old is the school?")
    assert old.unit_classes == ("age", "duration") and old.terms == ["school"]
    assert "count" in analyse("How big is the farm?").unit_classes  # a size, or a count of the thing


def test_asking_someone_to_do_something_is_what_they_said() -> None:
    """ "ask foreign ambassadors": a role word after the verb is its object; only a verb that is a
    role word itself ("the press secretary") starts the subject."""
    q = analyse("what did Anna Lind ask foreign ministers to do at the meeting")
    assert (q.kind, q.subject, q.verb_base, q.addressee) == ("said", "Anna Lind", "ask", "foreign ministers")
    q = analyse("what did the press secretary say about the talks")
    assert (q.kind, q.subject, q.topic) == ("said", "the press secretary", "the talks")


def test_a_verb_form_after_of_is_part_of_the_role() -> None:
    """ "the secretary of state": "state" after "of" is a noun of the role, not the verb of saying."""
    q = analyse("what did the secretary of state say about the harbour fees")
    assert (q.kind, q.subject, q.verb_base, q.topic) == (
        "said",
        "the secretary of state",
        "say",
        "the harbour fees",
    )
    assert analyse("what did the head of state state about the fees").subject == "the head of state"


def test_what_thing_did_someone_ask_for_keeps_the_thing_in_the_topic() -> None:
    q = analyse("what weapons did Jo Lee ask Canada for")
    assert q.kind == "said" and q.subject == "Jo Lee" and "weapons" in q.topic
    assert analyse("what time did Jo Lee say he would arrive").kind == "when"
    assert analyse("what share of voters did the poll say were undecided").kind == "how_many"


def test_a_passive_naming_question_is_not_about_speech() -> None:
    q = analyse("what was the robot on the test flight called")
    assert q.kind == "other" and q.subject is None


def test_terminal_escapes_and_control_characters_are_no_part_of_a_word() -> None:
    """A pasted coloured name ("\\x1b[31mputin\\x1b[0m") or a stray backspace is the plain word."""
    assert analyse("what did \x1b[31mputin\x1b[0m say about nato").subject == "putin"
    assert analyse("what did pu\x08tin say about nato").subject == "putin"


@pytest.mark.parametrize(
    ("question", "given"),
    [
        ("what did the mayor tell the council about the boats she bought", ["bought"]),
        ("what did Strand say about the ferry that sank in May", ["sank", "may"]),
        ("what did the reporter who asked about the quay hear", ["ask", "quay", "hear"]),
        ("what did Strand say about the harbour fees", []),
        ("is the quay open now that the repairs are done", []),
    ],
)
def test_premise_is_the_relative_clause_on_a_noun_phrase(question: str, given: list[str]) -> None:
    assert premise(question) == given


def test_a_speech_verb_after_of_is_a_noun_of_the_subject() -> None:
    """ "the secretary of state": "state" after "of" is no verb; the question's verb is "say"."""
    q = analyse("What did the US secretary of state say about the talks?")
    assert (q.kind, q.subject, q.verb, q.topic) == ("said", "the US secretary of state", "say", "the talks")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("and what did Putin say about it?", "what did Putin say about it?"),
        ("But, when did he say it?", "when did he say it?"),
        ("And Putin?", "And Putin?"),  # no question after it: left as typed
        ("what did Anders say?", "what did Anders say?"),
    ],
)
def test_a_follow_ups_opening_word_is_no_part_of_the_question(typed: str, read: str) -> None:
    from bot.answering.questions import without_follow_up

    assert without_follow_up(typed) == read


def test_a_said_question_on_it_has_a_vague_topic() -> None:
    from bot.answering.questions import vague_topic

    assert vague_topic(analyse("what did Putin say about it?"))
    assert vague_topic(analyse("what did Putin say about that?"))
    assert not vague_topic(analyse("what did Putin say about this deal?"))
    assert not vague_topic(analyse("what did Putin say?"))


def test_a_follow_up_that_only_names_someone_is_about_them() -> None:
    from bot.answering.questions import another_subject

    assert another_subject("and Erdogan?") == "Erdogan"
    assert another_subject("What about Olaf Scholz?") == "Olaf Scholz"
    assert another_subject("what did Erdogan say?") is None


def test_place_asked_by_its_noun_keeps_the_noun_in_the_topic() -> None:
    """ "which Polish port …" is a where-question (rule where.noun); the noun stays a topic term,
    so "the port of Varna" outranks another place of the same article."""
    q = analyse("Which Bulgarian port will the ships use?")
    assert (q.kind, q.rule) == ("where", "where.noun")
    assert "port" in q.topic_terms


def test_which_noun_asks_for_a_named_instance_of_it() -> None:
    q = analyse("which Norwegian singer did the minister quote")
    assert (q.kind, q.rule, q.instance) == ("other", "what.instance", "singer")
    assert analyse("what year did the war start").kind == "when"  # a typed noun's rule comes first


@pytest.mark.parametrize(
    ("question", "subject", "verb", "topic"),
    [
        ("what did biden sya about inflation", "biden", "say", "inflation"),
        ("What did Joe Biden siad about Ukraine?", "Joe Biden", "said", "Ukraine"),
        ("what did zelensky twet about drones", "zelensky", "tweet", "drones"),
    ],
)
def test_a_verb_one_slip_from_saying_reads_as_a_said_question(
    question: str, subject: str, verb: str, topic: str
) -> None:
    q = analyse(question)
    assert (q.kind, q.subject, q.verb, q.topic, q.rule) == ("said", subject, verb, topic, "said.verb_slip")
    assert q.text == question.rstrip("?")  # the user's words as typed, nothing shown corrected


@pytest.mark.parametrize(
    "question",
    [
        "what did the army see in kherson",
        "what did trump want",
        "what did the fed raise",
        "what did the fed raise interest rates to in march",  # "rates" is no slip of "raves"
    ],
)
def test_a_real_verb_is_no_slip_of_saying(question: str) -> None:
    assert analyse(question).kind != "said"


@pytest.mark.parametrize(
    "question",
    [
        "what did biden's courts-martial order do about sexual harassment",
        "what did the mayor's order mean for the harbour",
    ],
)
def test_a_verb_after_the_said_verb_makes_it_a_noun(question: str) -> None:
    """ "What did the X order do about Y": "order" is the thing asked about, "do" the verb; no one is
    the subject of a said-question."""
    q = analyse(question)
    assert q.kind != "said"
    assert "order" in q.terms


def test_a_said_verb_before_an_addressee_is_still_the_verb() -> None:
    q = analyse("what did the mayor order the police to do")
    assert q.kind == "said" and q.subject == "the mayor"


@pytest.mark.parametrize(
    ("question", "counted"),
    [("in how many countries is the vaccine approved", ["countries"]), ("by how much did prices rise", [])],
)
def test_a_preposition_may_open_a_how_many_question(question: str, counted: list[str]) -> None:
    q = analyse(question)
    assert q.kind == "how_many" and q.counted == counted


def test_according_to_someone_at_an_occasion_is_the_source_and_the_occasion_the_topics() -> None:
    """ "…, according to putin at apec": Putin is the source; "at apec" is where, a word of the topic."""
    q = analyse("in how many countries is the vaccine approved according to putin at apec")
    assert q.kind == "how_many" and q.source == "putin"
    assert q.topic.endswith("at apec")


def test_a_contraction_typed_without_its_apostrophe_is_the_contraction() -> None:
    q = analyse("who raised the alarm when the chef didnt show up for work")
    assert "didnt" not in q.terms and "didn't" in q.text
    assert analyse("what did Im Yoon say").subject == "Im Yoon"  # a name, not "I'm"


def test_which_with_a_verb_of_saying_is_a_said_question() -> None:
    q = analyse("which reforms did derevianko say still need to be finished")
    assert (q.kind, q.subject) == ("said", "derevianko")
    assert "reforms" in q.topic
    assert analyse("which italian singer did yermak quote on rai 1").kind != "said"


def test_wanting_to_is_no_part_of_the_subject() -> None:
    q = analyse("what did rakhmon want to talk about with putin")
    assert (q.kind, q.subject) == ("said", "rakhmon")
    assert analyse("what did the minister plan to announce about taxes").subject == "the minister"


def test_a_generic_counted_noun_ends_the_noun_before_its_verb() -> None:
    """ "how many people lost power": people are counted; "lost" is what they did, no noun an
    article must name."""
    q = analyse("how many people lost power after the crash")
    assert q.counted == ["people"] and q.quantified == []
    assert analyse("how many escape rooms are there").counted == ["escape", "rooms"]


def test_an_occasion_typed_before_the_question_is_read_after_it() -> None:
    q = analyse("in his greeting to the conference what did putin say the party has achieved")
    assert (q.kind, q.subject) == ("said", "putin")
    assert "greeting" in q.topic and "achieved" in q.topic
    assert analyse("at munich, what did zelensky say about the speech").subject == "zelensky"
    # a preposition that opens the question itself stays where it is
    assert analyse("in how many countries did it happen").kind == "how_many"
    assert analyse("in which city were the talks held").kind == "where"


def test_whom_something_was_said_to_is_read_in_any_case() -> None:
    q = analyse("what did putin say to bolsonaro about the floods")
    assert (q.subject, q.addressee, q.topic) == ("putin", "bolsonaro", "the floods")
    assert analyse("what did putin say on monday about the floods").addressee is None
    # ending the question, the words after "to" may be whom: the answerer links them to know
    assert analyse("what did jane rosenthal say to yermak").said_to == "yermak"
    assert analyse("what did putin say about the visit to kyiv").said_to is None


def test_who_will_be_asks_who_holds_it() -> None:
    q = analyse("who is going to be the interagency coordinator under the memo")
    assert (q.kind, q.subject) == ("who", "the interagency coordinator under the memo")
    assert analyse("who will be the new envoy").subject == "the new envoy"


def test_what_kind_of_thing_did_x_say_is_a_said_question() -> None:
    q = analyse("what kind of plan did zelensky say ukraine needs")
    assert (q.kind, q.subject) == ("said", "zelensky")
    assert "plan" in q.topic


def test_question_patterns_read_a_hostile_question_at_once() -> None:
    """A question as long as the answerer takes, made of one long word or many short ones after an
    opening preposition or a final "to", is read without the patterns trying every way to split it
    (run apart, so a pattern that backtracks fails the test instead of hanging it)."""
    import subprocess
    import sys

    code = (
        "from bot.answering.questions import analyse\n"
        "from bot.answering.answerer import MAX_QUESTION_CHARS as N\n"
        "for t in ['in ' + 'a' * (N - 5) + ' b', 'what did putin say to ' + 'a' * (N - 30),\n"
        "          'in ' + 'x ' * (N // 2 - 20) + 'what did he say',\n"
        "          'what did x say to ' + 'a ' * (N // 2 - 20)]:\n"
        "    analyse(t)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
