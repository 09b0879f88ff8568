"""Fit which neighbours of the first citation compete for the later slots (citing.ContextPolicy).

    python bench/fit_citations.py --index /tmp/extra-idx [--write]

The first citation is the ranking's and never changes; the policy only decides what citations 2 and 3
are. Each dev question is answered once, its candidates kept, and every policy of the grid re-cites
them (`AnswerBuilder.cite`), so the fit reads hit@3 only. Leave-one-set-out: the policy is chosen on
two dev sets (most hit@3; of equal ones the largest margin, the smallest lift, then the fewest
neighbours: the least change to the ranking's order) and scored on the third. `--write` fits on all
three and writes bot/answering/citing.json with the CV figures.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.shared_sets import DEV_SETS, SHARED, require_dev_sets
from bot.answering.citing import CONTEXT_FILE, AnswerBuilder, Candidate, ContextPolicy
from bot.corpus import Corpus
from bot.models import Citation

EXTRA = SHARED / "eval" / "extra-questions.jsonl"
BEFORE = (0, 1)
AFTER = (0, 1, 2)
MARGINS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, math.inf)
LIFTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


@dataclass
class Call:
    """One answer's last `cite` call: what a policy re-cites."""

    cands: list[Candidate]
    context: ContextPolicy | None
    voiced: bool
    exclude: frozenset[int]
    topic: tuple[str, ...]
    ordered: bool = False


@dataclass
class Case:
    set: str
    expect: list[str]
    call: Call | None
    first: str | None  # the sentence cited first as answered (must stay the same under every policy)


def collect(index: Path) -> tuple[AnswerBuilder, list[Case]]:
    corpus = Corpus(SHARED / "corpus-extra", index)
    corpus.open(check_stale=False)
    builder = corpus.snapshot.answerer.builder
    cite = builder.cite
    last: list[Call] = []

    def recording(
        cands: list[Candidate],
        trace: list[Candidate] | None = None,
        context: ContextPolicy | None = None,
        voiced: bool = False,
        exclude: frozenset[int] = frozenset(),
        topic: tuple[str, ...] = (),
        ordered: bool = False,
    ) -> list[Citation]:
        last[:] = [Call([replace(c) for c in cands], context, voiced, exclude, topic, ordered)]
        return cite(cands, trace, context, voiced, exclude, topic, ordered)

    builder.cite = recording  # type: ignore[method-assign]
    # No neighbour cited, but a finite margin: the ranked strategy's calls are told from those of a
    # strategy that cites neighbours only into empty slots (its margin is inf whatever the policy).
    builder.context = ContextPolicy(0, 0, 0.0)
    cases = []
    for path in [*DEV_SETS, EXTRA]:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if not row or not row.get("expect"):
                continue
            last.clear()
            ans = corpus.answer(row["question"])
            first = ans.citations[0].sentence if ans.citations else None
            call = last[0] if last and ans.found else None
            cases.append(Case(path.stem, row["expect"], call, first))
    builder.cite = cite  # type: ignore[method-assign]
    return builder, cases


def hits(builder: AnswerBuilder, cases: list[Case], policy: ContextPolicy) -> dict[str, list[int]]:
    """Per set: [hit@1, hit@3] of the answers re-cited under `policy`."""
    out: dict[str, list[int]] = {}
    for case in cases:
        got = out.setdefault(case.set, [0, 0])
        if case.call is None:
            continue
        ctx = case.call.context
        if ctx is not None:  # a strategy without the ranked scores keeps its inf margin
            ctx = replace(policy, margin=policy.margin if math.isfinite(ctx.margin) else math.inf)
        call = case.call
        cites = builder.cite(
            [replace(c) for c in call.cands], None, ctx, call.voiced, call.exclude, call.topic, call.ordered
        )
        assert cites and cites[0].sentence == case.first, "the first citation must not change"
        ranks = [r for r, c in enumerate(cites, 1) if any(e in c.sentence for e in case.expect)]
        got[0] += bool(ranks) and ranks[0] == 1
        got[1] += bool(ranks) and ranks[0] <= 3
    return out


def choose(results: dict[ContextPolicy, dict[str, list[int]]], sets: list[str]) -> ContextPolicy:
    return max(
        results,
        key=lambda p: (
            sum(results[p][s][1] for s in sets),
            p.margin,
            -p.lift,
            -(p.before + p.after),
            -p.before,
        ),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True, help="index of ../shared/corpus-extra")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    require_dev_sets()
    builder, cases = collect(args.index)
    grid = [
        ContextPolicy(b, a, m, lift)
        for b in BEFORE
        for a in AFTER
        for m in MARGINS
        for lift in LIFTS
        if b or a
    ] + [ContextPolicy()]
    results = {p: hits(builder, cases, p) for p in grid}
    none = results[ContextPolicy()]
    dev = [p.stem for p in DEV_SETS]
    cv: dict[str, Any] = {}
    for held in dev:
        train = [s for s in dev if s != held]
        best = choose(results, train)
        cv[held] = {"policy": best.to_json(), "hit@3": results[best][held][1], "without": none[held][1]}
        print(
            f"held out {held:26s} fitted {best}  hit@3 {results[best][held][1]} (without {none[held][1]})"
            f"  hit@1 {results[best][held][0]} (without {none[held][0]})"
        )
    best = choose(results, dev)
    print(f"all three: {best}")
    for s in [*dev, EXTRA.stem]:
        print(
            f"  {s:26s} hit@3 {none[s][1]} -> {results[best][s][1]}"
            f"   hit@1 {none[s][0]} -> {results[best][s][0]}"
        )
    if args.write:
        data = {
            "context": {**best.to_json(), "margin": best.margin if math.isfinite(best.margin) else None},
            "fitted_by": "bench/fit_citations.py (leave-one-set-out over the dev sets; hit@3)",
            "leave_one_set_out": cv,
        }
        CONTEXT_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {CONTEXT_FILE}")


if __name__ == "__main__":
    main()
