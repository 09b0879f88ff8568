"""Answer quality per question set and per tag (`type`, `subject`, `phenomena`), before/after.

    python bench/eval_dev.py --index /tmp/extra-idx [--save /tmp/after.json] [--before /tmp/before.json]
    python bench/eval_dev.py --index /tmp/extra-idx --bm25      # plain BM25: the top sentence

Runs the three dev sets and `extra-questions.jsonl` on `../shared/corpus-extra` (and the seed set
with `--seed-index`, and any `--also` file). Every set is reported on its own: a change is kept
only when it helps each. With `--before`, each row shows the earlier figure beside the new one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.shared_sets import DEV_SETS, SHARED, require_dev_sets
from bot.corpus import Corpus
from bot.models import Answer, Citation

EXTRA = SHARED / "eval" / "extra-questions.jsonl"
SEED = SHARED / "eval" / "seed-questions.jsonl"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rank_of(ans: Answer, expect: list[str]) -> int | None:
    for r, c in enumerate(ans.citations, 1):
        if any(e in c.sentence for e in expect):
            return r
    return None


def score_set(rows: list[dict], ask: Callable[[str], Answer]) -> list[dict]:
    """One record per question: its tags and how the answer did."""
    out = []
    for row in rows:
        ans = ask(row["question"])
        expect = row.get("expect") or []
        rank = rank_of(ans, expect) if expect else None
        out.append(
            {
                "id": row.get("id") or row["question"],
                "type": row.get("type") or "-",
                "subject": row.get("subject") or "-",
                "phenomena": row.get("phenomena") or [],
                "answerable": bool(expect),
                "found": ans.found,
                "rank": rank,
            }
        )
    return out


def summary(recs: list[dict]) -> dict[str, tuple[int, int, int, int, int, int]]:
    """tag → (hit@1, hit@3, answerable, answerable declined, declined, to decline)."""
    groups: dict[str, list[dict]] = {"ALL": recs}
    for r in recs:
        groups.setdefault(f"type={r['type']}", []).append(r)
        if r["answerable"]:
            groups.setdefault(f"subject={r['subject']}", []).append(r)
            for p in r["phenomena"]:
                groups.setdefault(f"ph={p}", []).append(r)
    out = {}
    for tag, rs in groups.items():
        ans = [r for r in rs if r["answerable"]]
        dec = [r for r in rs if not r["answerable"]]
        out[tag] = (
            sum(r["rank"] == 1 for r in ans),
            sum(r["rank"] is not None and r["rank"] <= 3 for r in ans),
            len(ans),
            sum(not r["found"] for r in ans),
            sum(not r["found"] for r in dec),
            len(dec),
        )
    return out


def bm25_asker(corpus: Corpus) -> Callable[[str], Answer]:
    """Plain BM25: the top sentence for the question's terms, never declining."""
    from bot.text import tokenize

    snap = corpus.snapshot
    idx, retriever = snap.index, snap.answerer.retriever

    def ask(question: str) -> Answer:
        hits = retriever.top(tokenize(question), k=3)
        cites = [
            Citation(
                article_id=idx.articles[int(idx.sent_article[s])]["article_id"],
                title="",
                sentence=idx.sentence(s),
                score=sc,
            )
            for s, sc in hits
        ]
        return Answer(question=question, found=bool(cites), text="", citations=cites)

    return ask


def fmt(row: tuple[int, ...], old: tuple[int, ...] | None) -> str:
    h1, h3, n, ad, d, nd = row
    s = f"{h1:3d}/{n:<3d} @3 {h3:3d}  declined {d}/{nd} (answerable declined {ad})"
    if old is not None:
        s += f"   before {old[0]}/{old[2]} @3 {old[1]} dec {old[4]}/{old[5]} ad {old[3]}"
    return s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True, help="index of ../shared/corpus-extra")
    ap.add_argument("--seed-index", type=Path, help="index of the bundled corpus (adds the seed set)")
    ap.add_argument("--bm25", action="store_true", help="score plain BM25 instead of the answerer")
    ap.add_argument("--save", type=Path, help="write the per-question records here (JSON)")
    ap.add_argument("--before", type=Path, help="records saved by an earlier run, shown alongside")
    ap.add_argument("--tags", action="store_true", help="print every tag row, not only ALL and types")
    ap.add_argument(
        "--also",
        type=Path,
        action="append",
        default=[],
        help="another question file on corpus-extra (a fresh set), reported on its own; repeatable",
    )
    args = ap.parse_args()
    require_dev_sets()

    corpus = Corpus(SHARED / "corpus-extra", args.index)
    corpus.open(check_stale=False)
    ask = bm25_asker(corpus) if args.bm25 else corpus.answer
    sets = {p.stem: p for p in DEV_SETS} | {"extra": EXTRA} | {p.stem: p for p in args.also}
    records = {name: score_set(load(path), ask) for name, path in sets.items()}
    if args.seed_index:
        seed = Corpus(Path(__file__).resolve().parents[1] / "corpus", args.seed_index)
        seed.open(check_stale=False)
        records["seed"] = score_set(load(SEED), bm25_asker(seed) if args.bm25 else seed.answer)
    dev = [r for name, recs in records.items() if name.startswith("dev-") for r in recs]
    records_all = {**records, "dev-combined": dev}
    before = json.loads(args.before.read_text()) if args.before else {}
    for name, recs in records_all.items():
        old = summary(before[name]) if name in before else {}
        print(f"== {name}")
        for tag, row in sorted(summary(recs).items(), key=lambda kv: (kv[0] != "ALL", kv[0])):
            if args.tags or tag == "ALL" or tag.startswith("type="):
                print(f"  {tag:28s} {fmt(row, old.get(tag))}")
    if args.save:
        args.save.write_text(json.dumps(records_all, indent=0))


if __name__ == "__main__":
    main()
