"""The rule-based attributor: the rule table per sentence, then who `he` and `the minister` are.

Runs once per article at index time, so "What did X say?" is a lookup of X's sentences. For
each sentence the first rule of `bot.attribution.rules.RULES` that matches gives a speaker
phrase; a name is taken as written (a surname alone becomes the fuller name seen earlier), a
pronoun is the nearest earlier person of its gender and number (never a place, a weekday or a
body), a role ("the minister") the latest person or body holding it. Quotes that run over
several sentences or paragraphs take the speaker of the sentence that attributes them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from bot.attribution.phrases import (
    CALENDAR,
    NOT_SPEAKERS,
    ORG_HEADS,
    PLACE_WORDS,
    ROLE_WORDS,
    first_name_gender,
    parse_phrase,
    participle,
    title_author,
)
from bot.attribution.phrases import places as known_places
from bot.attribution.quote_marks import open_after, quoted_spans, scan
from bot.attribution.records import How, SentenceAttribution, Speaker
from bot.attribution.rules import PHRASE, RULE_IDS, VERB_GROUP, Found, caption_line, first_match, is_quote
from bot.entities.lexicon import country_of, role_key, role_keys
from bot.lexicon import alternation, table, words
from bot.text import STOP_WORDS, fold

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ]"
_NAME_PART = r"(?:of\s+(?:the\s+)?|(?:(?:de|van|von|der|den|du|da|di|dos|bin|ibn)\s+){1,2})?"
# A run of capitalised words; after its first, a middle initial ("Joseph R. Biden") is part of it.
_NAME_RUN = re.compile(
    rf"((?:{_CAP}[\w’'-]+\.?\s+{_NAME_PART})(?:(?:{_CAP}[\w’'-]+\.?|{_CAP}\.)\s+{_NAME_PART}){{0,5}}"
    rf"{_CAP}[\w’'-]+|{_CAP}[\w’'-]+)"
)
# Calendar words that are never part of a person's name (months are: "Ines May", "June Holm").
_NEVER_NAMES = words(
    "calendar.words.weekdays",
    "calendar.words.weekday_abbreviations",
    "calendar.words.relative",
    "calendar.words.holidays",
)
_SHARED_SURNAME = re.compile(
    rf"\b(?P<a>{_CAP}[a-z]+)\s+and\s+(?P<b>{_CAP}[a-z]+)\s+(?P<last>{_CAP}[\w’'-]+)\b"
)
_LOCATIVES = frozenset("in at from to near across throughout into outside around".split())
_FUNCTION_WORDS = words("attribution.words.function_words")
_TITLE_TOPIC = words("attribution.words.title_topic")


def _name_run_end(ws: list[str]) -> int:
    """Where a run of capitalised words stops being a name: at a word of a title's topic written
    capitalised ("Vice President Harris During Tour", "PRESIDENT TRUMP AT THE WORLD …") or a
    capitalised participle ("Harris Highlighting …"). A name never holds one; only title case and
    capitals give it a capital."""
    for k, w in enumerate(ws):
        if k and w[:1].isupper() and (fold(w).strip(".,") in _TITLE_TOPIC or participle(w.strip(".,"))):
            return k
    return len(ws)


_GROUPS = words("attribution.words.groups")
_PLACE_HEADS = words("attribution.words.place_heads")
_HE_WORDS = re.compile(r"\b(?:he|his|him|himself)\b", re.I)
_SHE_WORDS = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_PLURAL = words("attribution.pronouns.plural")
_MASC = words("attribution.pronouns.masculine")
_FEM = words("attribution.pronouns.feminine")
_FIRST_PERSON = words("attribution.pronouns.first_person")
_SECOND_PERSON = words("attribution.pronouns.second_person")
# "Lind asked me …", "… told us that …", "wrote to me": a cue whose object is the one speaking.
_ME_OBJECT = re.compile(
    rf"^\s+(?:to\s+)?(?:{'|'.join(sorted(words('attribution.pronouns.first_person_objects')))})\b"
)
_CONTRACTION = re.compile(r"[’'](?:ve|m|d|ll|re|s)$")
_THING = words("attribution.pronouns.thing")
_THAT_LEAD = re.compile(r"^\s*(?:,\s*)?(?:that\s+)?")
_OPENING_SUBJECT = re.compile(rf"^(?:[^,“”\"]{{0,60}},\s+)?(?P<who>{PHRASE})\s+[a-z]")
# Roles that name someone by their relation to a person the text is about ("the wife of the President").
_RELATIONS = frozenset(
    "wife husband spouse son daughter father mother brother sister widow widower partner fiancee fiance "
    "grandson granddaughter grandfather grandmother uncle aunt nephew niece cousin".split()
)
_PRONOUNS = _PLURAL | _MASC | _FEM | _FIRST_PERSON | _THING
_COPULA = frozenset("is are was were be been".split())
_INDEFINITE = frozenset("a an one another some".split())
_DEFINITE = re.compile(r"^(?:the|The)\s")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


@cache
def _class_phrases() -> tuple[tuple[re.Pattern[str], tuple[frozenset[str], ...]], ...]:
    """A role phrase of several words ("head of state") → the one-word roles of its synonym class
    ({"president"}, {"commander"}…), so "the Head of State said" finds the president named earlier."""
    out = []
    for members in table("roles.classes").values():
        singles = tuple(frozenset({m}) for m in members if " " not in m and "-" not in m)
        for m in members:
            if " " in m and singles:
                out.append((re.compile(rf"\b{re.escape(m)}\b"), singles))
    return tuple(out)


#: People (and speakers) an article's memory holds, the most recently named: every look-up scans
#: them, so an unbounded memory makes a long text's cost grow with the square of its length (a
#: 200,000-sentence file of new names took minutes per 10,000 sentences). The longest news
#: articles name about 300 people; `he` or `the minister` never reaches back past 1,000 others.
MAX_REMEMBERED = 1000


class _Memory:
    """Who the article has named so far (the latest `MAX_REMEMBERED`), for resolving `he` and
    `the minister`."""

    def __init__(self) -> None:
        self.people: list[Speaker] = []  # mentioned (as speakers or in passing), most recent last
        self.speakers: list[Speaker] = []
        self.known: set[str] = set()  # name keys of everyone in `people`
        self.subject: Speaker | None = None
        self.title_people: list[Speaker] = []  # named in a release's title (bot.attribution.title_author)
        self.subject_age = 99  # sentences since `subject` was last the subject

    def note_mentions(self, sentence: str, upto: int | None = None, start: int = 0) -> None:
        """Remember people named in passing: two or more capitalised words ("Jonas Lind"), or one
        that is the surname of someone already named. A place ("in New Hampshire", "Iowa", "Wall
        Street"), a weekday, a group ("Senate Republicans"), a body, or a name inside a quotation
        (someone the speaker talks about) is not a person `he` may refer to."""
        text = sentence if upto is None else sentence[:upto]
        if start:
            text = " " * start + text[start:]  # the part before `start` was noted already
        for a, b in quoted_spans(text):
            text = text[:a] + " " * (b - a) + text[b:]
        known = self.known
        places = known_places()
        for m in _SHARED_SURNAME.finditer(text):  # "Peter and Maria Lind": two people
            before = text[: m.start()].split()[-1:]
            if before and before[0][:1].isupper() and fold(before[0]) not in _FUNCTION_WORDS:
                continue  # "Ines Holm and Carl Dahl": the first has a surname of their own
            firsts = (fold(m.group("a")), fold(m.group("b")))
            if not all(first_name_gender(f) for f in firsts) or firsts[0] in known:
                continue  # "Dahl and Maria Lind": a surname, not a first name
            for first in (m.group("a"), m.group("b")):
                ent = parse_phrase(f"{first} {m.group('last')}")
                if ent is not None and ent.gender and len(ent.names) == 2 and not ent.org:
                    self._push(self.people, ent)
                    known |= ent.keys
        for m in _NAME_RUN.finditer(text):
            start = m.start()
            ws = m.group(1).split()
            ws = ws[: _name_run_end(ws)]
            while ws and (
                fold(ws[0]).strip(".") in _FUNCTION_WORDS
                or fold(ws[0]) in _PRONOUNS
                or (len(ws) > 1 and fold(ws[0]) in STOP_WORDS)  # "Could Putin …", "Is Hamas …"
            ):
                start = text.index(ws[1], start + len(ws[0])) if len(ws) > 1 else start
                ws = ws[1:]
            while len(ws) > 1 and fold(ws[0]).strip(".,") in CALENDAR:  # "On Monday Dahl …"
                start = text.index(ws[1], start + len(ws[0]))
                ws = ws[1:]
            for k, w in enumerate(ws):  # "Trump's RT": the person is the possessor
                if w.endswith(("’s", "'s")):
                    ws = [*ws[:k], w[:-2]]
                    break
            if not ws:
                continue
            phrase = " ".join(ws)
            last = fold(ws[-1]).strip(".’'")
            if last in _GROUPS or last in _PLACE_HEADS:
                continue
            prev = text[max(0, start - 60) : start].split()[-4:]  # the words just before
            if prev and (prev[-1].lower() in _LOCATIVES or prev[-1] in ("the", "The")):
                continue  # "in New Hampshire", "the Horn of Africa": a place or a thing, not a person
            if fold(phrase) in places:
                continue
            k = len(prev)
            while k > 0 and fold(prev[k - 1]) in ROLE_WORDS:
                k -= 1
            if k < len(prev):  # "harbour master Carl Dahl": the roles stated with the name
                phrase = " ".join([*prev[k:], phrase])
            ent = parse_phrase(phrase)
            if not ent or not ent.names or ent.org or set(ent.names) & _NEVER_NAMES:
                continue  # "Ines May" is a person, "Dahl Tuesday" is not
            if fold(" ".join(ent.names)) in places:
                continue
            if len(ent.names) == 1:
                ent = next((t for t in self.title_people if ent.keys <= t.keys), ent)
            if len(ent.names) >= 2 or ent.roles or ent.keys <= known:
                self._push(self.people, ent)
                known |= ent.keys

    def note_title(self, mentioned: list[Speaker]) -> None:
        """People a release's title names besides its author (`_title_mentions`): not candidates for
        `he` by themselves, but a later "Bob" or "Dole" in the text is them, under their full name."""
        self.title_people = [e for e in mentioned if len(e.names) >= 2]
        for e in self.title_people:
            self.known |= e.keys

    def learn_gender(self, ent: Speaker, sentence: str, after: int) -> Speaker:
        """ "Smith said his plan …": a named speaker's own pronoun in the sentence tells their gender."""
        if ent.gender or not ent.names or ent.org:
            return ent
        rest = sentence[after:]
        for a, b in quoted_spans(rest):
            rest = rest[:a] + " " * (b - a) + rest[b:]
        masc, fem = bool(_HE_WORDS.search(rest)), bool(_SHE_WORDS.search(rest))
        if masc == fem:
            return ent
        return replace(ent, gender="m" if masc else "f")

    def note_speaker(self, ent: Speaker) -> None:
        self._push(self.speakers, ent)
        self._push(self.people, ent)
        self.known |= ent.keys

    @staticmethod
    def _push(stack: list[Speaker], ent: Speaker) -> None:
        for i, old in enumerate(stack):
            if ent.names and old.names and (ent.keys <= old.keys or old.keys <= ent.keys):
                # Same person named again: keep the fuller name, merge roles, move to top.
                best = old if len(old.names) >= len(ent.names) else ent
                stack.pop(i)
                stack.append(
                    Speaker(
                        best.name,
                        best.names,
                        old.roles | ent.roles,
                        best.org,
                        best.gender or old.gender or ent.gender,
                    )
                )
                return
        stack.append(ent)
        if len(stack) > MAX_REMEMBERED:
            del stack[0]  # the one named longest ago

    def full(self, ent: Speaker) -> Speaker:
        """A surname alone as the fuller name seen earlier ("Clinton" → "Hillary Clinton"). Of several
        people of that surname, one who has spoken before the others who were only named: "Mayor
        Jonas Berg said …; his daughter Lena Berg attended. Berg wrote …" is the Berg who spoke, not
        the one named last; a role given with the surname ("President Berg") picks the Berg holding it."""
        if len(ent.names) == 1 and not ent.org:
            spoke = {old.name for old in self.speakers}
            fits = [
                old
                for old in reversed(self.people)
                if ent.keys <= old.keys
                and not old.org
                and not (ent.gender and old.gender and ent.gender != old.gender)  # "Mr. Lind" ≠ Maria Lind
            ]
            # "President Lind" is the Lind who holds that role, not the First Lady Lind who spoke last
            same_role = [o for o in fits if ent.roles & ROLE_WORDS & o.roles]
            fits = same_role or fits
            old = next((o for o in fits if o.name in spoke), fits[0] if fits else None)
            if old is not None:
                return Speaker(old.name, old.names, old.roles | ent.roles, old.org, old.gender or ent.gender)
        return ent

    def note_subject(self, sentence: str, speaker: Speaker | None, clause: str = "") -> None:
        """Who the sentence is about: the person it opens with ("Bob led …"), the same one again
        when it opens with `he`/`she`, else its named speaker; when a body speaks ("network NTV
        reported that Prince Karl … admitted …"), the person its reported clause opens with.
        Read at the next `he said`."""
        if speaker is not None and speaker.org and clause:
            self.note_subject(_THAT_LEAD.sub("", clause), None)
            if self.subject_age == 0:
                return
            self.subject_age -= 1  # undo the miss: the sentence is counted once, below
        m = _OPENING_SUBJECT.match(sentence)
        if m:
            first = fold(m.group("who").split()[0])
            if first in _MASC or first in _FEM:
                self.subject_age = 0  # "he" goes on about the same person
                return
            ent = parse_phrase(m.group("who"))
            if ent is not None and ent.names and not ent.org:
                ent = self.full(ent)
                if any(ent.keys <= p.keys for p in self.people):
                    self.subject, self.subject_age = ent, 0
                    return
        if speaker is not None and speaker.names and not speaker.org:
            self.subject, self.subject_age = speaker, 0
            return
        self.subject_age += 1

    def resolve_pronoun(self, gender: str | None) -> Speaker | None:
        """`he said`: the person the last sentences were about, if of that gender; else the person
        of that gender named most recently, as a speaker or in passing."""
        subj = self.subject
        if subj is not None and self.subject_age <= 1 and (gender is None or subj.gender in (None, gender)):
            for ent in reversed(self.people):
                if ent.keys == subj.keys:
                    return ent
        for ent in reversed(self.people):
            if ent.org or not ent.names:
                continue
            if gender is None or ent.gender in (None, gender):
                return ent
        return None

    def resolve_role(self, roles: frozenset[str], phrase: str = "") -> Speaker | None:
        """`the minister` → the latest body or person with that role; else nobody in particular.

        Roles are compared as keys (`role_keys`), so "the President of the French Republic"
        is the "French President" named earlier; a role of another country is someone else."""
        head = roles & (ROLE_WORDS | ORG_HEADS)
        if head & ROLE_WORDS:  # "the EU Trade Representative": a person's role, not a body's
            head -= ORG_HEADS - ROLE_WORDS
        known = list(reversed(self.speakers + self.people))
        folded = fold(phrase)
        # "the Head of State": a role phrase of its synonym class's one-word roles ("president").
        synonyms = [w for pat, singles in _class_phrases() if pat.search(folded) for w in singles]
        wanted_keys = role_keys(roles)
        places = {k for k in wanted_keys if k.startswith("country:")}
        # "the President of France": first someone with every word of it, then any president
        # (of that country, when the phrase names one and so does the person).
        # "the French leader": whoever leads, of that country (a president, a prime minister …)
        led = wanted_keys - {_LEADER} if places and wanted_keys - places == {_LEADER} else frozenset()
        for wanted, keyed in (
            (roles - {"the", "of", "and", "a", "an"}, False),
            (wanted_keys, True),
            (led, True),
            *((syn, False) for syn in synonyms),
            (head - {"former", "senior", "state", "first"}, False),
        ):
            for ent in known:
                if not wanted or not ent.names:
                    continue
                have = ent.roles | set(ent.names)
                if keyed:
                    have = role_keys(have)
                if not wanted <= have or (wanted is led and not ent.roles & ROLE_WORDS):
                    continue
                theirs = {k for k in role_keys(ent.roles) if k.startswith("country:")}
                if places and theirs and not places & theirs:
                    continue  # "the French President" is not the German one named last
                return ent
        return None

    def holder(self, roles: frozenset[str]) -> Speaker | None:
        """The person named so far whose roles hold every key of `roles` ("President of the Russian
        Federation" → the "President of Russia Vladimir Putin" of a label), latest first."""
        wanted = role_keys(roles)
        for ent in reversed(self.speakers + self.people):
            if ent.names and not ent.org and not _role_only(ent) and wanted <= role_keys(ent.roles):
                return ent
        return None


def _title_mentions(title: str) -> list[Speaker]:
    """The people and bodies a title names, read as a sentence's mentions are (read once per article,
    for `note_title` and `_title_holders`)."""
    probe = _Memory()
    probe.note_mentions(title)
    return probe.people


def _title_holders(mentioned: list[Speaker]) -> list[Speaker]:
    """The people a title names with a role ("Remarks by President Biden and Vice President Harris").

    A title capitalises every word, so a name run there runs on ("President Biden During Keynote
    Address"): the holder's name is a known first name and the word after it, or else one word."""
    out = []
    for e in mentioned:
        if not e.names or e.org or not e.roles & ROLE_WORDS:
            continue
        keep = 2 if len(e.names) >= 2 and first_name_gender(e.names[0]) else 1
        words = e.name.split()
        start = next((i for i, w in enumerate(words) if fold(w).strip(".,") == e.names[0]), 0)
        shown = [w for w in words[start:] if not re.fullmatch(r"[A-Z]\.", w)]
        keep = max(1, min(keep, _name_run_end(shown)))  # "Vice President Harris During Tour …"
        shown = shown[:keep]
        out.append(Speaker(" ".join(shown), e.names[:keep], e.roles, gender=e.gender))
    return out


def _countries(roles: frozenset[str]) -> frozenset[str]:
    """The country keys among a role's keys ("Russian President" → country:RU)."""
    return frozenset(k for k in role_keys(roles) if k.startswith("country:"))


def _role_only(ent: Speaker) -> bool:
    """A phrase that is a person's role, parsed as a body's name for its head word ("Head of the
    Mayor's Office", "President of the French Republic"): no word of it is a name."""
    if not ent.names or not set(ent.names) <= ent.roles or ent.names[0] not in ROLE_WORDS:
        return False
    return bool(ent.roles & ROLE_WORDS - ORG_HEADS) and not country_of(" ".join(ent.names))  # "White House"


_LEADER = role_key("leader")


_COUNTRY_FIRST = re.compile(r"^(\S+)\s+")


def _drop_country(m: re.Match[str]) -> str:
    """ "french head of state" → "head of state": a leading country word says whose role."""
    return "" if country_of(m.group(1)) else m.group(0)


_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
_AND_NAMES = re.compile(rf"^(?P<a>.*{_CAP}[\w’'-]+)\s+(?:and|&)\s+(?P<b>.*{_CAP}[\w’'-]+)$")


def _two_people(phrase: str) -> bool:
    """A subject that joins two named people ("Zelenskyy and Chancellor Karl Nehammer")."""
    m = _AND_NAMES.match(phrase)
    if not m:
        return False
    return all(_party(m.group(g)) for g in ("a", "b"))


def _party(phrase: str) -> bool:
    """One of two joined subjects: a named person, a role's plural ("the Ambassadors"), or a body
    written with "the" ("the Germans")."""
    e = parse_phrase(phrase)
    if e is None:
        return False
    return bool((e.names and not e.org) or _plural_role(e.roles) or (e.org and _DEFINITE.match(phrase)))


_PAIR_BEFORE = re.compile(rf"(?:^|,\s+)(?P<a>{PHRASE})\s+(?:and|&)\s+$")


def _plural_role(roles: frozenset[str]) -> bool:
    """ "the ambassadors", "the Presidents": a role's plural, several people."""
    return any(w.endswith("s") and w[:-1] in ROLE_WORDS for w in roles)


def _pair_subject(sentence: str, found: Found) -> Found | None:
    """A speaker phrase that is the second of two joined subjects ("Mr. Lind and his counterparts
    discussed", "The Mayor and the Governor agreed"): the whole pair, else None."""
    start, end = found.who_span
    m = _PAIR_BEFORE.search(sentence[:start])
    if not m or sentence[: m.start("a")].count(",") > 1:
        return None
    a, b = parse_phrase(m.group("a")), parse_phrase(found.who)
    if a is None or b is None or not (a.names or a.roles & ROLE_WORDS or _plural_role(a.roles)):
        return None
    if (a.org and not _DEFINITE.match(m.group("a"))) or (b.org and not _DEFINITE.match(found.who)):
        return None  # "Russia and …": a body of its own; "the French and the Germans": the pair
    if fold(m.group("a").split()[0]) in _PRONOUNS or fold(found.who.split()[0]) in _THING:
        return None
    return replace(found, who=sentence[m.start("a") : end], who_span=(m.start("a"), end))


def _pronoun_word(phrase: str) -> str:
    """A speaker phrase's first word, folded, without a contraction ("I've" → "i")."""
    ws = phrase.split()
    return _CONTRACTION.sub("", fold(ws[0])) if ws else ""


# `Jo Lee of the University of Iowa, Ames disagreed`: a person "of" a body whose name has a comma.
_PERSON_OF_BODY = re.compile(
    rf"(?:^|(?<=[,;:—–]\s))(?P<person>{_CAP}[\w.’'-]*(?:\s+{_CAP}[\w.’'-]*){{1,4}})\s+of\s+(?:the\s+)?"
    rf"{_CAP}[\w’'-]+(?:\s+(?:of\s+|and\s+)?{_CAP}[\w’'-]+){{0,5}},\s+$"
)


def _person_of_body(sentence: str, found: Found) -> Found:
    """A speaker phrase read after the comma inside a body's name ("…, Ames") is the place the body
    is in; the speaker is the person named before it, "of" the body."""
    start, end = found.who_span
    m = _PERSON_OF_BODY.search(sentence[:start])
    if not m or len(found.who.split()) > 3:
        return found
    ent = parse_phrase(m.group("person"))
    if ent is None or len(ent.names) < 2 or ent.org or ent.roles:
        return found
    return replace(found, who=sentence[m.start() : end], who_span=(m.start(), end))


def _message_author(
    phrase: str, memory: _Memory, out: list[SentenceAttribution], paragraphs: list[int], k: int
) -> Speaker | None:
    """Who wrote the message a sentence quotes ("The message reads, in part: …"): "his letter" is the
    person `his` is; "the message" is the latest named speaker of the two sentences before (same or
    previous paragraph: "Ana Kovac posted a message …"), else the one the sentence before is about
    ("Vladimir Putin sent greetings …"). Nobody named there: nobody (never "The message")."""
    first = fold(phrase.split()[0])
    if first in _MASC or first in _FEM or first in _PLURAL:
        ent = RuleAttributor._resolve(first, memory)
        return ent if ent is not None and ent.names else None
    for j in range(k - 1, max(-1, k - 3), -1):
        sp = out[j].speaker
        if paragraphs[k] - paragraphs[j] > 1:
            break
        if sp is not None and sp.names:
            return sp
    subj = memory.subject
    if subj is not None and memory.subject_age <= 1:
        return next((e for e in reversed(memory.people) if e.keys == subj.keys), subj)
    return None


def _told_me(sentence: str, found: Found) -> bool:
    """A reported cue whose object is the one speaking ("Lind asked me for a meeting", "they told us
    that …"): the subject is the one spoken of, not the sentence's speaker. A quotation they are
    given ("“…,” Lind told me", "Lind told me: “…”") stays theirs."""
    if found.how is not How.REPORTED or found.cue_span is None or found.who_span[0] >= found.cue_span[0]:
        return False
    return _ME_OBJECT.match(sentence[found.cue_span[1] :]) is not None


def _first_person(a: SentenceAttribution) -> bool:
    return a.speaker is not None and not a.speaker.names and _pronoun_word(a.mention) in _FIRST_PERSON


def _clause_subject(a: SentenceAttribution, sentence: str) -> bool:
    """A "speaker" that is a clause ("The matter is very serious and needs to be (discussed)", the
    rules' phrase cut before its "is"): in a speaker's turn or a release, the sentence is theirs
    like any other."""
    if a.speaker is None or a.speaker.names:
        return False
    if _COPULA & set(fold(a.mention).split()):
        return True
    after = sentence[a.mention_span[1] :].split()[:1] if a.mention_span else []
    return bool(after) and fold(after[0]) in _COPULA


def _person_role(roles: frozenset[str]) -> bool:
    return bool(roles & ROLE_WORDS) and not roles & ORG_HEADS


def _gender_of_pronoun(word: str) -> str | None:
    return "m" if word in _MASC else "f" if word in _FEM else None


class RuleAttributor:
    """Attribution by the ordered rule table (`bot.attribution.rules.RULES`)."""

    name = "rules"
    version = 45
    #: Rule ids an attribution can carry: the table's, then the spreading steps' ("" = none).
    rule_ids: tuple[str, ...] = (
        "",
        *RULE_IDS,
        "first-person-object",
        "message-text",
        "quote-before-attribution",
        "quote-continued",
        "quote-attributed-later",
        "quote-after-report",
        "label-continued",
        "release-title",
        "cue-line",
        "bullet-lead-in",
        "bullet-occasion",
    )

    def attribute(
        self, sentences: list[str], paragraphs: list[int], title: str = ""
    ) -> list[SentenceAttribution]:
        """One `SentenceAttribution` per sentence of an article (speaker None where nobody speaks).

        Sentences of a release titled "Statement by X …" that nobody else is said to speak are X's
        (how = statement); in a transcript, a speaker label holds until the next label.
        """
        memory = _Memory()
        author = title_author(title) if title else None
        mentioned = _title_mentions(title) if title else []
        if author is not None:
            memory.note_speaker(author)
            memory.note_title(mentioned)  # "Statement … on the Passing of Senator Bob Dole": whom it is about
        out: list[SentenceAttribution] = []
        floor: set[int] = set()
        labels: dict[str, Speaker] = {}  # a transcript label's text → whom it names in this article
        holders = _title_holders(mentioned)
        about: list[Speaker | None] = []  # the person each sentence is about (`_spread_bullets`)
        prev_para = -1
        for k, (sent, para) in enumerate(zip(sentences, paragraphs, strict=True)):
            para_start = para != prev_para
            prev_para = para
            hit = first_match(sent, para_start)
            attr = SentenceAttribution()
            noted = 0
            if hit is not None:
                rule, found = hit
                found = _person_of_body(sent, found)
                if found.how is None:
                    floor.add(k)
                    attr = SentenceAttribution(rule=rule.id, mention=found.who, mention_span=found.who_span)
                elif _told_me(sent, found):
                    # "Lind asked me to stay": Lind is spoken of; the sentence is the one saying "me"
                    # (the quotation, transcript turn or release it is in), given by the steps below.
                    attr = SentenceAttribution(
                        rule="first-person-object", mention=found.who, mention_span=found.who_span
                    )
                else:
                    pair = _pair_subject(sent, found)
                    found = pair or found
                    memory.note_mentions(sent, found.who_span[0])
                    noted = found.who_span[0]
                    # "The President and the Governor agreed": the two of them, neither alone
                    if pair:
                        ent: Speaker | None = Speaker(name=found.who, names=())
                    elif rule.id in ("label", "interview-label"):
                        ent = self._label_speaker(found.who, memory, labels, holders)
                    elif rule.id == "message-reads":
                        ent = _message_author(found.who, memory, out, paragraphs, k)
                    else:
                        ent = self._resolve(found.who, memory)
                    if ent is not None and ent.names and fold(found.who.split()[0]) not in _PRONOUNS:
                        ent = memory.learn_gender(ent, sent, found.who_span[1])
                        if len(found.who.split()) > 6:
                            noted = found.who_span[1]  # a long role's words are no second person
                    if ent is not None:
                        attr = SentenceAttribution(
                            ent, found.how, rule.id, found.who, found.who_span, found.cue_span
                        )
            memory.note_mentions(sent, start=noted)
            if attr.speaker is not None:
                memory.note_speaker(attr.speaker)
            memory.note_subject(sent, attr.speaker, sent[attr.cue_span[1] :] if attr.cue_span else "")
            about.append(memory.subject if memory.subject_age == 0 else None)
            out.append(attr)
        _move_cue_lines(sentences, paragraphs, out)
        _move_message_lines(sentences, paragraphs, out)
        open_quote = open_after(sentences, paragraphs)  # which sentences lie inside a quotation
        _move_signatures(sentences, paragraphs, out, open_quote)
        _spread_bullets(sentences, paragraphs, out, about, memory)
        _spread_quotes(sentences, paragraphs, out, open_quote)
        _spread_labels(sentences, paragraphs, out, floor)
        if author is not None and _role_only(author):
            # "Address by the President of the French Republic": the person the text names so
            author = memory.holder(author.roles) or author
        for i, a in enumerate(out):
            if i in floor:  # a question from the floor: nobody's, not even the release's author
                out[i] = SentenceAttribution()
            elif (
                author is not None
                and (a.speaker is None or _first_person(a) or _clause_subject(a, sentences[i]))
                and not _STAGE_DIRECTION.match(sentences[i])  # "(Applause.)": the room's, not the author's
            ):
                # a release's unattributed sentences, and its "we urge …", are its author's
                out[i] = SentenceAttribution(author, How.STATEMENT, "release-title")
        return out

    @classmethod
    def _label_speaker(
        cls, label: str, memory: _Memory, labels: dict[str, Speaker], holders: list[Speaker]
    ) -> Speaker | None:
        """Whom a transcript label names. One label is one person throughout its article, so a role
        label ("THE PRESIDENT:") is bound once: to the holder of that role the title names ("Remarks
        by President Biden …"), else as any role phrase — never re-read as whichever president the
        speaker mentioned last ("I spoke with President Xi")."""
        key = fold(label)
        if key in labels:
            return labels[key]
        role = parse_phrase(label)
        ent: Speaker | None = None
        if role is not None and not role.names and role.roles:
            want = role_keys(role.roles) - _countries(role.roles)
            same = {e.names: e for e in holders if role_keys(e.roles) - _countries(e.roles) == want}
            if len(same) == 1:  # as the title names them: "Biden" is not the "Jill Biden" named too
                ent = next(iter(same.values()))
        if ent is None:
            ent = cls._resolve(label, memory)
        if ent is not None:
            labels[key] = ent  # unnamed too: a later label is not whoever was named in between
        return ent

    @staticmethod
    def _resolve(phrase: str, memory: _Memory) -> Speaker | None:
        """The person or body a speaker phrase means; an unnamed `Speaker` (no name words) for a
        source the article does not name ("the newspaper", "a spokesman", an unresolved "he")."""
        phrase = phrase.strip()
        if not phrase:
            return None
        phrase = _OBJECT_PRONOUNS.get(fold(phrase), phrase)  # "according to him": he
        first = _pronoun_word(phrase)  # "I've": I
        unnamed = Speaker(name=phrase, names=())
        if _two_people(phrase):  # "President X and Chancellor Y discussed": the pair, not the last named
            return unnamed
        if first in _THING:
            return None
        if first in _FIRST_PERSON or first in _SECOND_PERSON:
            return unnamed  # "I", "we", "you": whoever is speaking or spoken to, named elsewhere
        if first in _PLURAL:  # a body ("the ministry … they said"), never one person
            return next((e for e in reversed(memory.speakers[-3:]) if e.org), unnamed)
        if first in _MASC or first in _FEM:
            return memory.resolve_pronoun(_gender_of_pronoun(first)) or unnamed
        if fold(phrase.split()[-1]).strip(".’'") in _GROUPS or first in _GROUPS:
            return unnamed  # "Senate Republicans", "24 percent", "many": a group, nobody in particular
        bare = _LEADING_ARTICLE.sub("", fold(phrase))
        role = _COUNTRY_FIRST.sub(_drop_country, bare)
        if any(pat.fullmatch(role) for pat, _ in _class_phrases()):
            # "the (French) Head of State", "the Prime Minister": a role phrase, never a body's
            # name; its holder (of that country) named earlier
            return memory.resolve_role(frozenset(bare.split()), phrase) or Speaker(
                name=phrase, names=(), roles=frozenset({bare})
            )
        ws = phrase.split()
        if first in _INDEFINITE and len(ws) > 2 and ws[1] == "of":
            return unnamed  # "One of the children", "Some of the officials": nobody named
        ent = parse_phrase(phrase)
        if ent is None:
            return unnamed if first not in NOT_SPEAKERS else None
        if not ent.names and first in _INDEFINITE:
            return ent  # "a Lind campaign veteran", "one adviser": someone new, not a person named before
        if not ent.names and ent.roles and ent.roles <= PLACE_WORDS:
            # "The US has been encouraging …": the country itself, never a person whose role names it
            name = re.sub(r"^[Tt]he\s+", "", phrase.strip())
            return Speaker(name=name, names=tuple(fold(w) for w in name.split()), roles=ent.roles, org=True)
        if not ent.names:
            found = memory.resolve_role(ent.roles, phrase)
            plural = _plural_role(ent.roles)
            if found is None and _DEFINITE.match(phrase) and ent.roles & _RELATIONS and not plural:
                # "the wife of the President said": someone the article is about, unnamed here; the
                # person who spoke last is the best guess, a plural ("the officials") is nobody.
                found = next(
                    (
                        e
                        for e in reversed(memory.speakers)
                        if e.names and not e.org and (ent.gender is None or e.gender in (None, ent.gender))
                    ),
                    None,
                )  # "the mother said" is not the judge who spoke last; the woman named before, if any
                if found is None and ent.gender is not None:
                    women_or_men = (e for e in reversed(memory.people) if e.gender == ent.gender)
                    found = next((e for e in women_or_men if e.names and not e.org), None)
            return found or ent
        if ent.org and _role_only(ent):  # "the Head of the Mayor's Office said": its holder
            return memory.holder(ent.roles) or ent
        return memory.full(ent)


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
    if not head.endswith((",", ":")) or not head[:1].isupper() or fold(head.split()[0]) in _PRONOUNS:
        return False
    ends = [m.end() for m in VERB_GROUP.finditer(head)]
    return bool(ends) and not head[ends[-1] :].strip(" ,:")  # the last verb is the quote's cue


def _opens(sentence: str) -> bool:
    return sentence.lstrip()[:1] in '“"' or sentence.lstrip().startswith("''")


def _spread_quotes(
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
    return bool(sp.names or sp.roles & (ROLE_WORDS | ORG_HEADS) or first in _PRONOUNS)


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


def _move_cue_lines(sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution]) -> None:
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


def _move_message_lines(
    sentences: list[str], paragraphs: list[int], attrs: list[SentenceAttribution]
) -> None:
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


def _move_signatures(
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
_HEADING_PERSON = re.compile(rf"^(?P<who>{PHRASE})(?:\s+on\s+{_CAP}[^.!?:;,“”\"]*)?$")
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
    memory: _Memory,
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
    m = _OPENING_SUBJECT.match(sent)
    if m and _JOINED.search(m.group("who")):
        return None  # "Jo Lee and Carl Dahl gave an update:": whose each item is, it does not say
    subject = about[k]
    if subject is not None:
        return subject, "bullet-lead-in"
    ent = parse_phrase(m.group("who")) if m else None
    if (ent is not None and ent.org and ent.names) or any(p.names for p in _title_mentions(sent)):
        return None  # it names someone, not one person whose words these are
    before = [j for j in range(k - 1, -1, -1) if paragraphs[j] == paragraphs[k]]
    if not before and k > 0:
        before = [j for j in range(k - 1, -1, -1) if paragraphs[j] == paragraphs[k - 1]]
        last = before[-1]
        if last > 0 and not any(
            about[j] or attrs[j].speaker or _title_mentions(sentences[j]) for j in before
        ):
            # "Click here to watch the full interview": a link line naming nobody; the paragraph before it
            before += [j for j in range(last - 1, -1, -1) if paragraphs[j] == paragraphs[last - 1]]
    if any((o := _OPENING_SUBJECT.match(sentences[j])) and _JOINED.search(o.group("who")) for j in before):
        return None  # "Jo Lee and Carl Dahl gave an interview.": two people
    people = [
        p for j in before for p in (about[j], attrs[j].speaker) if p is not None and p.names and not p.org
    ]
    if not people:  # "After a long clause, President Lind sat down for an interview …": the people it names
        named = (p for j in before for p in _title_mentions(sentences[j]))
        people = [memory.full(p) for p in named if p.names and not p.org]
    one = _one_person(people)
    text = " ".join([*(sentences[j] for j in before), sent])
    if one is None or not _OCCASIONS.search(text):
        return None
    return one, "bullet-occasion"


def _spread_bullets(
    sentences: list[str],
    paragraphs: list[int],
    attrs: list[SentenceAttribution],
    about: list[Speaker | None],
    memory: _Memory,
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
_STAGE_DIRECTION = re.compile(r"^\s*\((?=[^)]*[a-z])[^)]{1,40}\)\.?\s*$")
_FURNITURE = re.compile(r"^\s*(?:[_*=•…. -]+|[^a-z]{2,60}|\([^)]{0,60}\)\.?)\s*$")


def _spread_labels(
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
    speech = len(at) == 1 and styled and (at[0] == 0 or paragraphs[at[0] - 1] != paragraphs[at[0]])
    dialogue = len(named) >= 2 and (turns or styled or len(named) / n_paras >= 0.15)
    transcript = bool(floor) or speech or dialogue
    current: SentenceAttribution | None = None
    in_floor = spoken = False
    label_at = floor_at = 0
    for i, a in enumerate(attrs):
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
        if transcript and _STAGE_DIRECTION.match(sentences[i]):
            continue  # "(Laughter.)", "(Applause.)": the room's, and the speaker's turn goes on
        if _FURNITURE.match(sentences[i]) or caption_line(sentences[i]):
            current = None  # "___", "(END VIDEO CLIP.)", a photo caption: the speaker's turn is over
            continue
        if (
            current is not None
            # "I told him …" in a turn, or a clause misread as a speaker: the label's
            and (a.speaker is None or _first_person(a) or (transcript and _clause_subject(a, sentences[i])))
            and (transcript or paragraphs[i] == paragraphs[label_at] or (spoken and _first_person(a)))
        ):
            attrs[i] = replace(current, rule="label-continued", mention="", mention_span=None, cue_span=None)
