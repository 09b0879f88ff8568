"""The rule-based attributor: the rule table per sentence, then who `he` and `the minister` are.

Runs once per article at index time, so "What did X say?" is a lookup of X's sentences. For
each sentence the first rule of `bot.attribution.rules.RULES` that matches gives a speaker
phrase; a name is taken as written (a surname alone becomes the fuller name seen earlier), a
pronoun is the nearest earlier person of its gender and number (never a place, a weekday or a
body), a role ("the minister") the latest person or body holding it (`bot.attribution.memory`).
Then `bot.attribution.spreading` gives quotes that run over several sentences or paragraphs, a
transcript's turns and a list's items the speaker of the sentence that attributes them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.attribution.memory import (
    CAP,
    DEFINITE,
    FEM,
    FIRST_PERSON,
    GROUPS,
    INDEFINITE,
    LEADING_ARTICLE,
    MASC,
    ME_OBJECT,
    PLURAL,
    PRONOUNS,
    RELATIONS,
    SECOND_PERSON,
    THING,
    Memory,
    class_phrases,
    clause_subject,
    first_person,
    name_run_end,
    pronoun_word,
    role_only,
    title_mentions,
)
from bot.attribution.phrases import (
    NOT_SPEAKERS,
    ORG_HEADS,
    PLACE_WORDS,
    ROLE_WORDS,
    first_name_gender,
    parse_phrase,
    title_author,
)
from bot.attribution.quote_marks import open_after
from bot.attribution.records import How, SentenceAttribution, Speaker
from bot.attribution.rules import PHRASE, RULE_IDS, Found, first_match
from bot.attribution.spreading import (
    STAGE_DIRECTION,
    move_cue_lines,
    move_message_lines,
    move_signatures,
    spread_address,
    spread_bullets,
    spread_labels,
    spread_quotes,
)
from bot.entities.lexicon import country_of, role_keys
from bot.text import fold, name_key

_BARE_LABEL = re.compile(r"^\s*([A-Z][A-Z’'-]{2,}):\s")


def _section_heading(label: str, memory: Memory, bare_labels: Counter[str]) -> bool:
    """A one-word label in capitals ("TRUMP:", "PREVENTION:") is a speaker when their turn comes
    again or the article has named someone of that name; used once, for nobody named, it is a
    section heading."""
    return label in bare_labels and bare_labels[label] == 1 and not {name_key(label)} <= memory.known


def _headline_person(title: str, mentioned: list[Speaker]) -> Speaker | None:
    """The one person a title quotes as its headline's speaker: "Ola Lind: We will rebuild the port"
    or "We will rebuild the port - Ola Lind" (a person: a known first name, not "FACT SHEET:")."""
    title = title.strip()
    for e in mentioned:
        headed = title.startswith(e.name + ":") or re.search(rf"\s[-–—]\s+{re.escape(e.name)}$", title)
        if headed and len(e.names) >= 2 and not e.org and not e.roles and e.gender and not e.name.isupper():
            return e
    return None


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
        keep = max(1, min(keep, name_run_end(shown)))  # "Vice President Harris During Tour …"
        shown = shown[:keep]
        out.append(Speaker(" ".join(shown), e.names[:keep], e.roles, gender=e.gender))
    return out


def _countries(roles: frozenset[str]) -> frozenset[str]:
    """The country keys among a role's keys ("Russian President" → country:RU)."""
    return frozenset(k for k in role_keys(roles) if k.startswith("country:"))


_COUNTRY_FIRST = re.compile(r"^(\S+)\s+")


def _drop_country(m: re.Match[str]) -> str:
    """ "french head of state" → "head of state": a leading country word says whose role."""
    return "" if country_of(m.group(1)) else m.group(0)


_OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
_AND_NAMES = re.compile(rf"^(?P<a>.*{CAP}[\w’'-]+)\s+(?:and|&)\s+(?P<b>.*{CAP}[\w’'-]+)$")


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
    if not e.names and re.search(r"\bof\s+(?:the\s+)?\S+$", phrase):
        return False  # "Chairman of the Cabinet of Ministers and Chief of Staff …": one holder's offices
    return bool((e.names and not e.org) or _plural_role(e.roles) or (e.org and DEFINITE.match(phrase)))


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
    if (a.org and not DEFINITE.match(m.group("a"))) or (b.org and not DEFINITE.match(found.who)):
        return None  # "Russia and …": a body of its own; "the French and the Germans": the pair
    if fold(m.group("a").split()[0]) in PRONOUNS or fold(found.who.split()[0]) in THING:
        return None
    return replace(found, who=sentence[m.start("a") : end], who_span=(m.start("a"), end))


_PERSON_OF_BODY = re.compile(
    rf"(?:^|(?<=[,;:—–]\s))(?P<person>{CAP}[\w.’'-]*(?:\s+{CAP}[\w.’'-]*){{1,4}})\s+of\s+(?:the\s+)?"
    rf"{CAP}[\w’'-]+(?:\s+(?:of\s+|and\s+)?{CAP}[\w’'-]+){{0,5}},\s+$"
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


_POSSESSOR = re.compile(r"^(.+?)['’]s\s")


def _message_author(
    phrase: str, memory: Memory, out: list[SentenceAttribution], paragraphs: list[int], k: int
) -> Speaker | None:
    """Who wrote the message a sentence quotes ("The message reads, in part: …"): "his letter" is the
    person `his` is; "the message" is the latest named speaker of the two sentences before (same or
    previous paragraph: "Ana Kovac posted a message …"), else the one the sentence before is about
    ("Vladimir Putin sent greetings …"). Nobody named there: nobody (never "The message")."""
    first = fold(phrase.split()[0])
    if first in MASC or first in FEM or first in PLURAL:
        ent = RuleAttributor._resolve(first, memory)
        return ent if ent is not None and ent.names else None
    owner = _POSSESSOR.match(phrase)
    if owner is not None:  # "the judge's statement", "Judge Lind's letter": whoever that is
        ent = RuleAttributor._resolve(owner.group(1), memory)
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
    return ME_OBJECT.match(sentence[found.cue_span[1] :]) is not None


def _with_stated_roles(out: list[SentenceAttribution], memory: Memory) -> list[SentenceAttribution]:
    """Each named speaker with the roles the article stated with their full name anywhere ("…
    met with Ambassador of Japan Kuninori Matsuda. Kuninori Matsuda said …": an ambassador of
    Japan). Read after the article is attributed, so no rule's reading changes; the entity layer
    learns the roles from the speakers' records."""
    stated = {p.keys: p.roles for p in memory.people if len(p.names) >= 2 and not p.org and p.roles}
    for i, a in enumerate(out):
        spk = a.speaker
        if spk is None or spk.org or len(spk.names) < 2:
            continue
        roles = stated.get(spk.keys)
        if roles and not roles <= spk.roles:
            out[i] = replace(a, speaker=replace(spk, roles=spk.roles | roles))
    return out


def _person_role(roles: frozenset[str]) -> bool:
    return bool(roles & ROLE_WORDS) and not roles & ORG_HEADS


def _gender_of_pronoun(word: str) -> str | None:
    return "m" if word in MASC else "f" if word in FEM else None


class RuleAttributor:
    """Attribution by the ordered rule table (`bot.attribution.rules.RULES`)."""

    name = "rules"
    version = 61
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
        "turn-report",
        "release-title",
        "cue-line",
        "bullet-lead-in",
        "bullet-occasion",
        "address-after-report",
    )

    def attribute(
        self, sentences: list[str], paragraphs: list[int], title: str = ""
    ) -> list[SentenceAttribution]:
        """One `SentenceAttribution` per sentence of an article (speaker None where nobody speaks).

        Sentences of a release titled "Statement by X …" that nobody else is said to speak are X's
        (how = statement); in a transcript, a speaker label holds until the next label.
        """
        memory = Memory()
        author = title_author(title) if title else None
        mentioned = title_mentions(title) if title else []
        if author is not None:
            memory.note_speaker(author)
            memory.note_title(mentioned)  # "Statement … on the Passing of Senator Bob Dole": whom it is about
        out: list[SentenceAttribution] = []
        floor: set[int] = set()
        labels: dict[str, Speaker] = {}  # a transcript label's text → whom it names in this article
        holders = _title_holders(mentioned)
        memory.headline = _headline_person(title, mentioned) if title else None
        bare_labels = Counter(m.group(1) for t in sentences if (m := _BARE_LABEL.match(t)))
        about: list[Speaker | None] = []  # the person each sentence is about (`spread_bullets`)
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
                    elif rule.id == "label" and _section_heading(found.who, memory, bare_labels):
                        ent = None  # "PREVENTION: Programs …" in a fact sheet: a heading, nobody's turn
                    elif rule.id in ("label", "interview-label"):
                        ent = self._label_speaker(found.who, memory, labels, holders)
                    elif rule.id == "message-reads":
                        ent = _message_author(found.who, memory, out, paragraphs, k)
                    else:
                        ent = self._resolve(found.who, memory)
                    if ent is not None and ent.names and fold(found.who.split()[0]) not in PRONOUNS:
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
        move_cue_lines(sentences, paragraphs, out)
        move_message_lines(sentences, paragraphs, out)
        open_quote = open_after(sentences, paragraphs)  # which sentences lie inside a quotation
        move_signatures(sentences, paragraphs, out, open_quote)
        spread_bullets(sentences, paragraphs, out, about, memory)
        spread_quotes(sentences, paragraphs, out, open_quote)
        spread_labels(sentences, paragraphs, out, floor)
        if author is None:  # a release's unattributed text is its author's, an address in it too
            spread_address(sentences, paragraphs, out)
        if author is not None and role_only(author):
            # "Address by the President of the French Republic": the person the text names so
            author = memory.holder(author.roles) or author
        for i, a in enumerate(out):
            if i in floor:  # a question from the floor: nobody's, not even the release's author
                out[i] = SentenceAttribution()
            elif (
                author is not None
                and (a.speaker is None or first_person(a) or clause_subject(a, sentences[i]))
                and not STAGE_DIRECTION.match(sentences[i])  # "(Applause.)": the room's, not the author's
            ):
                # a release's unattributed sentences, and its "we urge …", are its author's
                out[i] = SentenceAttribution(author, How.STATEMENT, "release-title")
        return _with_stated_roles(out, memory)

    @classmethod
    def _label_speaker(
        cls, label: str, memory: Memory, labels: dict[str, Speaker], holders: list[Speaker]
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
    def _resolve(phrase: str, memory: Memory) -> Speaker | None:
        """The person or body a speaker phrase means; an unnamed `Speaker` (no name words) for a
        source the article does not name ("the newspaper", "a spokesman", an unresolved "he")."""
        phrase = phrase.strip()
        if not phrase:
            return None
        phrase = _OBJECT_PRONOUNS.get(fold(phrase), phrase)  # "according to him": he
        first = pronoun_word(phrase)  # "I've": I
        unnamed = Speaker(name=phrase, names=())
        if _two_people(phrase):  # "President X and Chancellor Y discussed": the pair, not the last named
            return unnamed
        if first in THING:
            return None
        if first in FIRST_PERSON or first in SECOND_PERSON:
            return unnamed  # "I", "we", "you": whoever is speaking or spoken to, named elsewhere
        if first in PLURAL:  # a body ("the ministry … they said"), never one person
            return next((e for e in reversed(memory.speakers[-3:]) if e.org), unnamed)
        if first in MASC or first in FEM:
            return memory.resolve_pronoun(_gender_of_pronoun(first)) or unnamed
        if fold(phrase.split()[-1]).strip(".’'") in GROUPS or first in GROUPS:
            return unnamed  # "Senate Republicans", "24 percent", "many": a group, nobody in particular
        bare = LEADING_ARTICLE.sub("", fold(phrase))
        role = _COUNTRY_FIRST.sub(_drop_country, bare)
        if any(pat.fullmatch(role) for pat, _ in class_phrases()):
            # "the (French) Head of State", "the Prime Minister": a role phrase, never a body's
            # name; its holder (of that country) named earlier
            return memory.resolve_role(frozenset(bare.split()), phrase) or Speaker(
                name=phrase, names=(), roles=frozenset({bare})
            )
        ws = phrase.split()
        if first in INDEFINITE and len(ws) > 2 and ws[1] == "of":
            return unnamed  # "One of the children", "Some of the officials": nobody named
        ent = parse_phrase(phrase)
        if ent is None:
            return unnamed if first not in NOT_SPEAKERS else None
        if not ent.names and first in INDEFINITE:
            return ent  # "a Lind campaign veteran", "one adviser": someone new, not a person named before
        if not ent.names and ent.roles and ent.roles <= PLACE_WORDS:
            # "The US has been encouraging …": the country itself, never a person whose role names it
            name = re.sub(r"^[Tt]he\s+", "", phrase.strip())
            return Speaker(name=name, names=tuple(fold(w) for w in name.split()), roles=ent.roles, org=True)
        if not ent.names:
            found = memory.resolve_role(ent.roles, phrase)
            plural = _plural_role(ent.roles)
            if found is None and DEFINITE.match(phrase) and ent.roles & RELATIONS and not plural:
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
        if ent.org and role_only(ent):  # "the Head of the Mayor's Office said": its holder
            return memory.holder(ent.roles) or ent
        if ent.org and len(ent.names) > 2 and ent.names[0] in ROLE_WORDS - ORG_HEADS and ent.names[1] == "to":
            # "the Adviser to the Head of the Mayor's Office": a person's role read as a body's name;
            # the person named with it before, else the one the headline quotes, else the one who
            # spoke last, if still the one spoken of; else someone unnamed, never a body named by role words
            found = (
                memory.resolve_role(ent.roles, phrase) or memory.headline or memory.recent_speaker(ent.roles)
            )
            return found or Speaker(name=phrase, names=(), roles=ent.roles, gender=ent.gender)
        return memory.full(ent)
