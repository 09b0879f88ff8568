"""Synthetic near-miss questions from the dev sets, and how many of them the answerer declines.

    python bench/near_misses.py --index /tmp/extra-idx [--out /tmp/near.jsonl] [--seed 7]

The dev sets' must-decline questions are all declined, so a decline threshold fitted on them learns
nothing about near misses: a question whose words match the corpus well but whose answer is not in it.
These are made from the dev questions by two documented procedures, each checked on the corpus so the
made question is one the corpus cannot answer:

1. subject swap: a said-question's subject (linked by name with confidence, a person) is given the
   topic of another dev question, when no article naming the subject's surname holds that topic's
   most specific term (highest idf): "what did <person> say about <another question's topic>".
2. country swap: a question naming a country in its topic gets another country instead, one that no
   article holding the question's most specific other topic term names (in any form):
   "how many people did <storm> kill in <a country its articles never name>".

Both are seeded (`--seed`); each made question keeps its source set, so `bench/fit_weights.py
--near` cross-validates on them with their set held out. The file is written under /tmp, not kept.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np
import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.shared_sets import DEV_SETS as DEV
from bench.shared_sets import SHARED, require_dev_sets
from bot.answering.answerer import SURE_LINK, Answerer
from bot.answering.questions import analyse
from bot.corpus import Corpus
from bot.entities.lexicon import country_of
from bot.text import fold, tokenize

PER_SOURCE = 1  # made questions per source question and procedure
MIN_COUNTRY_ARTICLES = 3  # a replacement country the corpus names at least this often (not exotic)


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Maker:
    """Reads the corpus through the answerer's own index to check each made question is a near miss."""

    def __init__(self, ans: Answerer, seed: int) -> None:
        self.ans = ans
        self.rng = random.Random(seed)
        self._arts: dict[str, frozenset[int]] = {}

    def articles(self, term: str) -> frozenset[int]:
        """The articles holding a term (a sentence or its title)."""
        if term not in self._arts:
            post = self.ans.retriever.postings(term)
            arts = np.asarray(self.ans.index.sent_article)[post] if len(post) else np.zeros(0, np.int64)
            self._arts[term] = frozenset(np.unique(arts).tolist())
        return self._arts[term]

    def names_of(self, arts: frozenset[int]) -> set[str]:
        """The names the articles hold (any form), to read the countries they name."""
        return {a for art in arts for a in self.ans.index.article_names(art)}

    def subject_swaps(self, rows: list[tuple[str, dict]]) -> list[dict]:
        topics = []
        for _, row in rows:
            q = analyse(row["question"])
            at = row["question"].lower().find(q.subject.lower()) if q.kind == "said" and q.subject else -1
            if at >= 0 and q.topic and len(q.topic_terms) >= 2:
                # The donor's words after its subject, verb included: "say after the bombing".
                topics.append((row["id"], row["question"][at + len(q.subject) :].strip(), q.topic_terms))
        out = []
        for set_name, row in rows:
            q = analyse(row["question"])
            if q.kind != "said" or not q.subject or not row.get("expect"):
                continue
            link = self.ans.linker.link(q.subject)
            best = link.best
            if best is None or link.how not in {"name", "surname", "fuzzy"} or link.confidence < SURE_LINK:
                continue
            ent = self.ans.entities.entities[best]
            if ent.org or not ent.display.split():
                continue
            surname = tokenize(ent.display.split()[-1])
            if not surname:
                continue
            theirs = self.articles(surname[-1])
            fits = []
            for tid, topic, terms in topics:
                rarest = self.ans.absence.rarest(terms)
                if tid != row["id"] and rarest is not None and not theirs & self.articles(rarest):
                    fits.append((tid, topic))
            for tid, topic in self.rng.sample(fits, min(PER_SOURCE, len(fits))):
                out.append(
                    {
                        "id": f"near-subject-{row['id']}-{tid}",
                        "question": f"what did {q.subject} {topic}",
                        "expect": [],
                        "type": "decline",
                        "set": set_name,
                        "phenomena": ["synthetic-subject-swap"],
                    }
                )
        return out

    def country_swaps(self, rows: list[tuple[str, dict]]) -> list[dict]:
        names = sorted(
            {
                f
                for f in (fold(getattr(c, "common_name", None) or c.name) for c in pycountry.countries)
                if re.fullmatch(r"[a-z]+", f) and len(self.articles(tokenize(f)[0])) >= MIN_COUNTRY_ARTICLES
            }
        )
        out = []
        for set_name, row in rows:
            if not row.get("expect"):
                continue
            q = analyse(row["question"])
            topic = q.topic_terms if q.kind == "said" else q.terms
            for m in re.finditer(r"[\w’'-]+", row["question"]):
                w = m.group(0)
                bare = re.sub(r"(?:’s|'s)$", "", w)
                code = country_of(bare)
                if code is None or fold(bare) not in names:  # a country's name, not a demonym
                    continue
                if tokenize(bare)[0] not in topic:
                    continue
                rest = [t for t in topic if t != tokenize(bare)[0]]
                rarest = self.ans.absence.rarest(rest)
                if rarest is None:
                    continue
                arts = self.articles(rarest)
                fits = [
                    n
                    for n in names
                    if country_of(n) != code
                    and not arts & self.articles(tokenize(n)[0])
                    and not any(
                        country_of(a) == country_of(n)
                        for art in arts
                        for a in self.ans.index.article_names(art)
                    )
                ]
                for n in self.rng.sample(fits, min(PER_SOURCE, len(fits))):
                    made = row["question"][: m.start()] + n + w[len(bare) :] + row["question"][m.end() :]
                    out.append(
                        {
                            "id": f"near-country-{row['id']}-{n}",
                            "question": made,
                            "expect": [],
                            "type": "decline",
                            "set": set_name,
                            "phenomena": ["synthetic-country-swap"],
                        }
                    )
                break
        return out


def make(ans: Answerer, seed: int) -> list[dict]:
    rows = [(p.stem, row) for p in DEV for row in load(p)]
    maker = Maker(ans, seed)
    return maker.subject_swaps(rows) + maker.country_swaps(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=Path("/tmp/near-misses.jsonl"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    require_dev_sets()
    corpus = Corpus(SHARED / "corpus-extra", args.index)
    corpus.open(check_stale=False)
    ans = corpus.snapshot.answerer
    made = make(ans, args.seed)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in made), encoding="utf-8")
    print(f"wrote {len(made)} near misses to {args.out}")
    by: dict[tuple[str, str], list[int]] = {}
    for r in made:
        declined = not ans.answer(r["question"]).found
        got = by.setdefault((r["set"], r["phenomena"][0]), [0, 0])
        got[0] += declined
        got[1] += 1
    for (s, p), (d, n) in sorted(by.items()):
        print(f"  {s:26s} {p:24s} declined {d}/{n}")
    d = sum(v[0] for v in by.values())
    print(f"  all near misses declined {d}/{len(made)}")


if __name__ == "__main__":
    main()
