"""Date-constrained questions over ../shared/corpus-scale (White House, 2021–2026): hit@1 per kind of period.

    python bench/date_questions.py [--index /tmp/citebot-scale-idx] [--file bench/date_questions.jsonl]

Each question in `bench/date_questions.jsonl` carries the `CITEBOT_NOW` it assumes ("yesterday",
"this week" and "last" count from it), the kind of period it names (month, between, relative,
last, role: a role holder at that date) and the articles its expected sentences were read in.
The expected substrings are checked against those articles first, so a question never scores
against text the corpus does not hold. Indexing corpus-scale takes about 80 s the first time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.corpus import Corpus
from bot.evaluation import hit_rank

HERE = Path(__file__).resolve().parent
SCALE = HERE.parents[1] / "shared" / "corpus-scale"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def article_no(c: Corpus, wanted: str) -> int | None:
    """The index's number for an article the question file names by its id in the bulk file."""
    ids = c.index.article_ids
    if wanted in ids:
        return ids[wanted]
    return next((n for aid, n in ids.items() if aid.endswith("/" + wanted)), None)


def check(c: Corpus, items: list[dict]) -> list[str]:
    """Questions whose expected substrings are in none of their articles (the file is wrong)."""
    bad = []
    for it in items:
        nos = [article_no(c, a) for a in it.get("articles", [])]
        if any(n is None for n in nos):
            bad.append(f"{it['id']}: an article is not in the index")
            continue
        bodies = [c.index.body(n) for n in nos if n is not None]
        bad += [
            f"{it['id']}: not in its articles: {e!r}" for e in it["expect"] if not any(e in b for b in bodies)
        ]
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=SCALE)
    ap.add_argument("--index", type=Path, default=Path("/tmp/citebot-scale-idx"))
    ap.add_argument("--file", type=Path, default=HERE / "date_questions.jsonl")
    ap.add_argument("--save", type=Path, help="write each question's outcome here (JSON)")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} is absent")
        return 0
    items = load(args.file)
    t0 = time.perf_counter()
    c = Corpus(args.corpus, args.index)
    c.open()
    print(f"index ready in {time.perf_counter() - t0:.1f}s: {c.index.manifest.articles} articles")
    problems = check(c, items)
    for p in problems:
        print("bad question:", p)
    if problems:
        return 1
    before = os.environ.get("CITEBOT_NOW")
    rows = []
    try:
        for it in items:
            os.environ["CITEBOT_NOW"] = it["now"]
            t = time.perf_counter()
            ans = c.answer(it["question"])
            ms = (time.perf_counter() - t) * 1000
            rank = hit_rank(ans, it["expect"]) if it["expect"] else None
            ok = rank == 1 if it["expect"] else not ans.found
            first = ans.citations[0] if ans.citations else None
            rows.append(
                {
                    "id": it["id"],
                    "period": it["period"],
                    "ok": ok,
                    "rank": rank,
                    "ms": round(ms, 1),
                    "head": ans.text.splitlines()[0] if ans.text else "",
                    "got": first.sentence[:160] if first else "",
                    "published": str(first.published) if first else "",
                }
            )
    finally:
        if before is None:
            os.environ.pop("CITEBOT_NOW", None)
        else:
            os.environ["CITEBOT_NOW"] = before
    answerable = [r for r, it in zip(rows, items, strict=True) if it["expect"]]
    declines = [r for r, it in zip(rows, items, strict=True) if not it["expect"]]
    h1 = sum(r["rank"] == 1 for r in answerable)
    h3 = sum(r["rank"] is not None and r["rank"] <= 3 for r in answerable)
    print(
        f"hit@1 {h1}/{len(answerable)}  hit@3 {h3}/{len(answerable)}  "
        f"declined {sum(r['ok'] for r in declines)}/{len(declines)}"
    )
    kinds: dict[str, list[int]] = {}
    for r in answerable:
        k = kinds.setdefault(r["period"], [0, 0])
        k[0] += r["rank"] == 1
        k[1] += 1
    print("by period: " + "; ".join(f"{k} {a}/{n}" for k, (a, n) in sorted(kinds.items())))
    for r in rows:
        if not r["ok"]:
            print(
                f"miss {r['id']} ({r['period']}): rank={r['rank']} head={r['head'][:80]!r}\n"
                f"     got [{r['published']}] {r['got']}"
            )
    if args.save:
        args.save.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
