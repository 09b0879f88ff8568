"""After each sentence has its own speaker: who speaks the sentences that name nobody.

A quotation running over several sentences or paragraphs, a transcript's turn after its label, a
bulleted list after its lead-in, a credit line closing a quotation, a cue line ("he said:") before
the quote it introduces: each step reads the whole article's attributions and fills or moves them,
because these speakers are only known from the sentences around.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.attribution.memory import (
    CAP,
    OPENING_SUBJECT,
    PRONOUNS,
    Memory,
    clause_subject,
    first_person,
    title_mentions,
)
from bot.attribution.phrases import (
    ORG_HEADS,
    ROLE_WORDS,
    first_name_gender,
    parse_phrase,
)
from bot.attribution.quote_marks import scan
from bot.attribution.records import How, SentenceAttribution, Speaker
from bot.attribution.rules import PHRASE, VERB_GROUP, caption_line, is_quote, opens_section
from bot.lexicon import alternation, words
from bot.text import fold


def _attributed_tail(sentence: str) -> bool:
    """Words after the closing quote (`…,” Volodymyr Zelenskyy summed.`): the sentence names its own
    speaker, even one no rule could read, so it never continues someone else's quote. A quotation
    that opens and runs to the sentence's end has no tail."""
    spans, still_open = scan(sentence)
    if not spans or still_open:
        return False
    return re.search(r"[A-Za-z]{2,}", sentence[spans[-1][1] :]) is not None


def _attributed_head(sentence: str) -> bool:
    """A reporting verb before the opening quote (`Ola Dahl of the Port Board said, “…”`): the sentence
    names its own speaker, even one no rule could read, so it never continues someone else's quote."""
    spans, _ = scan(sentence)
    if not spans or spans[0][0] == 0:
        return False
    head = sentence[: spans[0][0]].rstrip()
    if not head.endswith((",", ":")) or not head[:1].isupper() or fold(head.split()[0]) in PRONOUNS:
        return False
    ends = [m.end() for m in VERB_GROUP.finditer(head)]
    return bool(ends) and not head[ends[-1] :].strip(" ,:")  # the last verb is the quote's cue


def _opens(sentence: str) -> bool:
    return sentence.lstrip()[:1] in '“"' or sentence.lstrip().startswith("''")


def spread_quotes(
    sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution], open_quote: list[bool]
) -> None:
    """Give an unattributed quote the speaker of the quote it continues (same or next paragraph)."""
    # `"Our house is burning." Macron told the world via Twitter.`: a short attribution after a quote.
    for i in range(len(sentences) - 1):
        nxt = attrs[i + 1]
        if (
            attrs[i].speaker is None
            and nxt.speaker is not None
            and _someone(nxt)
            and _opens(sentences[i])
            and not is_quote(sentences[i + 1])
            and len(sentences[i + 1]) < 150
            and nxt.how in {How.REPORTED, How.TWEET}
            and paragraphs[i + 1] - paragraphs[i] <= 1
        ):
            how = How.TWEET if nxt.how is How.TWEET else How.QUOTE
            attrs[i] = SentenceAttribution(nxt.speaker, how, "quote-before-attribution")
    _continue_quotes(sentences, paragraphs, attrs, open_quote)
    # An opening quote whose attribution comes in a later sentence of the same paragraph.
    for i in range(len(sentences) - 2, -1, -1):
        nxt = attrs[i + 1]
        if (
            attrs[i].speaker is None
            and nxt.speaker is not None
            and paragraphs[i] == paragraphs[i + 1]
            and (_opens(sentences[i]) or open_quote[i])  # not a phrase "quoted" in passing
            and nxt.how in {How.QUOTE, How.CONTINUED}
        ):
            attrs[i] = SentenceAttribution(nxt.speaker, How.CONTINUED, "quote-attributed-later")
    # `Lind praised the new quay.` / (next paragraph) `“We built it …”`: a quotation paragraph nobody is
    # said to speak, right after a sentence reporting what someone said, is theirs.
    spoken = {paragraphs[i] for i, a in enumerate(attrs) if a.speaker is not None}
    later = _spoken_later(paragraphs, attrs)
    moved = False
    for i in range(1, len(sentences)):
        prev = attrs[i - 1]
        if (
            attrs[i].speaker is None
            and (
                (paragraphs[i] == paragraphs[i - 1] + 1 and paragraphs[i] not in spoken)
                or (paragraphs[i] == paragraphs[i - 1] and not later[i])
            )
            and _opens(sentences[i])
            and not _attributed_tail(sentences[i])
            and prev.speaker is not None
            and prev.speaker.names
            and prev.how is How.REPORTED
        ):
            attrs[i] = SentenceAttribution(prev.speaker, How.CONTINUED, "quote-after-report")
            moved = True
    if moved:
        _continue_quotes(sentences, paragraphs, attrs, open_quote)


def _spoken_later(paragraphs: list[int], attrs: list[SentenceAttribution]) -> list[bool]:
    """Whether a later sentence of each sentence's paragraph names a speaker, in one pass from the
    end (asking it per sentence scans a paragraph of n sentences n times)."""
    out = [False] * len(attrs)
    for i in range(len(attrs) - 2, -1, -1):
        if paragraphs[i + 1] == paragraphs[i]:
            out[i] = attrs[i + 1].speaker is not None or out[i + 1]
    return out


def _someone(a: SentenceAttribution) -> bool:
    """Whether an attribution names someone who may speak the quotation before it: a name, a role,
    a body or a pronoun; never a thing ("Back then, the statue was offered to …")."""
    sp = a.speaker
    if sp is None:
        return False
    first = fold(a.mention.split()[0]) if a.mention.split() else ""
    return bool(sp.names or sp.roles & (ROLE_WORDS | ORG_HEADS) or first in PRONOUNS)


def _continue_quotes(
    sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution], open_quote: list[bool]
) -> None:
    """A quotation's later sentences (same or next paragraph) are the speaker of the one before."""
    for i in range(1, len(sentences)):
        if attrs[i].speaker is not None or _attributed_tail(sentences[i]):
            continue
        if not (is_quote(sentences[i]) or open_quote[i]):
            continue
        if not open_quote[i] and _attributed_head(sentences[i]):
            continue
        prev = attrs[i - 1]
        if (
            prev.speaker is not None
            and prev.how in {How.QUOTE, How.CONTINUED, How.LABEL, How.TWEET, How.STATEMENT}
            and (paragraphs[i] - paragraphs[i - 1] <= 1)
        ):
            attrs[i] = SentenceAttribution(prev.speaker, How.CONTINUED, "quote-continued")


# What may follow the cue of a cue line: nothing, a time, a place, an addressee, a participle.
_CUE_TAIL = re.compile(
    r"^\s*(?:(?:to\s+)?(?:reporters|journalists)\b)?\s*"
    r"(?:(?:,\s*)?(?:in|on|at|during|after|before|about|with|from|last|this|yesterday|today|tonight|later|"
    r"earlier|then|again|also|afterward|[A-Z][a-z]+day|[a-z]+ly)\b[^.!?;:]{0,70}|,\s+[a-z]+ing\b[^.!?;:]{0,70})?"
    r"[.!?:]?\s*$"
)


def _cue_line(sentence: str, attr: SentenceAttribution) -> bool:
    """`Trump said.` / `Magel said at Monday's rally.` / `Cruz continued:`: a sentence that is only a
    speaker and a cue, whose words are the sentence before (or after, for a colon)."""
    if attr.cue_span is None or attr.mention_span is None or attr.how is not How.REPORTED:
        return False
    rest = sentence[attr.cue_span[1] :]
    head = sentence[: attr.mention_span[0]]
    return len(head.split()) <= 2 and " that " not in f" {rest} " and bool(_CUE_TAIL.match(rest))


def move_cue_lines(sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution]) -> None:
    """A cue line attributes its neighbour, not itself: the quotation before it, or what follows its
    colon (the next sentence, which may open the next paragraph)."""
    for i, a in enumerate(attrs):
        speaker = a.speaker
        if speaker is None or not _cue_line(sentences[i], a):
            continue
        colon = sentences[i].rstrip().endswith(":")
        j = i + 1 if colon else i - 1
        if not 0 <= j < len(sentences) or abs(paragraphs[j] - paragraphs[i]) > 1:
            continue
        before = attrs[j].speaker
        if before is not None:
            if not colon and before.name == speaker.name and is_quote(sentences[j]):
                attrs[i] = SentenceAttribution()  # the quotation before already has this speaker
            continue
        if not colon and not is_quote(sentences[j]):
            continue
        attrs[j] = SentenceAttribution(speaker, How.QUOTE, "cue-line", a.mention, None, None)
        attrs[i] = SentenceAttribution()


def move_message_lines(sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution]) -> None:
    """ "The statement reads:" says nothing itself: the text after its colon is the message, its
    author's. A quotation is continued by the quotation steps; block text runs to the end of the
    paragraph after the line (or of the line's own, when the text goes on there)."""
    for i, a in enumerate(attrs):
        if a.rule != "message-reads" or a.speaker is None or not sentences[i].rstrip().endswith(":"):
            continue
        j = i + 1
        if j >= len(sentences) or paragraphs[j] - paragraphs[i] > 1 or attrs[j].speaker is not None:
            continue
        block = paragraphs[j]
        how = How.QUOTE if _opens(sentences[j]) else How.STATEMENT
        while j < len(sentences) and paragraphs[j] == block and attrs[j].speaker is None:
            attrs[j] = SentenceAttribution(a.speaker, how, "message-text", a.mention)
            if how is How.QUOTE:
                break  # the quotation steps carry it on to where it closes
            j += 1
        attrs[i] = SentenceAttribution()


def move_signatures(
    sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution], inside: list[bool]
) -> None:
    """A line that is only a signature (`― Jo Lee`) signs the quotation before it, every sentence
    of it back to where it opened (in its paragraph or the one before); the line itself says nothing
    (after prose, not a quotation, it is a byline)."""
    for i, a in enumerate(attrs):
        if a.rule != "signature" or sentences[i].lstrip()[:1] not in "―—–-":
            continue
        j = i - 1
        while (
            j >= 0
            and attrs[j].speaker is None
            and paragraphs[i] - paragraphs[j] <= 1
            and (is_quote(sentences[j]) or inside[j])
        ):
            attrs[j] = SentenceAttribution(a.speaker, How.QUOTE, "signature", a.mention)
            if _opens(sentences[j]):
                break
            j -= 1
        attrs[i] = SentenceAttribution()  # the line says nothing; signing no quotation, it is a byline


# A paragraph that is a list item: a dash or a bullet sign, then the item.
_BULLET = re.compile(r"^\s*[-•·*–—]\s+")
# A list item that is a quotation: it opens right after the sign, or after an "On <topic>:" prefix
# ("- On tolls: “We will cut them.”"), which says what the quotation is about, never who speaks it.
_QUOTE_BULLET = re.compile(r"^\s*[-•·*–—]\s+(?:On\s[^:“”\"]{1,80}:\s*)?[“\"]")
# A list item with a label of its own ("- Jo Lee: “…”", "- Lee (May 3): “…”"): each item has its speaker.
_LABELLED_BULLET = re.compile(r"^\s*[-•·*–—]\s+(?!On\s)[^:“”\"]{2,80}:\s*[“\"]")
# What may follow an item's closing quote: nothing, a date or "(Watch)" in brackets.
_ITEM_TAIL = re.compile(r"^[\s.,;:!?…]*(?:\([^()]{0,40}\)[\s.]*)?$")
# A heading that is one person "on" a programme ("Secretary Jo Lee on Morning Talk").
_HEADING_PERSON = re.compile(rf"^(?P<who>{PHRASE})(?:\s+on\s+{CAP}[^.!?:;,“”\"]*)?$")
_JOINED = re.compile(r"\s(?:and|&)\s")
_OCCASIONS = re.compile(rf"\b(?:{alternation(words('speech.nouns.occasions'))})\b", re.I)


def _quote_item(sentence: str) -> bool:
    """A list item that is a quotation, whole ("- “We will cut them.” (Watch)"), or one opening there
    and running on; not one that quotes a name in passing ("- “Buy Clean” rules took effect")."""
    if not _QUOTE_BULLET.match(sentence):
        return False
    close = max(sentence.rfind("”"), sentence.rfind('"') if sentence.count('"') >= 2 else -1)
    return close < 0 or _ITEM_TAIL.match(sentence[close + 1 :]) is not None


def _one_person(people: list[Speaker]) -> Speaker | None:
    """The one person of several mentions (the fullest name), or None when they are two or more."""
    best: Speaker | None = None
    for p in people:
        if best is None or best.keys <= p.keys:
            best = p
        elif not p.keys <= best.keys:
            return None
    return best


def _lead_in_speaker(
    k: int,
    sentences: list[str],
    paragraphs: list[int],
    attrs: list[SentenceAttribution],
    about: list[Speaker | None],
    memory: Memory,
) -> tuple[Speaker, str] | None:
    """Who speaks the quotations listed after lead-in sentence `k` ("…:"), and the step's rule id:
    its own speaker; else the one person it opens with ("Jo Lee gave an update on the works:"); two
    joined by "and" are nobody. A lead-in that names nobody ("Here are the top moments:") passes
    to the one person the text before it is about or, failing that, names (the paragraph before;
    past a line naming nobody, the one before that too), when that text tells of an occasion they
    spoke on (an interview, remarks: lexicon `speech.nouns.occasions`); else nobody."""
    sent = sentences[k]
    own = attrs[k].speaker
    if own is not None:
        return (own, "bullet-lead-in") if own.names else None
    m = OPENING_SUBJECT.match(sent)
    if m and _JOINED.search(m.group("who")):
        return None  # "Jo Lee and Carl Dahl gave an update:": whose each item is, it does not say
    subject = about[k]
    if subject is not None:
        return subject, "bullet-lead-in"
    ent = parse_phrase(m.group("who")) if m else None
    if (ent is not None and ent.org and ent.names) or any(p.names for p in title_mentions(sent)):
        return None  # it names someone, not one person whose words these are
    before = [j for j in range(k - 1, -1, -1) if paragraphs[j] == paragraphs[k]]
    if not before and k > 0:
        before = [j for j in range(k - 1, -1, -1) if paragraphs[j] == paragraphs[k - 1]]
        last = before[-1]
        if last > 0 and not any(about[j] or attrs[j].speaker or title_mentions(sentences[j]) for j in before):
            # "Click here to watch the full interview": a link line naming nobody; the paragraph before it
            before += [j for j in range(last - 1, -1, -1) if paragraphs[j] == paragraphs[last - 1]]
    if any((o := OPENING_SUBJECT.match(sentences[j])) and _JOINED.search(o.group("who")) for j in before):
        return None  # "Jo Lee and Carl Dahl gave an interview.": two people
    people = [
        p for j in before for p in (about[j], attrs[j].speaker) if p is not None and p.names and not p.org
    ]
    if not people:  # "After a long clause, President Lind sat down for an interview …": the people it names
        named = (p for j in before for p in title_mentions(sentences[j]))
        people = [memory.full(p) for p in named if p.names and not p.org]
    one = _one_person(people)
    text = " ".join([*(sentences[j] for j in before), sent])
    if one is None or not _OCCASIONS.search(text):
        return None
    return one, "bullet-occasion"


def spread_bullets(
    sentences: list[str],
    paragraphs: list[int],
    attrs: list[SentenceAttribution],
    about: list[Speaker | None],
    memory: Memory,
) -> None:
    """A list of quotation items after a lead-in paragraph ending with ":" (or a heading "Jo Lee on
    Morning Talk") is the speaker the lead-in names (`_lead_in_speaker`). A list whose items name
    speakers of their own ("- Jo Lee: “…”", "“…,” said Carl Dahl") is several people's: left alone."""
    starts = [i for i in range(len(sentences)) if i == 0 or paragraphs[i] != paragraphs[i - 1]]
    ends = [*starts[1:], len(sentences)]
    p = 1
    while p < len(starts):
        if not _BULLET.match(sentences[starts[p]]):
            p += 1
            continue
        lead = p - 1
        run = []
        while p < len(starts) and _BULLET.match(sentences[starts[p]]):
            run.append(p)
            p += 1
        k = ends[lead] - 1  # the lead-in sentence: the last of the paragraph before the list
        text = sentences[k].rstrip()
        got: tuple[Speaker, str] | None = None
        if text.endswith(":"):
            got = _lead_in_speaker(k, sentences, paragraphs, attrs, about, memory)
        elif starts[lead] == k and text[-1:] not in '.!?;,”"’)' and _HEADING_PERSON.match(text):
            who = about[k]
            # a person as a heading names them by role or first name ("Secretary Jo Lee on …"), not
            # a title-case heading ("AI Resources for Educators")
            named = who is not None and (who.roles & ROLE_WORDS or first_name_gender(who.names[0]))
            got = (who, "bullet-lead-in") if who is not None and named and len(who.names) >= 2 else None
        if got is None:
            continue
        speaker, rule = got
        items = [q for q in run if _quote_item(sentences[starts[q]])]
        voices = any(
            _LABELLED_BULLET.match(sentences[starts[q]])
            or any(
                (other := attrs[i].speaker) is not None and other.name != speaker.name
                for i in range(starts[q], ends[q])
            )
            for q in run
        )
        if voices:
            continue
        for q in items:
            i = starts[q]
            if attrs[i].speaker is None:
                attrs[i] = SentenceAttribution(speaker, How.QUOTE, rule)


_LABEL_RULES = frozenset({"label", "headed-label", "interview-label"})
_PERSONAL = words(
    "attribution.pronouns.first_person",
    "attribution.pronouns.second_person",
    "attribution.pronouns.first_person_objects",
)
_SPOKEN = re.compile(rf"\b(?:{'|'.join(sorted(_PERSONAL))}|my|our|your)\b", re.I)
# A transcript's note of the room in brackets, in lower case ("(Laughter.)", "(Applause)").
STAGE_DIRECTION = re.compile(r"^\s*\((?=[^)]*[a-z])[^)]{1,40}\)\.?\s*$")
_FURNITURE = re.compile(r"^\s*(?:[_*=•…. -]+|[^a-z]{2,60}|\([^)]{0,60}\)\.?)\s*$")


def _aside(sentence: str) -> tuple[bool, bool]:
    """Whether a sentence is a parenthesised aside ("(Ms Lind went on to describe the plan.)"), and
    whether its parenthesis is still open at its end ("(In her remarks, Ms Lind …"), so the aside
    runs on. A parenthesis that closes early ("((en)) Our plan …", "(1) We …") is no aside."""
    text = sentence.lstrip()
    if not text.startswith("("):
        return False, False
    depth = 0
    for k, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return not text[k + 1 :].strip(" .!?;:\"”’'"), False
    return True, True


def spread_labels(
    sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution], floor: set[int]
) -> None:
    """In a transcript, sentences after `Name: …` are Name's until the next label (a question
    from the floor, `Q: …`, is nobody's). A text is a transcript when labels open a good share of
    its paragraphs, a speaker's turn comes again, its labels are in transcript style ("PRESIDENT
    CASTRO:", "President of Russia Vladimir Putin:"), or it has questions from the floor; a column with
    a few "Name: …" section headings is not, and there a label holds for its own paragraph only."""
    shown = [a for a in attrs if a.how is How.LABEL and a.rule in _LABEL_RULES and a.speaker]
    named = [a.speaker.name for a in shown if a.speaker]
    n_paras = len(set(paragraphs)) or 1
    turns = len(named) > len(set(named))  # someone speaks again: a dialogue
    styled = any(a.mention.isupper() or (a.speaker and a.speaker.roles & ROLE_WORDS) for a in shown)
    # One label in transcript style opening its paragraph ("President of Norland Ines Holm: Good
    # afternoon, colleagues."): a speech's transcript, whose turn runs on over the paragraphs after it.
    at = [i for i, a in enumerate(attrs) if a.how is How.LABEL and a.rule in _LABEL_RULES and a.speaker]
    speech = (
        len(at) == 1
        and styled
        and (at[0] == 0 or paragraphs[at[0] - 1] != paragraphs[at[0]] or opens_section(sentences[at[0]]))
    )
    dialogue = len(named) >= 2 and (turns or styled or len(named) / n_paras >= 0.15)
    transcript = bool(floor) or speech or dialogue
    current: SentenceAttribution | None = None
    in_floor = spoken = False
    label_at = floor_at = 0
    para, open_aside = -1, False  # a parenthesis opened a sentence and is not closed yet
    for i, a in enumerate(attrs):
        if paragraphs[i] != para:
            para, open_aside = paragraphs[i], False
        whole, unclosed = _aside(sentences[i])
        aside = open_aside or whole
        open_aside = unclosed or (open_aside and ")" not in sentences[i])
        if i in floor:
            current, in_floor, floor_at = None, True, i
        elif a.how is How.LABEL:
            current, in_floor, label_at = a, False, i
            # "President Ines Holm: Good afternoon, colleagues. We meet …": a turn spoken in the first
            # or second person, so a later "I ask …" or "we must …" is still hers
            turn = [sentences[i][a.cue_span[1] :] if a.cue_span else sentences[i]]
            j = i + 1
            while j < len(sentences) and paragraphs[j] == paragraphs[i] and attrs[j].how is not How.LABEL:
                turn.append(sentences[j])
                j += 1
            spoken = any(_SPOKEN.search(t) for t in turn)
        elif in_floor and (a.speaker is None or paragraphs[i] == paragraphs[floor_at]):
            # the rest of a question from the floor: the reporter's, even "… in which he hinted …"
            floor.add(i)
        if i in floor or a.how is How.LABEL:
            continue
        if transcript and STAGE_DIRECTION.match(sentences[i]):
            continue  # "(Laughter.)", "(Applause.)": the room's, and the speaker's turn goes on
        if _FURNITURE.match(sentences[i]) or caption_line(sentences[i]):
            current = None  # "___", "(END VIDEO CLIP.)", a photo caption: the speaker's turn is over
            continue
        if transcript and aside and current is not None:
            continue  # "(In his remarks, the Secretary-General … These proposals …)": narration, not the turn
        if (
            current is not None
            # "I told him …" in a turn, or a clause misread as a speaker: the label's
            and (a.speaker is None or first_person(a) or (transcript and clause_subject(a, sentences[i])))
            and (transcript or paragraphs[i] == paragraphs[label_at] or (spoken and first_person(a)))
        ):
            attrs[i] = replace(current, rule="label-continued", mention="", mention_span=None, cue_span=None)
        elif current is not None and transcript and a.how is How.REPORTED:
            # "The Kiev authorities announced …", "You say that …" in a turn: the speaker's own words
            # about what others said; only a quotation in quote marks stays its author's
            attrs[i] = replace(current, rule="turn-report", mention="", mention_span=None, cue_span=None)


_VOCATIVE = re.compile(
    rf"^\s*(?:{alternation(words('attribution.address.vocatives'))})\b[^.!?,]{{0,60}}[,!]", re.I
)
ADDRESS_AFTER = 2  # paragraphs before the address within which its report may stand


def spread_address(sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution]) -> None:
    """An address after the report of it: "Vladimir Putin congratulated Russia's women on …" and then
    a paragraph "Dear women, …" that nobody is said to speak: the address is the reported speaker's,
    its unattributed sentences and its "I"/"we" to the end (a quotation inside stays its author's).
    Only the article's first such paragraph, within ADDRESS_AFTER paragraphs of a named report, and
    not in a transcript (an interviewer's "Good afternoon, ma'am" is theirs, whoever spoke before)."""
    if any(a.how is How.LABEL for a in attrs):
        return
    for i, sent in enumerate(sentences):
        opens = i == 0 or paragraphs[i - 1] != paragraphs[i]
        if (
            not opens
            or (attrs[i].speaker is not None and not first_person(attrs[i]))
            or not _VOCATIVE.match(sent)
        ):
            continue
        speaker = next(
            (
                who
                for j in range(i - 1, -1, -1)
                if paragraphs[i] - paragraphs[j] <= ADDRESS_AFTER
                and (who := attrs[j].speaker) is not None
                and who.names
                and attrs[j].how is How.REPORTED
            ),
            None,
        )
        if speaker is None:
            return
        for k in range(i, len(sentences)):
            if attrs[k].speaker is None or first_person(attrs[k]):
                attrs[k] = SentenceAttribution(speaker, How.CONTINUED, "address-after-report")
        return
