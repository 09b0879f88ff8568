"""Fit the answer scoring weights (bot/answering/weights.json) on the three dev sets.

    python bench/fit_weights.py --index /tmp/extra-idx [--write] [--ablate] [--also FILE ...]

Each dev question's candidate sentences and their features come from the answerer itself; a
candidate is positive when it holds an expected substring. Per strategy group ("said", "other")
the weights maximise the conditional log-likelihood of the positives among each question's
candidates (a listwise logistic model, L-BFGS, L2-regularised), with a correction per question kind
of the group ("other:where") shrunk toward the group's weights. The decline threshold is the
best score below which answering loses more than it wins on the training questions, with at most
`MAX_ANSWERABLE_DECLINED` of answerable questions declined.

Cross-validation is leave-one-set-out across the three authors' sets: fit on two, score the third.
`--ablate` refits without each feature in turn and reports the cross-validated hit@1 it costs.
`--write` fits on all three sets and writes the weights with the CV figures.

`--also FILE` (repeatable) adds a further author's question file (on corpus-extra) as a training set.
Three dev sets say little of how weights carry to authors they were not fitted on, so each set is then
held out in turn over all the sets, beside the dev-only figures: the dev sets' leave-one-set-out and
the further sets scored by weights fitted on the dev sets alone (held out by construction). `--write`
then fits on every set given, and `--ablate` also says what dropping each feature costs each set when
fitted on the dev sets only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.shared_sets import DEV_SETS as DEV
from bench.shared_sets import SHARED, require_dev_sets
from bot.answering.scoring import FEATURES, GATED, GROUPS, UNWEIGHTED, WEIGHTS_FILE, Weights, base_group
from bot.corpus import Corpus

L2 = 0.05
# A kind's correction to its group's weights is fitted on columns scaled by KIND_SCALE, so its L2
# penalty is 1 / KIND_SCALE² times the shared weights': with ~15-25 questions of a kind, it moves the
# group's weights only where the kind's questions agree. Kinds with fewer questions keep the group's.
KIND_SCALE = 0.3
MIN_KIND_QUESTIONS = 8
MAX_ANSWERABLE_DECLINED = 0.04
MAX_ANSWERABLE_SHARE = 0.05  # a held-out set (dev or fresh) must decline under this share of its answerable
GATE_COLS = [FEATURES.index(f) for f in GATED]
GATE_GRID = np.linspace(0, 0.9, 19)  # each gated feature lies in 0…1
#: How the answerer words a decline by the fitted thresholds (`Weights.decline_reason`): any other
#: decline is made by a check the fit does not choose.
FITTED_REASONS = ("best score", "best candidate's")
GATE_GRIDS = {"rarest_in_block": np.array([0.0, 1.0])}  # a 0/1 feature: gated or not
DEV_NAMES = [p.stem for p in DEV]
CV_KEYS = ("hit1", "answerable", "declined", "to_decline", "answerable_declined", "hit1_before_declining")


@dataclass
class Item:
    set: str
    answerable: bool
    group: str | None  # None: declined before ranking (no candidates)
    X: np.ndarray
    y: np.ndarray  # 1 where the candidate holds an expected substring
    has_topic: bool = False  # only then may a weak best candidate decline
    fixed_hit: bool = False  # unranked strategies (who-is): whether its answer was right
    # Declined by a check that is no fitted threshold (a name the article lacks, no topic word beyond
    # the names): declined whatever the thresholds, so they neither win nor lose by declining it.
    declined_otherwise: bool = False
    near: bool = False  # a synthetic near miss (bench/near_misses.py), not an author's question


def collect(index: Path, near: Path | None = None, files: list[Path] | None = None) -> list[Item]:
    """Each dev question's candidates (or those of `files`, each a set); with `near`
    (bench/near_misses.py), its synthetic near misses too, as must-decline questions of the set
    they were made from."""
    corpus = Corpus(SHARED / "corpus-extra", index)
    corpus.open(check_stale=False)
    ans = corpus.snapshot.answerer
    items = []
    rows = [(p.stem, line) for p in files or DEV for line in p.read_text(encoding="utf-8").splitlines()]
    if near is not None:
        rows += [("", line) for line in near.read_text(encoding="utf-8").splitlines()]
    for stem, line in rows:
        if not line.strip():
            continue
        row = json.loads(line)
        set_name = stem or row["set"]
        expect = row.get("expect") or []
        answer, group, cands, has_topic = ans.answer_with_candidates(row["question"])
        if cands is None or not len(cands.sents):
            hit = bool(expect and answer.citations and any(e in answer.citations[0].sentence for e in expect))
            empty = np.zeros((0, len(FEATURES)))
            items.append(Item(set_name, bool(expect), None, empty, np.zeros(0), fixed_hit=hit, near=not stem))
            continue
        y = np.array([any(e in ans.index.sentence(int(s)) for e in expect) for s in cands.sents], float)
        why = ans.last_decline or ""
        otherwise = not answer.found and not why.startswith(FITTED_REASONS)
        items.append(Item(set_name, bool(expect), group, cands.X, y, has_topic, False, otherwise, not stem))
    return items


def fit_group(items: list[Item], mask: np.ndarray) -> np.ndarray:
    """Listwise logistic weights over the questions that have a positive candidate."""
    data = [(it.X[:, mask], it.y) for it in items if it.answerable and it.y.any()]
    d = int(mask.sum())
    if not data:
        return np.zeros(d)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = L2 * float(w @ w), 2 * L2 * w
        for X, y in data:
            s = X @ w
            s = s - s.max()
            p = np.exp(s)
            p /= p.sum()
            pos = p * y
            q = pos / pos.sum()
            total -= float(np.log(pos.sum()))
            grad = grad + X.T @ (p - q)
        return total / len(data), grad / len(data)

    res = minimize(loss, np.zeros(d), jac=True, method="L-BFGS-B")
    return res.x


def fit(items: list[Item], drop: Collection[str] = ()) -> Weights:
    """Per group, shared weights and a shrunk correction per kind ("other:where"), fitted jointly:
    each kind's questions see their features twice, once as the group's columns and once (scaled
    by KIND_SCALE) as the kind's own."""
    mask = np.array([f not in drop and f not in UNWEIGHTED for f in FEATURES])
    by_group, decline, gates = {}, {}, {}
    for g in GROUPS:
        mine = [it for it in items if it.group is not None and base_group(it.group) == g]
        counts = Counter(it.group for it in mine if it.answerable and it.y.any())
        kinds = sorted(k for k, n in counts.items() if k != g and n >= MIN_KIND_QUESTIONS)
        d = int(mask.sum())
        wide = [_widened(it, mask, kinds) for it in mine]
        w_all = fit_group(wide, np.ones(d * (1 + len(kinds)), dtype=bool))
        w = np.zeros(len(FEATURES))
        w[mask] = w_all[:d]
        by_group[g] = w
        for i, k in enumerate(kinds, 1):
            wk = w.copy()
            wk[mask] += KIND_SCALE * w_all[i * d : (i + 1) * d]
            by_group[k] = wk
        decline[g], gates[g] = thresholds(
            mine, Weights(by_group, {}), sum(it.answerable for it in items), drop
        )
    return Weights(by_group, decline, gates)


def _widened(it: Item, mask: np.ndarray, kinds: list[str]) -> Item:
    """The item's features as the group's columns, then KIND_SCALE × them in its kind's block."""
    X = it.X[:, mask]
    blocks = [X] + [X * KIND_SCALE if it.group == k else np.zeros_like(X) for k in kinds]
    return Item(
        it.set,
        it.answerable,
        it.group,
        np.hstack(blocks),
        it.y,
        it.has_topic,
        declined_otherwise=it.declined_otherwise,
    )


def thresholds(
    items: list[Item], weights: Weights, n_answerable: int, drop: Collection[str] = ()
) -> tuple[float, dict[str, float]]:
    """The score threshold and one minimum per gated feature (of the best candidate) that win most
    (hits kept + declines made) on the group's questions, declining at most MAX_ANSWERABLE_DECLINED
    of `n_answerable` (all answerable training questions, so each group may use that share). The
    grid is searched loosest first, in GATED order; a tie keeps the first found. A dropped feature
    is not gated on. A question declined otherwise (`Item.declined_otherwise`) counts as declined
    under every choice: against the answerable share, and for no win."""
    gated = [(f, c) for f, c in zip(GATED, GATE_COLS, strict=True) if f not in drop]
    score, values, topical, answerable, hit = [], [], [], [], []
    other = np.array([it.declined_otherwise for it in items], bool)
    for it in items:
        s = weights.score(it.group or "", it.X)
        top = int(np.argmax(s))
        score.append(float(s[top]))
        values.append([float(it.X[top, c]) for _, c in gated])
        topical.append(it.has_topic)
        answerable.append(it.answerable)
        hit.append(int(it.answerable and len(it.y) > 0 and it.y[top] > 0))
    sc, val = np.array(score), np.array(values).reshape(len(items), len(gated))
    top_ok, ans, hits = np.array(topical, bool), np.array(answerable, bool), np.array(hit, bool)
    cuts = sorted({x for x, t in zip(score, topical, strict=True) if t})
    grid = [-1e9] + [cuts[int(i)] for i in np.linspace(0, len(cuts) - 1, min(len(cuts), 40))]
    best, choice = -1, (-1e9, {f: 0.0 for f, _ in gated})
    for ts in grid:
        for mins in itertools.product(*(GATE_GRIDS.get(f, GATE_GRID) for f, _ in gated)):
            dec = other | (top_ok & ((sc < ts) | (val < np.array(mins)).any(axis=1)))
            if int((dec & ans).sum()) > MAX_ANSWERABLE_DECLINED * n_answerable:
                continue
            value = int((hits & ~dec).sum() + (dec & ~ans).sum())
            if value > best:
                best, choice = value, (ts, {f: float(m) for (f, _), m in zip(gated, mins, strict=True)})
    return choice


def score(items: list[Item], weights: Weights) -> tuple[int, int, int, int, int, int]:
    """(hit@1, answerable, declined right, to decline, answerable declined, hit@1 before declining)."""
    h = n = d = nd = ad = ranked = 0
    for it in items:
        if it.group is None:
            declined, top_hit = not it.fixed_hit, it.fixed_hit
        else:
            s = weights.score(it.group, it.X)
            top = int(np.argmax(s))
            declined = it.has_topic and weights.declines(it.group, float(s[top]), it.X[top])
            declined = declined or it.declined_otherwise
            top_hit = bool(it.y[int(np.argmax(s))]) if it.answerable else False
        if it.answerable:
            n += 1
            ranked += top_hit
            h += top_hit and not declined
            ad += declined
        else:
            nd += 1
            d += declined
    return h, n, d, nd, ad, ranked


def cross_validate(items: list[Item], drop: Collection[str] = ()) -> dict[str, tuple[int, ...]]:
    out: dict[str, tuple[int, ...]] = {}
    for held in sorted({it.set for it in items}):
        w = fit([it for it in items if it.set != held], drop)
        out[held] = score([it for it in items if it.set == held], w)
    return out


def held_out_by(
    items: list[Item], train: Collection[str], drop: Collection[str] = ()
) -> dict[str, tuple[int, ...]]:
    """Leave-one-set-out over the `train` sets, and every other set scored by the weights fitted on all
    of `train` (none of its questions was fitted on): each set's figures as an unseen set's."""
    out = cross_validate([it for it in items if it.set in train], drop)
    rest = sorted({it.set for it in items} - set(train))
    if rest:
        w = fit([it for it in items if it.set in train], drop)
        for s in rest:
            out[s] = score([it for it in items if it.set == s], w)
    return out


def compare(only_dev: dict[str, tuple[int, ...]], all_sets: dict[str, tuple[int, ...]]) -> str:
    """Per set, held-out hit@1 fitted on the dev sets only and on all the sets, and the change."""
    lines = [f"  {'set':28s} {'dev only':>10s} {'all sets':>10s}   change"]
    for k, (h, n, *_) in only_dev.items():
        h2 = all_sets[k][0]
        lines.append(f"  {k:28s} {f'{h}/{n}':>10s} {f'{h2}/{n}':>10s}   {h2 - h:+d}")
    return "\n".join(lines)


def show(cv: dict[str, tuple[int, ...]]) -> str:
    return "  ".join(
        f"{k}: {h}/{n} dec {d}/{nd} ad {ad} (ranked {r})" for k, (h, n, d, nd, ad, r) in cv.items()
    )


def acceptable(scores: dict[str, tuple[int, ...]]) -> bool:
    """Every set declines under MAX_ANSWERABLE_SHARE of its answerable questions."""
    return all(ad < MAX_ANSWERABLE_SHARE * n for _, n, _, _, ad, _ in scores.values())


def per_set(items: list[Item], w: Weights) -> dict[str, tuple[int, ...]]:
    return {s: score([it for it in items if it.set == s], w) for s in sorted({it.set for it in items})}


def choose(
    items: list[Item], fresh: list[Item]
) -> tuple[list[Item], dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """The training questions to fit the thresholds on: the dev sets alone, or with their near misses
    (`Item.near`). Each is cross-validated across the dev sets (near misses held out with their set);
    one is acceptable when no held-out dev set, and no `fresh` set under the fit on all, declines
    MAX_ANSWERABLE_SHARE or more of its answerable questions. Of the acceptable, the most CV hits,
    then the most held-out near misses declined (the best of the others when none is)."""
    best: tuple[bool, tuple[int, int]] | None = None
    chosen = [it for it in items if not it.near]
    cv_chosen: dict[str, tuple[int, ...]] = {}
    near_chosen: dict[str, tuple[int, ...]] = {}
    variants = {"dev sets": chosen, "dev sets + near misses": items} if any(it.near for it in items) else {}
    for name, train in variants.items() or {"dev sets": chosen}.items():
        cv: dict[str, tuple[int, ...]] = {}
        near: dict[str, tuple[int, ...]] = {}
        for held in sorted({it.set for it in items}):
            w = fit([it for it in train if it.set != held])
            cv[held] = score([it for it in items if it.set == held and not it.near], w)
            near[held] = score([it for it in items if it.set == held and it.near], w)
        on_fresh = per_set(fresh, fit(train)) if fresh else {}
        ok = acceptable(cv) and acceptable(on_fresh)
        made = sum(v[2] for v in near.values())
        print(f"{name}: CV {show(cv)}  (sum {sum(v[0] for v in cv.values())})")
        print(f"  near misses declined (held out) {made}/{sum(v[3] for v in near.values())}")
        if on_fresh:
            print(f"  fresh sets (fit on all): {show(on_fresh)}")
        verdict = "acceptable" if ok else "not acceptable"
        print(f"  {verdict}: answerable declined < {MAX_ANSWERABLE_SHARE:.0%} of each set's")
        key = (sum(v[0] for v in cv.values()), made)
        if best is None or (ok, key) > best:
            best, chosen, cv_chosen, near_chosen = (ok, key), train, cv, near
    return chosen, cv_chosen, near_chosen


def _changes(after: dict[str, tuple[int, ...]], before: dict[str, tuple[int, ...]]) -> str:
    return "  ".join(f"{k} {after[k][0] - v[0]:+d}" for k, v in before.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--ablate", action="store_true")
    ap.add_argument(
        "--near", type=Path, help="near misses from bench/near_misses.py, fitted as must-declines"
    )
    ap.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a further question file (corpus-extra) to train on; repeatable",
    )
    ap.add_argument(
        "--fresh", type=Path, action="append", default=[], help="a further question set the fit must keep"
    )
    args = ap.parse_args()
    require_dev_sets()
    paths = [*DEV, *args.also]
    if len({p.stem for p in paths}) < len(paths):
        ap.error("two question files share a name: each set is named by its file's stem")
    items = collect(args.index, args.near, files=paths)
    fresh = collect(args.index, files=args.fresh) if args.fresh else []
    reach = sum(1 for it in items if it.answerable and it.y.any())
    print(f"{len(items)} questions; {reach} answerable with the answer among the candidates")
    train, cv, _ = choose(items, fresh)
    total = sum(v[0] for v in cv.values())
    print(f"leave-one-set-out hit@1: {show(cv)}  (sum {total})")
    if args.also:
        only_dev = held_out_by(items, DEV_NAMES)
        print(f"fitted on the dev sets only: {show(only_dev)}  (sum {sum(v[0] for v in only_dev.values())})")
        print("held-out hit@1 per set, fitted without / with the further sets:")
        print(compare(only_dev, cv))
    if args.ablate:
        for f in FEATURES[1:]:
            cvf = cross_validate(train, drop={f})
            print(f"  without {f:20s} {sum(v[0] for v in cvf.values()) - total:+d}  {show(cvf)}")
            if args.also:  # and what it costs each set held out from a fit on the dev sets only
                dev_f = held_out_by(items, DEV_NAMES, drop={f})
                print(f"  {'':28s} dev-only fit: " + _changes(dev_f, only_dev))
    if args.write:
        w = fit(train)
        near = " and their near misses" if any(it.near for it in train) else ""
        extra = {
            "fitted_by": f"bench/fit_weights.py (listwise logistic, L2 {L2}) on "
            + ", ".join(p.stem for p in paths)
            + near,
            "leave_one_set_out": {k: dict(zip(CV_KEYS, v, strict=True)) for k, v in cv.items()},
        }
        WEIGHTS_FILE.write_text(json.dumps(w.to_json(extra), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
