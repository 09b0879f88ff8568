"""One scoring function over named candidate features, with weights fitted by `bench/fit_weights.py`.

A candidate sentence's score is `w_group · f`, where `f` are the features of `FEATURES` and the
group is the question's strategy ("said" or "other"): the same features, weighted per strategy,
and within "other" per kind where the fit found a (shrunk) correction ("other:where").
The weights live in `weights.json` beside this module, with the cross-validation figures they
were fitted with; nothing here is tuned by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("weights.json")

#: The candidate features, in column order. Each is documented where it is computed
#: (bot.answering.features); all lie in 0…1 except where noted there.
FEATURES = (
    "bias",  # 1: lets the decline threshold sit at 0
    "bm25_question",  # BM25 of the whole question / the best candidate's
    "bm25_topic",  # BM25 of the topic (question less its subject and question words) / best
    "topic_coverage",  # idf share of the topic's terms in the sentence itself
    "context_coverage",  # idf share of the topic's terms in the sentence, its two neighbours and title
    "speaker_link",  # link strength × confidence of the sentence's speaker to the subject
    "direct_quote",  # quoted, tweeted, a transcript label or a continued quote
    "subject_named",  # share of the subject's words in the sentence
    "title_coverage",  # idf share of the topic's terms in the article title
    "lead_in_topic",  # idf share of the topic's terms in the sentence before (same article)
    "addressee_match",  # share of the addressee's words in the sentence, the two before, or their speakers
    "lead_in_next",  # the previous sentence of the same article is a top BM25 hit (answer follows lead-in)
    "typed_evidence",  # holds what the kind asks for: a date, a count, a place
    "number_near_topic",  # a count within three words of a topic term (how many / how much)
    "date_match",  # the article's date is in the period the question names
    "recency",  # 0 oldest … 1 newest article
    "is_question",  # the sentence asks ("…?", a reporter's "Q …"): a question is rarely its own answer
    "article_coverage",  # idf share of the topic's terms anywhere in the sentence's article
    "names_held",  # share of the question's names (other than its subject) in the sentence, neighbours, title
    "after_echo",  # lead_in_topic × the share of the sentence's own terms the question lacks
    "cause_evidence",  # why: a cause cue ("because", "due to"), apart from typed_evidence's kinds
    "adds_to_topic",  # idf share of the topic in the sentence or the one before × the sentence's novelty
    "turn_position",  # said: sentences since the speaker's turn began (same speaker, same article), 0…1
    "block_share",  # the sentence's share of the topic idf its block (its speaker's run, ±2) holds, or 0
    "synonym_coverage",  # idf share of the topic's terms missing from the context but a synonym of each there
    "reported_on",  # said: an unattributed sentence in the linked speaker's reported speech, × link strength
    "after_premise",  # idf share of the premise terms (questions.premise) in the sentence before, same block
    "article_bm25",  # said: BM25 of the question over the sentence's article as one document / the best
    "points_back",  # reports that the speech before it was made and holds none of it (content.points_back)
    "occasion_title",  # idf share of the occasion's terms (questions.occasion) in the article title
)
GROUPS = ("said", "other")  # a third group for when/where/how-many cost 4 CV hits (kremlin -7)
#: A group's questions of one kind may also have weights of their own, "other:where": the group's
#: weights plus a per-kind correction the fit shrinks toward zero (few questions per kind).
KIND_SEP = ":"


def kind_group(group: str, kind: str) -> str:
    """The weights' name for a kind within a group ("other:where"); "said" is one kind already."""
    return group if group == "said" else f"{group}{KIND_SEP}{kind}"


def base_group(group: str) -> str:
    return group.split(KIND_SEP, 1)[0]


#: Features the fit may also gate on: with a topic, a best candidate whose value is under the group's
#: fitted threshold declines however high it scores (it does not hold the thing asked for).
GATED = ("article_coverage", "context_coverage")
#: Features that get no weight in the score: they say whether a sentence may answer at all (a gate,
#: or the answerer's filter of a person's when/where to the names the question holds).
UNWEIGHTED = ("article_coverage", "names_held")


@dataclass
class Weights:
    by_group: dict[str, np.ndarray]
    decline_below: dict[str, float]  # a best score under this declines (no evidence strong enough)
    gates: dict[str, dict[str, float]] = field(default_factory=dict)  # group → feature → minimum

    def weights_of(self, group: str) -> np.ndarray:
        """A group's weights; a kind the file lacks scores as its group does, a group it lacks as "other"."""
        got = self.by_group.get(group) if group in self.by_group else self.by_group.get(base_group(group))
        return got if got is not None else self.by_group.get("other", next(iter(self.by_group.values())))

    def score(self, group: str, X: np.ndarray) -> np.ndarray:
        scores: np.ndarray = X @ self.weights_of(group)
        return scores

    def contributions(self, group: str, x: np.ndarray) -> dict[str, float]:
        w = self.weights_of(group)
        return {f: float(v * wt) for f, v, wt in zip(FEATURES, x, w, strict=True)}

    def to_json(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": {
                g: dict(zip(FEATURES, w.round(4).tolist(), strict=True)) for g, w in self.by_group.items()
            },
            "decline_below": self.decline_below,
            "gates": self.gates,
            **(extra or {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Weights:
        by_group = {
            g: np.array([float(ws.get(f, 0.0)) for f in FEATURES]) for g, ws in data["weights"].items()
        }
        decline = {g: float(v) for g, v in data.get("decline_below", {}).items()}
        gates = {g: {f: float(v) for f, v in fs.items()} for g, fs in data.get("gates", {}).items()}
        for g, v in data.get("min_context", {}).items():  # files fitted before gates were general
            gates.setdefault(g, {})["context_coverage"] = float(v)
        return cls(by_group, decline, gates)

    def declines(self, group: str, best_score: float, best: np.ndarray) -> bool:
        """Whether the best candidate (its score and feature row) is too weak to answer with."""
        return self.decline_reason(group, best_score, best) is not None

    def decline_reason(self, group: str, best_score: float, best: np.ndarray) -> str | None:
        """Why the best candidate is too weak to answer with (for --explain), or None."""
        group = base_group(group)  # thresholds are fitted per group, over its kinds' scores
        floor = self.decline_below.get(group, -1e9)
        if best_score < floor:
            return f"best score {best_score:.2f} < fitted minimum {floor:.2f}"
        f = self.failed_gate(group, best)
        if f is not None:
            value, minimum = best[FEATURES.index(f)], self.gates[group][f]
            return f"best candidate's {f} {value:.2f} < fitted minimum {minimum:.2f}"
        return None

    def failed_gate(self, group: str, best: np.ndarray) -> str | None:
        """The first gated feature the best candidate is under its group's minimum on, or None."""
        for f, v in self.gates.get(group, {}).items():
            if best[FEATURES.index(f)] < v:
                return f
        return None


def default_weights() -> Weights:
    """Before any fit: BM25, the speaker link and coverage, equally; never declines on score."""
    w = np.zeros(len(FEATURES))
    for f in ("bm25_question", "bm25_topic", "topic_coverage", "speaker_link"):
        w[FEATURES.index(f)] = 1.0
    return Weights({g: w.copy() for g in GROUPS}, {g: -1e9 for g in GROUPS})


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    if not path.exists():
        return default_weights()
    return Weights.from_json(json.loads(path.read_text(encoding="utf-8")))
