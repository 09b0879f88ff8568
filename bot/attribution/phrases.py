"""Reading a speaker phrase: which words name the person, which say what they are.

"Turkish Foreign Minister Mevlüt Çavuşoğlu" is a name (Mevlüt Çavuşoğlu) with roles; "the
ministry" is a role alone; "a spokesman for Clinton" is an unnamed spokesman, not Clinton. Word
lists come from the shared lexicon (`bot.lexicon`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.attribution.records import Speaker
from bot.entities.lexicon import country_of, mark_owners
from bot.lexicon import synonyms, words
from bot.text import fold

_ROLE_IDS = ("roles.words.person", "roles.words.titles")
ROLE_WORDS = words(*_ROLE_IDS)
ORG_HEADS = words("roles.organisations.heads")
CALENDAR = words("calendar.words")
NOT_SPEAKERS = words("attribution.words.not_speakers")
CAPTION_MARKS = words("attribution.words.caption_marks")
PARTICLES = words("attribution.words.name_particles")
_MASC = words("roles.gender.masculine")
_FEM = words("roles.gender.feminine")
_OPENERS = words("attribution.words.openers")
_FUNCTION_WORDS = words("attribution.words.function_words")

# Words of country names and nationalities: they say where someone is from, never who they are
# ("United States Secretary of State Antony Blinken", "Russian President Vladimir Putin").
PLACE_WORDS = frozenset("united states kingdom nations european union u.s us uk usa eu un".split())
_PLACE_WORDS = PLACE_WORDS
_NATIONALITY = re.compile(r"[a-z]{3,}(?:ian|ese|ish|ean|can|ian's|an)")
_MONTH_DAY = "|".join(
    sorted(words("calendar.words.weekdays", "calendar.words.months"), key=len, reverse=True)
)
_OPENER = re.compile(
    rf"^(?:(?i:{'|'.join(sorted(_OPENERS, key=len, reverse=True))})\s+|"
    rf"(?:On|In|At|By|Last|This|Next|Since|As|When|While|After|Before|Early|Late)\s+(?i:{_MONTH_DAY}|"
    r"\d[\d,]*)(?:\s+\d{1,4})?,?\s+)+"
)
_THE = re.compile(r"^the\s+", re.I)
_LEADING = re.compile(r"^(?:the|his|her|their|its|a|an|our|my|your)\s+", re.I)
_SPOKES_FOR = re.compile(r"\b(?:for|of|to|with|at|from)\s+(?:the\s+)?[A-Z]")
# "mayor of London Sadiq Khan": a role of one place, then the holder's full name.
_ROLE_OF_PLACE_NAME = re.compile(r"\bof\s+[A-Z][\w’'-]+\s+[A-Z][\w’'.-]+\s+[A-Z][\w’'-]+$")


@cache
def places() -> frozenset[str]:
    """Folded names of countries and their subdivisions (states, provinces): never a person."""
    import pycountry

    out = {fold(c.name) for c in pycountry.countries}
    out |= {fold(getattr(c, "common_name", "")) for c in pycountry.countries}
    out |= {fold(s.name) for s in pycountry.subdivisions}
    out.discard("")
    return frozenset(out)


def _word(w: str) -> str:
    return fold(w).strip(".’'-,")


@cache
def _first_names() -> dict[str, str]:
    """First name → "m"/"f" where gender-guesser's name table says plainly male or female.

    Read straight from the package's data file (the `Detector` parses every country column and
    takes seconds): only the lines marked M or F are kept, and a name marked both is dropped.
    """
    from importlib import resources

    out: dict[str, str] = {}
    clash: set[str] = set()
    raw = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        code = line[:2]
        if code not in ("M ", "F "):
            continue
        name = line[3:29].strip().lower()
        if "+" in name:
            name = name.replace("+", "-")
        g = "m" if code[0] == "M" else "f"
        if out.get(name, g) != g:
            clash.add(name)
        out[name] = g
    for name in clash:
        del out[name]
    return out


@cache
def _any_first_names() -> frozenset[str]:
    """Every name of the table, of either or no clear gender ("mary", "kim")."""
    from importlib import resources

    raw = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    return frozenset(
        line[3:29].strip().lower().replace("+", "-") for line in raw.splitlines() if line[:1] in "MF?1"
    )


def is_first_name(word: str) -> bool:
    """Whether the name table lists a folded word as a first name at all."""
    return word in _any_first_names()


def first_name_gender(first: str) -> str | None:
    """ "m"/"f" for a first name that the name table marks plainly ("mostly" ones are left out)."""
    return _first_names().get(first)


def gender_of(folded_words: list[str], name_words: list[str]) -> str | None:
    """A person's gender from the phrase that names them: Mr./Mrs., "his father", a first name."""
    role_set = set(folded_words)
    if role_set & _MASC and not role_set & _FEM:
        return "m"
    if role_set & _FEM and not role_set & _MASC:
        return "f"
    if len(name_words) >= 2:
        first = _word(name_words[0])
        if first.isalpha() and len(first) > 1:
            return first_name_gender(first)
    return None


@lru_cache(maxsize=200_000)
def parse_phrase(phrase: str) -> Speaker | None:
    """Split a speaker phrase into name and role words ("Turkish Foreign Minister Mevlüt Çavuşoğlu")."""
    phrase = _OPENER.sub("", phrase.strip(" ,.;:“”\"'’"))
    raw = phrase
    definite = _THE.match(phrase) is not None
    phrase = _LEADING.sub("", phrase)
    phrase = re.sub(r"’s$|'s$", "", phrase)
    words_ = [w for w in phrase.split() if w not in ("–", "—", "-")]  # "Deputy Mayor – Head of …"
    # a role of a body may be long ("High Representative of the Union for … Policy Jo Lee")
    if not words_ or len(words_) > (24 if any(_word(w) in ROLE_WORDS for w in words_[:2]) else 12):
        return None
    folded = [_word(w) for w in words_]
    if folded[0] in NOT_SPEAKERS or folded[-1] in CAPTION_MARKS:
        return None  # "it", "Jane Doe Image": a thing or a photo caption, not a speaker
    if "of" in folded[1:-1] and folded[0] not in ROLE_WORDS | ORG_HEADS:
        # "Peter T. King of New York", "Mr. Nevins of Showtime": a person of a place or a body
        cut = folded.index("of", 1)
        head = words_[:cut]
        if sum(w[:1].isupper() and _word(w) not in ROLE_WORDS for w in head) >= 1 and head[-1][:1].isupper():
            person = parse_phrase(" ".join(head))
            if person is not None and person.names and not person.org:
                return person
    if all(w[:1].islower() for w in words_) or (
        folded[0] in ROLE_WORDS
        and _SPOKES_FOR.search(phrase)
        and not words_[0][:1].isupper()
        and not _ROLE_OF_PLACE_NAME.search(phrase)
    ):
        # "the ministry", "a spokesman for Clinton": a role, named only through someone else.
        return Speaker(name=raw, names=(), roles=frozenset(mark_owners(folded)), gender=gender_of(folded, []))
    if folded[-1] in ORG_HEADS or (len(folded) > 1 and folded[-2] in ORG_HEADS and folded[-1] in {"office"}):
        # A body: its whole phrase is its name.
        return Speaker(
            name=" ".join(words_),
            names=tuple(f for f in folded if f not in {"of", "and", "the"}),
            roles=frozenset(mark_owners(folded)),
            org=True,
        )
    # "President of Brazil Jair Bolsonaro": the "of <Place>" after a role word is part of the role.
    roleish = [f in ROLE_WORDS or f in _PLACE_WORDS for f in folded]
    for k in range(len(folded) - 1):  # "Russian President": a nationality before a role word
        if _NATIONALITY.fullmatch(folded[k]) and folded[k + 1] in ROLE_WORDS:
            roleish[k] = True
    for k in range(1, len(words_) - 1):
        if folded[k] in ("of", "to") and roleish[k - 1]:
            j = k + 1
            of_word = k + 2 if folded[k + 1] == "the" else k + 1  # "Commander of the Navy Jo Lee": its word
            while j < len(words_) and (folded[j] in {"the", "of", "and"} or roleish[j] or j == of_word):
                roleish[j] = True
                j += 1
            # "Head of the Federal Customs Service Vladimir Bulavin": the body a role is of runs
            # through its head word ("Service", "Ministry"); the name is what follows it.
            heads = [
                m for m in range(j, len(words_) - 1) if folded[m] in ORG_HEADS and words_[m][:1].isupper()
            ]
            body = range(j, heads[-1]) if heads else range(0)
            if heads and all(words_[m][:1].isupper() or folded[m] in {"of", "the", "and"} for m in body):
                for m in range(j, heads[-1] + 1):
                    roleish[m] = True
    # Runs of capitalised non-role words after a role word; the name is the last run of two or
    # more words ("White House COVID-19 Response Coordinator Jeff Zients" → "Jeff Zients").
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(words_):
        if words_[k][:1].isupper() and not roleish[k] and any(roleish[:k]):
            end = k
            while end < len(words_) and (
                (words_[end][:1].isupper() and not roleish[end]) or _particle_inside(words_, folded, end)
            ):
                end += 1
            runs.append((k, end))
            k = end
        else:
            k += 1
    long_runs = [r for r in runs if r[1] - r[0] >= 2] or [r for r in runs if r[1] == len(words_)]
    # "Crown Prince Karl Holm of Norland": a person of a place; the place is never the name
    while (
        len(long_runs) > 1
        and folded[long_runs[-1][0] - 1] == "of"
        and (" ".join(folded[long_runs[-1][0] : long_runs[-1][1]]) in places())
    ):
        long_runs.pop()
    if long_runs:
        run_start, run_end = long_runs[-1]
        if run_end - run_start >= 3:
            # "Governor of Vestland Territory Carl Dahl", "Coastal Security Policy Jo Lee": the place
            # or body a role is of runs on until a first name; a run that opens with one ("… of Norland
            # Ines Maria Holm") is all name.
            firsts = [m for m in range(run_start, run_end - 1) if first_name_gender(folded[m])]
            if firsts and firsts[0] > run_start and not is_first_name(folded[run_start]):
                run_start = firsts[0]
        if "of" in folded[:run_start] and run_end - run_start >= 3:
            of = max(m for m in range(run_start) if folded[m] == "of")
            for m in range(run_end - 2, run_start - 1, -1):  # "Governor of North Carolina Jo Lee"
                if " ".join(f for f in folded[of + 1 : m + 1] if f != "the") in places():
                    run_start = m + 1
                    break
        name_words = words_[run_start:run_end]
        if len(name_words) >= 3 and len(set(name_words)) < len(name_words):
            name_words = name_words[:2]  # "Jair Bolsonaro Bolsonaro Jair…": a garbled transcript label
        roles = _roles_before(folded[:run_start])
        return _person(name_words, roles, folded)
    # Name = trailing run of capitalised words that are not role words.
    i = len(words_)
    while i > 0 and (
        (words_[i - 1][:1].isupper() and not roleish[i - 1])
        or (i < len(words_) and i > 1 and _particle_inside(words_, folded, i - 1) and not roleish[i - 2])
    ):
        i -= 1
    while i > 0 and folded[i - 1] in PARTICLES - {"of", "the", "and"} and i < len(words_):
        i -= 1
    name_words = words_[i:]
    roles = _roles_before(folded[:i])
    if not name_words:
        if roles:
            return Speaker(name=" ".join(words_), names=(), roles=roles, gender=gender_of(folded, []))
        return None
    if len(name_words) > 5:
        return None
    if definite and i == 0:
        # "The West", "the Pentagon": "the" and capitalised words alone name a body, a place or a
        # thing, never a person, so "West" is not the surname of a Kanye West named elsewhere;
        # "the Presidents", "the Ambassadors": a role's plural, people not named here.
        if len(folded) == 1 and folded[0].endswith("s") and folded[0][:-1] in ROLE_WORDS:
            return Speaker(name=raw, names=(), roles=frozenset(folded))
        return Speaker(
            name=" ".join(name_words), names=tuple(_word(w) for w in name_words), roles=frozenset(), org=True
        )
    if roles & ORG_HEADS and not roles & ROLE_WORDS and all(w.islower() for w in words_[:i]):
        # "television broadcaster PBS", "the airline Mahan Air": a body's name after what it is
        return Speaker(
            name=" ".join(name_words), names=tuple(_word(w) for w in name_words), roles=roles, org=True
        )
    return _person(name_words, roles, folded)


_SUFFIX = {"jr", "sr", "ii", "iii", "iv"}
_INNER_PARTICLES = PARTICLES - {"of", "the", "and", "jr", "sr", "ii", "iii", "iv", "st", "y"}


def _particle_inside(words_: list[str], folded: list[str], k: int) -> bool:
    """ "Ines von der Holm", "Carl de Dahl": a lower-case particle between two capitalised name
    words (or before another particle) is part of the name."""

    def particle(m: int) -> bool:
        return words_[m][:1].islower() and folded[m] in _INNER_PARTICLES

    if not particle(k):
        return False
    i = k - 1
    while i >= 0 and particle(i):
        i -= 1
    if i < 0 or not words_[i][:1].isupper():
        return False
    j = k + 1
    while j < len(words_) and particle(j):
        j += 1
    return j < len(words_) and words_[j][:1].isupper()


def _person(name_words: list[str], roles: frozenset[str], folded: list[str]) -> Speaker | None:
    name_words = [w.rstrip(",") for w in name_words]
    names = tuple(_word(w) for w in name_words if _word(w) not in _SUFFIX)
    if not names or all(n in CALENDAR or n in _FUNCTION_WORDS for n in names):
        return None  # "March", "In", "The": a date or a sentence's first word, not a name
    return Speaker(name=" ".join(name_words), names=names, roles=roles, gender=gender_of(folded, name_words))


def _roles_before(folded: list[str]) -> frozenset[str]:
    """The role words a phrase states before its name ("Head of the President's Office" …): its words
    with the owner of the role marked (`mark_owners`), less the joining words."""
    return frozenset(f for f in mark_owners(folded) if f not in {"of", "and", "for", "the"})


_CAP_ING = re.compile(r"[A-Z](?:[a-z]{2,}ing|[A-Z]{2,}ING)")


@lru_cache(maxsize=1 << 12)
def participle(word: str) -> bool:
    """A capitalised -ing form of an English verb ("Highlighting", "Participating", "HONORING"), by
    the lexicon's WordNet words: a title-case topic opening, never a name word ("Xi Jinping",
    "Sterling" are no verb's)."""
    if not _CAP_ING.fullmatch(word):
        return False
    base = fold(word)[:-3]
    known = synonyms()
    return base in known or base + "e" in known or (base[-1:] == base[-2:-1] and base[:-1] in known)


_AUTHORED_TITLE = re.compile(
    r"^(?P<kind>Statement|Remarks|Op-Ed|Letter|Message|Address|Speech|Readout|Press Statement|"
    r"Opening Remarks|Video Message|Interview|Tweet)s?\s+"
    r"(?:[Aa]s\s+[Pp]repared\s+(?:[Ff]or\s+[Dd]elivery\s+)?)?"
    r"(?P<prep>by|from|of)\s+(?P<who>.+)$"
)
_TITLE_TOPIC = words("attribution.words.title_topic")
# Where a title's author ends: a possessive ("Mayor Holm’s Call With …" is the Mayor's),
# a comma or colon, or a word that opens the topic, written in any case ("Before Ferry
# Departure", "on the Decision"): a preposition, a number ("Four Years After"), or a participle
# with more words after it ("Marking One Year Since …").
_TOPIC_WORD = "|".join(sorted(_TITLE_TOPIC, key=len, reverse=True))
_AUTHOR_END = re.compile(
    rf"(?P<poss>[’']s\b)|\s*(?:,(?!\s*[JS]r\b)|[:;(])|\s+(?:(?i:{_TOPIC_WORD})\b|\d|[A-Z][a-z]{{3,}}ing\s+\S)"
)


# A headline, a dash or a colon, then what the text is and whose: "… - address by President Jo
# Lee", "Stand firm: Address by the President of Norland".
_TITLE_TAIL = re.compile(
    r"(?:\s[-–—]|:)\s+((?:speech|address|statement|remarks|message|video message)\s+by\s+.+)$", re.I
)


def title_author(title: str) -> Speaker | None:
    """The speaker a release is by, from its title: "Statement by Press Secretary Jen Psaki on …".

    Only the words before the topic name them ("Statement by Mayor Ines Holm on the Court's
    Ruling" is Ines Holm's, not a "Court's Ruling"). A readout is its author's when the title
    says who gives it ("Readout from NSC Spokesperson …"); "Readout of Mayor Holm's Call with …"
    or "Readout of the White House Meeting on …" is an office's account of an event, by nobody
    named: its lines are not the Mayor's words."""
    title = title.strip()
    m = _AUTHORED_TITLE.match(title)
    tail = _TITLE_TAIL.search(title)
    if not m and tail is not None:  # "We will rebuild the port - address by Mayor Ines Holm"
        m = _AUTHORED_TITLE.match(tail.group(1)[:1].upper() + tail.group(1)[1:])
    if not m:
        return None
    who = m.group("who")
    end = _AUTHOR_END.search(who)
    if end is not None:
        who = who[: end.start()]
    if m.group("kind", "prep") == ("Readout", "of"):
        return None  # "Readout of Mayor Holm's Call with …": an account of the call, not her words
    ent = parse_phrase(who)
    if ent is None or ent.names:
        return ent
    # "… - address by the President of Ukraine": one office of one country, unnamed here; the text or
    # the entity layer names its holder. Two offices ("… and the President of Poland") are nobody.
    rest = m.group("who")[len(who) :]  # "… and the President of Poland": another office joined on
    two = re.search(r",|\band\b|&", who) or re.match(r"\s*(?:,|and\b|&)\s*(?:the\s+)?[A-Z]", rest)
    one_office = bool(ent.roles & ROLE_WORDS) and not two
    return ent if one_office and any(country_of(r) for r in ent.roles) else None
