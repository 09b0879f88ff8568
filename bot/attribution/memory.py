"""What the attributor remembers while it reads an article, and how it reads a mention.

`he`, `the minister` and a bare surname are resolved against the people the article named before
(most recent first), so the memory keeps them with their roles and genders; the pronoun and
role word sets it needs are the lexicon's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from bot.attribution.phrases import (
    CALENDAR,
    ORG_HEADS,
    ROLE_WORDS,
    first_name_gender,
    parse_phrase,
    participle,
)
from bot.attribution.phrases import places as known_places
from bot.attribution.quote_marks import quoted_spans
from bot.attribution.records import SentenceAttribution, Speaker
from bot.attribution.rules import PHRASE
from bot.entities.lexicon import country_of, role_key, role_keys
from bot.lexicon import table, words
from bot.text import STOP_WORDS, fold

CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ]"
_NAME_PART = r"(?:of\s+(?:the\s+)?|(?:(?:de|van|von|der|den|du|da|di|dos|bin|ibn)\s+){1,2})?"
# A run of capitalised words; after its first, a middle initial ("Joseph R. Biden") is part of it.
_NAME_RUN = re.compile(
    rf"((?:{CAP}[\w’'-]+\.?\s+{_NAME_PART})(?:(?:{CAP}[\w’'-]+\.?|{CAP}\.)\s+{_NAME_PART}){{0,5}}"
    rf"{CAP}[\w’'-]+|{CAP}[\w’'-]+)"
)
# Calendar words that are never part of a person's name (months are: "Ines May", "June Holm").
_NEVER_NAMES = words(
    "calendar.words.weekdays",
    "calendar.words.weekday_abbreviations",
    "calendar.words.relative",
    "calendar.words.holidays",
)
_SHARED_SURNAME = re.compile(rf"\b(?P<a>{CAP}[a-z]+)\s+and\s+(?P<b>{CAP}[a-z]+)\s+(?P<last>{CAP}[\w’'-]+)\b")
_LOCATIVES = frozenset("in at from to near across throughout into outside around".split())
_ROLE_JOINERS = frozenset({"to", "the", "of"})  # "Adviser to the Head of …"
_FUNCTION_WORDS = words("attribution.words.function_words")
_TITLE_TOPIC = words("attribution.words.title_topic")


def name_run_end(ws: list[str]) -> int:
    """Where a run of capitalised words stops being a name: at a word of a title's topic written
    capitalised ("Vice President Harris During Tour", "PRESIDENT TRUMP AT THE WORLD …") or a
    capitalised participle ("Harris Highlighting …"). A name never holds one; only title case and
    capitals give it a capital."""
    for k, w in enumerate(ws):
        if k and w[:1].isupper() and (fold(w).strip(".,") in _TITLE_TOPIC or participle(w.strip(".,"))):
            return k
    return len(ws)


GROUPS = words("attribution.words.groups")
_PLACE_HEADS = words("attribution.words.place_heads")
_HE_WORDS = re.compile(r"\b(?:he|his|him|himself)\b", re.I)
_SHE_WORDS = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
PLURAL = words("attribution.pronouns.plural")
MASC = words("attribution.pronouns.masculine")
FEM = words("attribution.pronouns.feminine")
FIRST_PERSON = words("attribution.pronouns.first_person")
SECOND_PERSON = words("attribution.pronouns.second_person")
# "Lind asked me …", "… told us that …", "wrote to me": a cue whose object is the one speaking.
ME_OBJECT = re.compile(
    rf"^\s+(?:to\s+)?(?:{'|'.join(sorted(words('attribution.pronouns.first_person_objects')))})\b"
)
_CONTRACTION = re.compile(r"[’'](?:ve|m|d|ll|re|s)$")
THING = words("attribution.pronouns.thing")
_THAT_LEAD = re.compile(r"^\s*(?:,\s*)?(?:that\s+)?")
OPENING_SUBJECT = re.compile(rf"^(?:[^,“”\"]{{0,60}},\s+)?(?P<who>{PHRASE})\s+[a-z]")
# Roles that name someone by their relation to a person the text is about ("the wife of the President").
RELATIONS = frozenset(
    "wife husband spouse son daughter father mother brother sister widow widower partner fiancee fiance "
    "grandson granddaughter grandfather grandmother uncle aunt nephew niece cousin".split()
)
PRONOUNS = PLURAL | MASC | FEM | FIRST_PERSON | THING
_COPULA = frozenset("is are was were be been".split())
INDEFINITE = frozenset("a an one another some".split())
DEFINITE = re.compile(r"^(?:the|The)\s")
LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


@cache
def class_phrases() -> tuple[tuple[re.Pattern[str], tuple[frozenset[str], ...]], ...]:
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


class Memory:
    """Who the article has named so far (the latest `MAX_REMEMBERED`), for resolving `he` and
    `the minister`."""

    def __init__(self) -> None:
        self.people: list[Speaker] = []  # mentioned (as speakers or in passing), most recent last
        self.speakers: list[Speaker] = []
        self.known: set[str] = set()  # name keys of everyone in `people`
        self.subject: Speaker | None = None
        self.title_people: list[Speaker] = []  # named in a release's title (bot.attribution.title_author)
        self.subject_age = 99  # sentences since `subject` was last the subject
        self.headline: Speaker | None = None  # the person the title quotes ("Ola Lind: We will …")

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
            ws = ws[: name_run_end(ws)]
            while ws and (
                fold(ws[0]).strip(".") in _FUNCTION_WORDS
                or fold(ws[0]) in PRONOUNS
                or (len(ws) > 1 and fold(ws[0]) in STOP_WORDS)  # "Could Putin …", "Is Hamas …"
            ):
                start = text.index(ws[1], start + len(ws[0])) if len(ws) > 1 else start
                ws = ws[1:]
            while len(ws) > 1 and fold(ws[0]).strip(".,") in CALENDAR:  # "On Monday Dahl …"
                start = text.index(ws[1], start + len(ws[0]))
                ws = ws[1:]
            for k, w in enumerate(ws):  # "Trump's RT": the person is the possessor
                if (
                    w.endswith(("’s", "'s")) and fold(w[:-2]) not in ROLE_WORDS
                ):  # not "the Mayor's Office Ola Lind"
                    ws = [*ws[:k], w[:-2]]
                    break
            if not ws:
                continue
            phrase = " ".join(ws)
            last = fold(ws[-1]).strip(".’'")
            if last in GROUPS or last in _PLACE_HEADS:
                continue
            prev = text[max(0, start - 60) : start].split()[-4:]  # the words just before
            # "harbour master Carl Dahl", "Adviser to the Head of the Port Office Ola Lind": the roles
            # stated before the name, over the words joining them
            k = j = len(prev)
            while j > 0 and (fold(prev[j - 1]) in ROLE_WORDS or fold(prev[j - 1]) in _ROLE_JOINERS):
                j -= 1
                if fold(prev[j]) in ROLE_WORDS:
                    k = j
            role_led = (k < len(prev) or fold(ws[0]) in ROLE_WORDS) and any(
                first_name_gender(fold(w)) for w in ws
            )
            if prev and (prev[-1].lower() in _LOCATIVES or prev[-1] in ("the", "The")) and not role_led:
                continue  # "in New Hampshire", "the Horn of Africa": a place or a thing, not a person
            if fold(phrase) in places:
                continue
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
        """People a release's title names besides its author (`title_mentions`): not candidates for
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
        m = OPENING_SUBJECT.match(sentence)
        if m:
            first = fold(m.group("who").split()[0])
            if first in MASC or first in FEM:
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

    def recent_speaker(self, roles: frozenset[str]) -> Speaker | None:
        """The named person who spoke in the last sentence and is still what the article is about
        ("Jo Lee noted that … "…," the adviser to the board said"), unless stated to hold an office
        `roles` lacks (a president is no adviser); else None: someone merely met or mentioned is no
        speaker a description may stand for."""
        subj = self.subject
        if subj is None or self.subject_age > 1 or not subj.names or subj.org or not self.speakers:
            return None
        ent = self.speakers[-1]
        if ent.keys != subj.keys or (ent.roles & ROLE_WORDS) - roles:
            return None
        return ent

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
        synonyms = [w for pat, singles in class_phrases() if pat.search(folded) for w in singles]
        wanted_keys = role_keys(roles)
        places = {k for k in wanted_keys if k.startswith("country:")}
        # "the President of France": first someone with every word of it, then any president
        # (of that country, when the phrase names one and so does the person).
        # "the French leader": whoever leads, of that country (a president, a prime minister …)
        led = wanted_keys - {LEADER} if places and wanted_keys - places == {LEADER} else frozenset()
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
                if places and not theirs and ent.roles - ROLE_WORDS - _ROLE_JOINERS - {"of"}:
                    continue  # "President of Abkhazia X" (a place no table knows) is not "of Russia"
                return ent
        return None

    def holder(self, roles: frozenset[str]) -> Speaker | None:
        """The person named so far whose roles hold every key of `roles` ("President of the Russian
        Federation" → the "President of Russia Vladimir Putin" of a label), latest first."""
        wanted = role_keys(roles)
        for ent in reversed(self.speakers + self.people):
            if ent.names and not ent.org and not role_only(ent) and wanted <= role_keys(ent.roles):
                return ent
        return None


def title_mentions(title: str) -> list[Speaker]:
    """The people and bodies a title names, read as a sentence's mentions are (read once per article,
    for `note_title` and `_title_holders`)."""
    probe = Memory()
    probe.note_mentions(title)
    return probe.people


def pronoun_word(phrase: str) -> str:
    """A speaker phrase's first word, folded, without a contraction ("I've" → "i")."""
    ws = phrase.split()
    return _CONTRACTION.sub("", fold(ws[0])) if ws else ""


# `Jo Lee of the University of Iowa, Ames disagreed`: a person "of" a body whose name has a comma.
def first_person(a: SentenceAttribution) -> bool:
    return a.speaker is not None and not a.speaker.names and pronoun_word(a.mention) in FIRST_PERSON


def clause_subject(a: SentenceAttribution, sentence: str) -> bool:
    """A "speaker" that is a clause ("The matter is very serious and needs to be (discussed)", the
    rules' phrase cut before its "is"): in a speaker's turn or a release, the sentence is theirs
    like any other."""
    if a.speaker is None or a.speaker.names:
        return False
    if _COPULA & set(fold(a.mention).split()):
        return True
    after = sentence[a.mention_span[1] :].split()[:1] if a.mention_span else []
    return bool(after) and fold(after[0]) in _COPULA


def role_only(ent: Speaker) -> bool:
    """A phrase that is a person's role, parsed as a body's name for its head word ("Head of the
    Mayor's Office", "President of the French Republic"): no word of it is a name."""
    if not ent.names or not set(ent.names) <= ent.roles or ent.names[0] not in ROLE_WORDS:
        return False
    return bool(ent.roles & ROLE_WORDS - ORG_HEADS) and not country_of(" ".join(ent.names))  # "White House"


LEADER = role_key("leader")
