"""Linking a question's subject to entities: by name, surname, typo, role, country and acronym.

It never fails closed: a phrase it cannot link gives an empty `Link` (the answerer then retrieves
on the subject's words), and an uncertain one gives a low confidence rather than a refusal.
Lookups go through inverted tables (key → entity ids), never a scan of every speaker.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from bot.entities.lexicon import (
    countries,
    everyday_country_forms,
    lesser_words,
    not_held_words,
    role_classes,
    role_key,
    role_phrases,
    role_words,
    seats_in,
    spelt_countries,
    split_owners,
)
from bot.entities.table import EntityTable, span_days
from bot.periods import Period
from bot.text import STOP_WORDS, fold, name_key, words

FUZZY_CUTOFF = 85  # rapidfuzz ratio (0-100) a misspelt name word must reach
SPELT_ALIKE_MIN = 5  # letters of a name key read with its transliterated spellings: short ones collide
ROLE_FUZZY_CUTOFF = 85  # …and a rare word, to be read as a role word it misspells
TYPO_RARITY = 200  # …which the corpus holds at least this many times as often as the word
# A name word one slip of the keys from a frequent speaker's name ("bidan": Biden), below the
# cutoff because the name is short, is that name when no other name is one slip from it either.
SLIP_MIN = 5  # letters the typed word needs
FREQUENT_SHARE = 0.001  # of the corpus's attributed sentences, the name's speaker must have said this share
_VOWELS = frozenset("aeiouy")
KEEP_SHARE = 0.8  # entities scoring at least this share of the best are linked too
ROLE_WEIGHT = 0.6  # a role word counts less than a name word
UNQUALIFIED = 0.5  # a role holder the corpus never states of the asked organisation or country
LESSER_ROLE = 0.7  # a holder stated as deputy (or vice, assistant) of the role asked about
LESSER_SHARE = 0.5  # …for more than this share of the days it is stated holding the post
TIMELINE_CONFIDENCE = 0.9  # a role link this sure reads its holder at each date (holder_timeline)
HOLDER_DOMINANCE = 2.0  # …where the holder weighs this many times the next one holding it that day
TIMELINE_HOLDERS = 40  # …of the heaviest holders
TIMELINE_SHARE = 0.001  # …that weigh at least this share of the heaviest
SEAT_BONUS = 1.1  # a holder stated of the seat of government asked with the role ("White House ...")
_PHRASE_FILLERS = {"the", "of", "s", "a", "an", "mr", "mrs", "ms", "dr"}


@dataclass
class Link:
    """Entities a subject phrase names, each with a strength in 0…1, and how they were found."""

    phrase: str
    strengths: dict[int, float] = field(default_factory=dict)  # entity id → strength
    how: str = "none"  # name | surname | fuzzy | role | acronym | none
    confidence: float = 0.0
    corrected: dict[str, str] = field(default_factory=dict)  # typed word → corpus name word (typos)
    expansion: str | None = None  # an acronym's expansion, for retrieval on its words
    name_words: list[str] = field(default_factory=list)  # folded words of the phrase that are names
    # The role keys a role link asks to be held at the article's date ("vice", "president"); none
    # for "the former vice president", who is asked for out of the role.
    held_roles: list[str] = field(default_factory=list)

    @property
    def best(self) -> int | None:
        return max(self.strengths, key=lambda e: self.strengths[e]) if self.strengths else None


class SubjectLinker:
    """Links subject phrases to the entity table. `common` says whether the corpus writes a word in
    lower case in most sentences holding it ("new", "office", "staff"): in a role phrase such a word
    describes the role, even where a badly parsed speaker made it someone's "name"."""

    def __init__(
        self,
        table: EntityTable,
        common: Callable[[str], bool] | None = None,
        written: Callable[[str], bool] | None = None,
        count: Callable[[str], int] | None = None,
    ) -> None:
        self.table = table
        self.common = common or (lambda w: False)
        # How many passages hold a word: one the corpus holds far more rarely than a role word it is
        # a slip of the keys from ("the presdient", a typo a transcript may hold too) is that role.
        self.count = count
        # Whether the corpus writes the word as a name anywhere: "louise" is Louise Turpin, spelt
        # right, though only a Louis speaks; a word it never writes may be a typo of a speaker's name.
        self.written = written or (lambda w: False)
        self.by_name: dict[str, list[int]] = {}
        self.by_role: dict[str, list[int]] = {}
        for e in table.entities:
            for k in e.names:
                self.by_name.setdefault(k, []).append(e.id)
            for k in e.roles:
                self.by_role.setdefault(k, []).append(e.id)
        self.by_acronym: dict[str, list[int]] = {}
        for e in table.entities:
            for a in e.acronyms:
                self.by_acronym.setdefault(a, []).append(e.id)
        # Keys spelt alike by transliteration ("vereschuk" ~ "vereshchuk", "podoliak" ~ "podolyak"):
        # sources transliterate one person's name several ways, and the table holds each as written.
        self._spelt_alike: dict[str, list[str]] = {}
        for k in self.by_name:
            if len(k) >= SPELT_ALIKE_MIN:
                self._spelt_alike.setdefault(spelt_key(k), []).append(k)
        self._by_initial: dict[str, list[str]] = {}
        self._by_second: dict[str, list[str]] = {}  # a dropped first letter ("saki" for "psaki")
        for k in sorted(self.by_name):
            self._by_initial.setdefault(k[:1], []).append(k)
            self._by_second.setdefault(k[1:2], []).append(k)
        n = max(len(table.entities), 1)
        self._idf = {k: math.log(1 + n / len(v)) for k, v in {**self.by_role, **self.by_name}.items()}
        self._max_idf = max(self._idf.values(), default=1.0)
        self._holding: dict[tuple[int, tuple[str, ...]], list[tuple[int, int]]] = {}
        self._active: dict[int, int] = {}
        self._timelines: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray]] = {}
        biggest = max((e.sentences for e in table.entities), default=1)
        self._prominence = [math.log1p(e.sentences) / math.log1p(max(biggest, 1)) for e in table.entities]
        self._frequent = FREQUENT_SHARE * sum(e.sentences for e in table.entities)

    def _of_other_country(self, entity: int, asked: set[str]) -> bool:
        """The corpus states a country for the entity, and none of those asked ("Russian Interior
        Minister Kolokoltsev" is not "Poland's interior minister")."""
        stated = {k for k in self.table.entities[entity].roles if k.startswith("country:")}
        return bool(stated) and not stated & asked

    def link(self, phrase: str, period: Period | None = None) -> Link:
        out = Link(phrase)
        phrase = spelt_countries(phrase)  # "the U.S. president", "the US President": the United States'
        # "the president's chief of staff", "the spokesman for the president": the holder the role
        # belongs to is an owner key, matched owner to owner, never the head ("a president").
        plain, owner_keys = split_owners(phrase)
        owner_keys = [k for k in owner_keys if k in self.by_role]  # an owner no role is stated of: no key
        toks = self._hyphenated(_join_phrases([w for w in plain if w not in _PHRASE_FILLERS]))
        for i, w in enumerate(toks):
            role = self._misspelt_role(w)
            if role is not None:
                out.corrected[w] = role
                toks[i] = role
        name_hits: list[tuple[str, float, list[int]]] = []  # (key, factor, entities)
        name_tokens: list[str | None] = []  # per word that can only be a name: the name key it matched
        unmatched = 0  # such words that matched nothing: they lower the confidence
        typed_names: list[str] = []  # those words as typed (folded)
        role_hits: list[tuple[str, list[int]]] = []
        org_qualifiers: list[set[str]] = []  # per organisation asked: the role keys that state it
        hows: set[str] = set()
        role_of = _role_of_words(phrase)
        role_in = _role_in_words(phrase)
        # "the new defence minister", "the head of the presidential office": in a phrase with a role
        # word, a word the corpus writes in lower case is part of the role, never a name.
        role_phrase = bool(owner_keys) or any(_is_role(w) for w in toks)
        qualifiers: list[str] = []  # other words of a role phrase ("the yamal governor"): whose role
        # "zelensky's chief of staff": the possessor says whose aide is meant; he is not the subject.
        headed = bool(toks) and _is_role(toks[-1])  # the phrase ends in a role word: a role holder
        # …and "the head of zelensky's office": before the body a role is of, as before the role itself
        possessors = possessors_in(phrase) if headed or _head_before_of(list(plain)) is not None else set()
        owners: list[str] = []
        # "the white house press secretary": a seat's own releases state its roles without it ("Press
        # Secretary Karoline Leavitt"), so with a head it ranks the holders stated of it first and
        # leaves out none; alone ("what did the kremlin say") it asks for its roles' holders.
        seats = {key for _, key in seats_in(phrase)}
        seated = [k for k in owner_keys if k in seats] if headed else []
        owner_keys = [k for k in owner_keys if k not in seated]
        toks += owner_keys
        # "Sheriff Bill Brown": words typed capitalised after a title are a name, common words or not.
        typed_caps = {fold(m) for m in re.findall(r"(?<![\w’'-])[A-Z][\w’'-]*", phrase)}
        typed_words = fold(phrase).split()
        after_title = False
        for i, w in enumerate(toks):
            named_after_title = after_title and w in typed_caps
            after_title = _is_role(w) or named_after_title
            if w in possessors:
                owners.append(name_key(w))
                continue
            if w.startswith(("country:", "role:", "owner:")):
                key = w.removeprefix("role:")
                role_hits.append((key, self.by_role.get(key, [])))
                continue
            acr = self.table.acronyms.get(w)
            # Written in capitals ("the WHO", not "who"), or alone after "the" ("what did the who say"),
            # where a word can only be a name.
            alone = typed_words == ["the", w]
            if acr is not None and (alone or re.search(rf"\b{re.escape(w.upper())}\b", phrase)):
                out.expansion = acr
                ents = self.by_acronym.get(w, [])
                if ents:
                    name_hits.append((w, 1.0, ents))
                    hows.add("acronym")
                else:  # an organisation no one speaks as: it qualifies a role ("the IAEA director general")
                    org_qualifiers.append({w} | {fold(x) for x in words(acr) if x not in STOP_WORDS})
                continue
            if w in STOP_WORDS:
                continue
            k = name_key(w)
            titled = w in role_words()
            if role_phrase and not titled and self.common(w) and not named_after_title:
                if role_key(w) in self.by_role:
                    role_hits.append((role_key(w), self.by_role[role_key(w)]))
                continue
            if not titled and w in role_of and role_key(w) in self.by_role:
                # "the mayor of london": a place a role is of, held as a role, not a name
                role_hits.append((role_key(w), self.by_role[role_key(w)]))
                continue
            if not titled and w in role_in:
                # "american samoa's delegate in congress": where the role is held qualifies it (its
                # holders stated so rank first); no name of the subject's, nor a role of its own
                qualifiers.append(k)
                continue
            if not titled:
                name_tokens.append(None)  # the key it matched, filled in below
                typed_names.append(w)
            if k in self.by_name and not titled and headed and self._orgs_only(k):
                # "the african union chair": the body whose chair is meant, not the subject
                name_tokens.pop()
                typed_names.pop()
                qualifiers.append(k)
                continue
            if k in self.by_name and not titled:
                name_hits.append((k, 1.0, self._alike(k)))
                out.name_words.append(w)
                name_tokens[-1] = k
                hows.add("name")
                continue
            rk = role_key(w)
            if rk in self.by_role:
                # "the mysore divisional railway manager": a word the corpus states of someone's role
                # is part of the role, not a name word that matched nobody (beside a name, as in
                # "kowalska and the finance minister", it still counts as a word no name matched)
                role_hits.append((rk, self.by_role[rk]))
                if not titled and not name_hits:
                    name_tokens.pop()
                    typed_names.pop()
                continue
            long_enough = len(k) >= SPELT_ALIKE_MIN and not titled
            spelt = self._spelt_alike.get(spelt_key(k), []) if long_enough else []
            if spelt:
                # "rakhmon" for Rahmon: the same name in another transliteration, even where the corpus
                # writes that spelling too (a mention of him, not a speaker of that name).
                name_hits.append((spelt[0], 1.0, self._alike(spelt[0])))
                out.corrected[w] = spelt[0]
                out.name_words.append(w)
                name_tokens[-1] = spelt[0]
                hows.add("fuzzy")
                continue
            if len(k) >= 4 and not titled and not self.written(w):
                # A misspelling keeps its first letter (nearly always): compare with those names only.
                pool = self._by_initial.get(k[:1], []) + self._by_second.get(k[:1], [])  # "saki": psaki
                near = process.extractOne(
                    k, pool, scorer=fuzz.ratio, processor=translit, score_cutoff=FUZZY_CUTOFF
                ) or self._slip(k, pool)
                if near is not None:
                    name_hits.append((near[0], near[1] / 100, self._alike(near[0])))
                    out.corrected[w] = near[0]
                    out.name_words.append(w)
                    name_tokens[-1] = near[0]
                    hows.add("fuzzy")
                    continue
            last_after_title = i == len(toks) - 1 and i > 0 and toks[i - 1] in role_words()
            if not titled and last_after_title and self.written(w):
                # "general holm": a title before a name the corpus writes but no speaker bears; not
                # every general. Fail open: retrieval on the subject's words.
                return out
            if not titled:
                unmatched += 1
                qualifiers.append(k)
        if not name_hits and not role_hits:
            return out
        # A full name is one person by its surname: "Mira Holmqvist" is not "Jon Holmquist".
        surname = name_tokens[-1] if len(name_tokens) >= 2 else None
        if len(name_tokens) >= 2 and surname is None:
            return out
        total = (
            sum(self._idf.get(k, 1.0) * f for k, f, _ in name_hits)
            + sum(ROLE_WEIGHT * self._idf.get(k, 1.0) for k, _ in role_hits)
            + unmatched * self._max_idf
        )
        scores: dict[int, float] = {}
        for k, f, ents in name_hits:
            for e in ents:
                scores[e] = scores.get(e, 0.0) + self._idf.get(k, 1.0) * f
        if surname is not None:
            alike = self._spellings(surname)
            scores = {e: v for e, v in scores.items() if alike & set(self.table.entities[e].names)}
            # …and the given names agree: "Gina Rodriguez" is not "José Rodríguez" (an entity known
            # by surname alone, "Mr Rodriguez", may still be either).
            # The word before the surname is the given name, known to the corpus or not; earlier
            # words count when the corpus knows them as names ("Finance Minister Anna Kowalska").
            given = [name_tokens[-2] or name_key(typed_names[-2])] + [k for k in name_tokens[:-2] if k]
            scores = {
                e: v
                for e, v in scores.items()
                if _given_names_agree(given, surname, self.table.entities[e].names)
            }
            if not scores:
                return out
        elif (
            len(name_tokens) == 1 and name_tokens[0] is not None and name_tokens[0] in out.corrected.values()
        ):
            # One misspelt name word is someone's surname, not their given name alone: "ronaldo" is no
            # typo of Ronald Reagan, "milei" none of "Middle Eastern".
            fixed = name_tokens[0]
            alike = self._spellings(fixed)
            scores = {e: v for e, v in scores.items() if self.surname_of(e) in alike}
            if not scores:
                return Link(out.phrase)
        countries_asked = {k for k, _ in role_hits if k.startswith("country:")}
        roles_asked = [ents for k, ents in role_hits if _office(k)]
        if countries_asked and roles_asked and not name_hits:
            # "Poland's interior minister": of those holding the role, the ones of that country — when
            # the corpus states any (it may never call the Russian defence minister "Russian").
            of_country = {e for k in countries_asked for e in self.by_role.get(k, [])}
            both = of_country.intersection(*(set(ents) for ents in roles_asked))  # every role word too
            if both:
                role_hits = [(k, [e for e in ents if e in both]) for k, ents in role_hits]
            else:  # none stated of that country: not those the corpus states of another one
                other = {
                    e for ents in roles_asked for e in ents if self._of_other_country(e, countries_asked)
                }
                role_hits = [(k, [e for e in ents if e not in other]) for k, ents in role_hits]
                if not any(ents for k, ents in role_hits if not k.startswith("country:")):
                    return out  # fail open: retrieval on the subject's words
        if not name_hits and roles_asked:
            role_hits = self._headed(role_hits, _head_before_of(toks))
            if not any(ents for k, ents in role_hits if _office(k)):
                return out  # no holder of the head role: fail open, retrieval on the subject's words
            if owner_keys:
                # Whose role it is: of the head's holders, those the corpus states of that owner, when
                # it states any (else every holder, lowered by the owner's share of the total).
                owned = {e for ents in roles_asked for e in ents if self._owned(e, owner_keys)}
                if owned:
                    role_hits = [(k, [e for e in ents if e in owned]) for k, ents in role_hits]
            if qualifiers or owners:
                # "the yamal governor": the holders the corpus states of it (a role or name word it
                # begins, "yamalo-nenets"). None ("the nsdc secretary" where the corpus spells the
                # council out): every holder stays, with the confidence the unknown word lowers.
                of_it = {
                    e
                    for ents in roles_asked
                    for e in ents
                    if all(self._qualified(e, q) for q in qualifiers)
                    and all(self._qualified(e, o, names=False) or self._holder_owns(o, e) for o in owners)
                }
                if of_it:
                    role_hits = [(k, [e for e in ents if e in of_it]) for k, ents in role_hits]
                    total -= unmatched * self._max_idf  # matched after all: they lower nothing
                elif possessors:
                    return out  # no aide of theirs the corpus names: fail open, retrieval on the words
        if name_hits:  # a name rules: roles only rank the entities it names
            allowed = set(scores)
        for k, ents in role_hits:
            for e in ents:
                if not name_hits or e in allowed:
                    scores[e] = scores.get(e, 0.0) + ROLE_WEIGHT * self._idf.get(k, 1.0)
        if period is not None and role_hits and not name_hits:
            # "the president" in June 2022: the holder then, by the dates of the articles stating it
            # (every role word of it: a vice president then who is president later is not "the
            # vice president" then).
            asked = [k for k, _ in role_hits if _office(k)] or [k for k, _ in role_hits]
            for e in list(scores):
                ent = self.table.entities[e]
                if all(any(_overlaps(span, period) for span in ent.held_runs(k)) for k in asked):
                    scores[e] *= 1.5
        if role_hits and not name_hits:
            # "the prime minister": not whoever the corpus calls deputy or first deputy prime minister,
            # unless the question says so too; a lesser post the corpus only says they left ("former
            # Vice President") lowers nothing.
            lesser = lesser_words() - set(words(phrase))
            asked_posts = [k for k, _ in role_hits if _office(k)]
            for e in scores:
                ent = self.table.entities[e]
                if any(ent.held_runs(k) for k in lesser & ent.roles.keys()) and self._mostly_lesser(
                    e, lesser, asked_posts
                ):
                    scores[e] *= LESSER_ROLE
        for e in scores:
            scores[e] = scores[e] / total + 0.05 * self._prominence[e]
            if seated and any(k in self.table.entities[e].roles for k in seated):
                scores[e] *= SEAT_BONUS
        if not name_hits and (countries_asked or org_qualifiers):
            # A role's organisation or country must be matched: a holder of the role the corpus never
            # states of it is only a guess (the Russian director general is not "the IAEA director general").
            for e in scores:
                held = self.table.entities[e].roles
                if not all(q & held.keys() for q in [*org_qualifiers, *({k} for k in countries_asked)]):
                    scores[e] *= UNQUALIFIED
            if org_qualifiers and not any(
                q & self.table.entities[e].roles.keys() for e in scores for q in org_qualifiers
            ):
                return out  # no holder stated of that organisation: fail open, retrieval on its words
        if not scores:
            return out
        best = max(scores.values())
        out.strengths = {e: s / best for e, s in scores.items() if s >= KEEP_SHARE * best}
        if not name_hits and not roles_asked:
            # "what did the kremlin say": the seat's own statements as strongly as its roles' holders.
            for e in self._seat_bodies(phrase):
                out.strengths[e] = 1.0
        out.confidence = min(best, 1.0)
        if "fuzzy" in hows and "name" not in hows:
            out.how = "fuzzy"
        elif "acronym" in hows:
            out.how = "acronym"
        elif name_hits:
            ent = self.table.entities[max(out.strengths, key=lambda e: out.strengths[e])]
            out.how = "name" if len(name_hits) > 1 or len(ent.names) == 1 else "surname"
        else:
            out.how = "role"
            keys = list(dict.fromkeys(k for k, _ in role_hits if _office(k)))
            out.held_roles = [] if not_held_words() & set(keys) else keys
        return out

    def _slip(self, key: str, pool: list[str]) -> tuple[str, float] | None:
        """The name a typed name word is one slip of the keys from (a letter replaced, added, dropped
        or two swapped: "bidan" → biden), when it is the only name that near, a frequent speaker's
        (`FREQUENT_SHARE`), and the slip is no other vowel in the name's first syllable ("schulz" is
        Schulz, not Scholz; "bidan" writes Biden's unstressed vowel as it sounds); else None. The
        fuzzy cutoff misses such a slip in a short name: one letter is a fifth of "biden"."""
        if len(key) < SLIP_MIN:
            return None
        near = process.extract(
            key, set(pool), scorer=OSA.distance, processor=translit, score_cutoff=1, limit=None
        )
        if len(near) != 1:
            return None  # none, or two names one slip away: no telling which was meant
        name = str(near[0][0])
        said = max((self.table.entities[e].sentences for e in self.by_name[name]), default=0)
        if said < self._frequent or _first_vowel_changed(translit(key), translit(name)):
            return None
        return name, fuzz.ratio(translit(key), translit(name)) / 100

    def _spellings(self, key: str) -> set[str]:
        """The key and the keys spelt like it by transliteration (`spelt_key`)."""
        return {key, *self._spelt_alike.get(spelt_key(key), [])}

    def _alike(self, key: str) -> list[int]:
        """The entities named by the key or by a key spelt like it (`spelt_key`), the key's first."""
        out = list(self.by_name[key])
        if len(key) >= SPELT_ALIKE_MIN:
            for other in self._spelt_alike.get(spelt_key(key), []):
                out += [e for e in self.by_name[other] if other != key and e not in out]
        return out

    def surname_of(self, entity: int) -> str:
        """The name key of the last word of the entity's name as the corpus gives it."""
        parts = self.table.entities[entity].display.split()
        return name_key(parts[-1]) if parts else ""

    def _mostly_lesser(self, entity: int, lesser: set[str] | frozenset[str], posts: list[str]) -> bool:
        """The corpus states the entity as deputy (vice, assistant) of the post asked, for more than
        half the days it states it holding the post, or undated: a Vice President for four years is
        not "the president"; a President an article once calls "Vice President" (his old post) is,
        and the holder timeline reads the days."""
        ent = self.table.entities[entity]
        stated = [k for k in lesser if k in ent.roles]
        if not stated:
            return False
        post_days = span_days(self.holding(entity, posts)) if posts else 0
        if not post_days:
            return True
        deputy = max(span_days(self.holding(entity, [*posts, k])) for k in stated)
        return deputy > LESSER_SHARE * post_days

    def holding(self, entity: int, keys: list[str]) -> list[tuple[int, int]]:
        """`Entity.holding`, memoised: every role question reads its holders' tenures."""
        at = (entity, tuple(keys))
        spans = self._holding.get(at)
        if spans is None:
            spans = self._holding[at] = self.table.entities[entity].holding(keys)
        return spans

    def _active_days(self, entity: int) -> int:
        days = self._active.get(entity)
        if days is None:
            days = self._active[entity] = self.table.entities[entity].active_days()
        return days

    def holder_timeline(self, link: Link) -> tuple[np.ndarray, np.ndarray]:
        """Who of a role link's entities holds the role on each day: (first day ordinal of each
        stretch, its holder's entity id or -1). Of those the corpus states holding every role key on
        a day, the one weighed most: link strength x sentences x the share of its dated span in which
        it holds the role (a President the corpus calls "Vice President" on one day of four years is
        not the vice president that day), when it weighs HOLDER_DOMINANCE times the next; else -1. Only
        for a link of TIMELINE_CONFIDENCE: an unknown qualifier ("the nsdc secretary") leaves every
        minister a guess. "The vice president" at an article of 2023 is that day's.

        Memoised by the link's strengths (in their order), roles and confidence: every question on a
        role ("the press secretary") paints the same timeline. Callers only read the arrays."""
        at = (tuple(link.strengths.items()), tuple(link.held_roles), link.confidence)
        got = self._timelines.get(at)
        if got is None:
            if len(self._timelines) > 4096:
                self._timelines.clear()
            got = self._timelines[at] = self._holder_timeline(link)
        return got

    def _holder_timeline(self, link: Link) -> tuple[np.ndarray, np.ndarray]:
        runs: list[tuple[float, int, int, int]] = []  # (weight, first, last, entity)
        keys = link.held_roles
        if not keys or link.confidence < TIMELINE_CONFIDENCE:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        weights: dict[int, float] = {}
        for e, s in link.strengths.items():
            days = span_days(self.holding(e, keys))
            if days:
                weights[e] = s * max(self.table.entities[e].sentences, 1) * days / self._active_days(e)
        # The heaviest TIMELINE_HOLDERS, and none below TIMELINE_SHARE of the heaviest: one far lighter
        # holds no day another holds, nor keeps one from dominating it (and painting them all is slow).
        heaviest = max(weights.values(), default=0.0)
        kept = sorted(weights, key=lambda e: -weights[e])[:TIMELINE_HOLDERS]
        for e in kept:
            if weights[e] >= TIMELINE_SHARE * heaviest:
                runs += [(weights[e], lo, hi, e) for lo, hi in self.holding(e, keys)]
        if not runs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        starts = np.unique(np.array([r[1] for r in runs] + [r[2] + 1 for r in runs], dtype=np.int64))
        owner = np.full(len(starts), -1, dtype=np.int64)
        best = np.zeros(len(starts))
        second = np.zeros(len(starts))
        for w, lo, hi, e in runs:
            at = slice(int(np.searchsorted(starts, lo)), int(np.searchsorted(starts, hi + 1)))
            above = w > best[at]
            second[at] = np.where(above, best[at], np.maximum(second[at], w))
            owner[at] = np.where(above, e, owner[at])
            best[at] = np.maximum(best[at], w)
        # A day no holder dominates (ministers of many portfolios at once) has none: fail open.
        owner[best < HOLDER_DOMINANCE * second] = -1
        return starts, owner

    def _hyphenated(self, toks: list[str]) -> list[str]:
        """Two words that are one hyphenated name of a person of the corpus ("lvova belova" →
        "lvova-belova", "jean pierre" → "jean-pierre"): the question's words split the hyphen, the
        names keep it ("covid 19" stays two words)."""
        out: list[str] = []
        for w in toks:
            joined = f"{out[-1]}-{w}" if out and out[-1].isalpha() and w.isalpha() else ""
            people = [e for e in self.by_name.get(name_key(joined), []) if not self.table.entities[e].org]
            if joined and people:
                out[-1] = joined
            else:
                out.append(w)
        return out

    def _misspelt_role(self, word: str) -> str | None:
        """The role word a word the corpus holds far more rarely is a slip of the keys from
        ("presdient" → president, "secertary" → secretary), else None. A name's typo stays a name's."""
        if self.count is None or len(word) < 6 or ":" in word or word in role_words() or word in STOP_WORDS:
            return None
        near = process.extractOne(word, _long_role_words(), scorer=fuzz.ratio, score_cutoff=ROLE_FUZZY_CUTOFF)
        if near is None or self.count(word) * TYPO_RARITY >= self.count(str(near[0])):
            return None
        return str(near[0])

    def states(self, entity: int, phrase: str) -> bool:
        """Whether the corpus states every word of a role phrase of the entity: each role word's class,
        each country, each other word among its roles or names ("the commissioner for children's
        rights" is not the human rights commissioner, who holds "commissioner" and "rights" only)."""
        held = self.table.entities[entity].roles
        for w in _join_phrases([x for x in words(spelt_countries(phrase)) if x not in _PHRASE_FILLERS]):
            if w in STOP_WORDS:
                continue
            if w.startswith(("country:", "role:", "owner:")):
                if w.removeprefix("role:") not in held:
                    return False
            elif role_key(w) not in held and not self._qualified(entity, name_key(w)):
                return False
        return True

    def _owned(self, entity: int, owner_keys: list[str]) -> bool:
        """The corpus states the entity's role as that owner's ("owner:president")."""
        held = self.table.entities[entity].roles
        return all(k in held for k in owner_keys)

    def _holder_owns(self, name: str, entity: int) -> bool:
        """A person owner ("zelensky's chief of staff"): the entity's role is owned by an office that
        person holds (Zelensky is a president: "Head of the Office of the President"), of no other
        country than theirs."""
        ent = self.table.entities[entity]
        for p in self.by_name.get(name, []):
            person = self.table.entities[p]
            if person.org or p == entity:
                continue
            offices = {k for k in person.roles if k in _class_names() and k not in lesser_words()}
            countries_of = {k for k in person.roles if k.startswith("country:")}
            if any(f"owner:{k}" in ent.roles for k in offices) and not (
                countries_of and self._of_other_country(entity, countries_of)
            ):
                return True
        return False

    def _seat_bodies(self, phrase: str) -> list[int]:
        """The bodies named as a seat of government the phrase names ("the Kremlin", "the White House
        press office"): organisations whose name holds the seat's words and at most one more."""
        out = []
        for seat, _ in seats_in(phrase):
            keys = [name_key(w) for w in seat]
            for e in self.by_name.get(keys[-1], []):
                ent = self.table.entities[e]
                if ent.org and set(keys) <= set(ent.names) and len(ent.names) <= len(keys) + 1:
                    out.append(e)
        return out

    def _orgs_only(self, key: str) -> bool:
        return all(self.table.entities[e].org for e in self.by_name.get(key, []))

    def _qualified(self, entity: int, word: str, names: bool = True) -> bool:
        """The entity's roles (or names) hold the word, or a word of theirs begins with it. Whose aide
        someone is (`names=False`) is a role word of theirs, never their own name."""
        ent = self.table.entities[entity]
        for key in (*ent.roles, *(ent.names if names else ())):
            for part in key.removeprefix("country:").split("-"):
                if part == word or (len(word) >= 4 and part.startswith(word)):
                    return True
        return False

    def _headed(
        self, role_hits: list[tuple[str, list[int]]], head: str | None = None
    ) -> list[tuple[str, list[int]]]:
        """Only holders of the head role: the last role word ("the kremlin spokesman" is a spokesman,
        not whoever the corpus calls Russian), or `head`, the last before "to"/"of" ("the adviser to
        the head of the office" is an adviser); countries and other role words rank among those."""
        heads = [k for k, _ in role_hits if _office(k)]
        if not heads:
            return role_hits
        holders = set(self.by_role.get(head if head in heads else heads[-1], []))
        return [(k, [e for e in ents if e in holders]) for k, ents in role_hits]


_POSSESSIVE = re.compile(r"([^\W\d_][\w-]*)['’]s\b")


def possessors_in(phrase: str) -> set[str]:
    """Folded words written with a possessive 's ("zelensky's chief of staff" → {"zelensky"})."""
    return {fold(m.group(1)) for m in _POSSESSIVE.finditer(phrase)}


@cache
def _class_names() -> frozenset[str]:
    return frozenset(role_classes().values())


@lru_cache(maxsize=1)
def _long_role_words() -> list[str]:
    """Role words of six letters or more, sorted: the pool a misspelt role word is matched in."""
    return sorted(w for w in role_words() if len(w) >= 6 and " " not in w)


def _head_before_of(toks: list[str]) -> str | None:
    """The role key of a phrase's head when a "to" or "of" follows it ("adviser to the head of the
    president's office": adviser); None when the phrase has no such preposition after a role."""
    cut = next((i for i, w in enumerate(toks) if w in ("to", "of")), None)
    if cut is None:
        return None
    return next((role_key(w) for w in reversed(toks[:cut]) if _is_role(w)), None)


def _office(key: str) -> bool:
    """A role key that names the office itself ("spokesperson"), not whose it is (a country or an
    owner: "country:RU", "owner:president")."""
    return not key.startswith(("country:", "owner:"))


def _is_role(token: str) -> bool:
    return token.startswith("role:") or token in role_words()


def _role_of_words(phrase: str) -> set[str]:
    """Words right after "<role word> of" ("the mayor of london" → {"london"})."""
    ws = words(phrase)
    roles = role_words()
    return {ws[i + 2] for i in range(len(ws) - 2) if ws[i] in roles and ws[i + 1] == "of"}


def _role_in_words(phrase: str) -> set[str]:
    """The words (at most two, no stop words) of the place after "<role word> in/at" ("the delegate
    in congress" → {"congress"}, "the ambassador at the un" → {"un"})."""
    ws = words(phrase)
    roles = role_words()
    out: set[str] = set()
    for i in range(len(ws) - 1):
        if ws[i] in roles and ws[i + 1] in ("in", "at"):
            out.update([w for w in ws[i + 2 :] if w not in STOP_WORDS][:2])
    return out


def _given_names_agree(given: list[str], surname: str, names: list[str]) -> bool:
    """Whether typed given names fit an entity's: equal, an initial, or a near spelling of one."""
    theirs = [n for n in names if n != surname]
    if not given or not theirs:
        return True
    for g in given:
        ok = any(
            g == t
            or (len(g) == 1 and t.startswith(g))
            or (len(t) == 1 and g.startswith(t))
            or fuzz.ratio(translit(g), translit(t)) >= FUZZY_CUTOFF
            for t in theirs
        )
        if not ok:
            return False
    return True


def _first_vowel_changed(typed: str, name: str) -> bool:
    """Whether `typed` is `name` with another vowel in the name's first run of vowels (its first
    syllable, where most names are stressed): "schulz" ~ "scholz", "baden" ~ "biden"."""
    ops = list(Levenshtein.editops(typed, name))
    if len(ops) != 1 or ops[0].tag != "replace":
        return False
    i = ops[0].dest_pos
    if typed[ops[0].src_pos] not in _VOWELS or name[i] not in _VOWELS:
        return False
    first = next((j for j, c in enumerate(name) if c in _VOWELS), len(name))
    end = next((j for j in range(first, len(name)) if name[j] not in _VOWELS), len(name))
    return first <= i < end


def _stem_end(key: str) -> str:
    """A name key without its transliterated ending (name_key keeps short names' "i"): "saki" ~ "psaky"."""
    return key.rstrip("iy")


_TRANSLIT = (
    (re.compile(r"(?<=[^aeiou])yo"), "e"),
    (re.compile(r"(?<=[^aeiou])ye"), "e"),
    (re.compile(r"(?<=[^aeiou])ia"), "ya"),  # "Podoliak" ~ "Podolyak"
    (re.compile(r"shch"), "sch"),  # "Vereshchuk" ~ "Vereschuk"
    (re.compile(r"kh"), "h"),
)
# "Shmygal" ~ "Shmyhal", "Olga" ~ "Olha": Г as Russian and as Ukrainian transliterate it. Only for
# spellings compared whole: as a fuzzy matcher's processor it would part a typo from its name
# ("reagn" from "reagan").
_G_AS_H = re.compile(r"(?<=[a-z])g(?=[aeiouy])")


def spelt_key(key: str) -> str:
    """A name key as all its transliterations write it alike (`translit`, and Г as g or h)."""
    return _G_AS_H.sub("h", translit(key))


def translit(key: str) -> str:
    """A name key with the spellings transliterations differ in made one ("Degtyaryov" ~ "Degtyarev",
    "Kharkiv" ~ "Harkiv"), for comparing a typed name with the corpus's."""
    for pat, rep in _TRANSLIT:
        key = pat.sub(rep, key)
    return _stem_end(key)


def _join_phrases(toks: list[str]) -> list[str]:
    """Words naming a country ("russia", "united states") become `country:XX`; a role class's
    phrase ("press secretary", "head of state") becomes `role:<class>`."""
    table = countries()
    classes = role_classes()
    phrases = {" ".join(w for w in p.split() if w not in _PHRASE_FILLERS): classes[p] for p in role_phrases()}
    out: list[str] = []
    i = 0
    while i < len(toks):
        for n in (3, 2, 1):
            phrase = " ".join(toks[i : i + n])
            if len(toks[i : i + n]) < n:
                continue
            if n > 1 and phrase in phrases:
                out.append(f"role:{phrases[phrase]}")
                i += n
                break
            if phrase in table and phrase not in STOP_WORDS | everyday_country_forms():
                out.append(f"country:{table[phrase]}")
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def _overlaps(span: list[str] | None, period: Period) -> bool:
    if not span or not span[0]:
        return False
    lo, hi = span
    return (period.end is None or lo <= period.end.isoformat()) and (
        period.start is None or hi >= period.start.isoformat()
    )
