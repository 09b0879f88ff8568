"""How closely bot.sentences agrees with pysbd, and how much faster it is.

Run by hand (pysbd is slow: a few minutes for all of corpus-extra on two cores):

    /work/venv/bin/python bench/compare_splitters.py     # corpus-extra + 200 corpus-scale articles
    /work/venv/bin/python bench/compare_splitters.py --limit 300 --show 10

For every article it splits the body both ways (pysbd as citebot used it before: paragraphs on
blank lines, `Segmenter(language="en", clean=False)`, pieces located in the body) and counts
the sentences whose exact (start, end) both produce, per source, plus the articles split
identically; `--show` prints some differing sentences. The seed article must be identical.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pysbd_spans(body: str) -> list[tuple[int, int, int]]:
    """The spans citebot's pysbd splitter gave (its sentence_spans before the rule splitter)."""
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for para_no, para in enumerate(body.split("\n\n")):
        para_start = body.find(para, pos)
        cursor = para_start
        for piece in (s.strip() for s in seg.segment(para)):
            if not piece:
                continue
            start = body.find(piece, cursor)
            if start < 0:
                start = cursor
                piece = body[cursor : para_start + len(para)].strip()
                if not piece:
                    break
                start = body.find(piece, cursor)
            spans.append((start, start + len(piece), para_no))
            cursor = start + len(piece)
        pos = para_start + len(para)
    return spans


def _timed_pysbd(body: str) -> tuple[list[tuple[int, int, int]], float]:
    t = time.perf_counter()
    return pysbd_spans(body), time.perf_counter() - t


def articles(limit: int | None) -> list[tuple[str, str]]:
    from bot.articles import ArticleError, parse_article
    from bot.bulk import iter_corpus

    out = []
    seed = REPO / "corpus"
    for p in sorted(seed.glob("*.txt")):
        out.append(("seed", parse_article(p, seed).body))
    for _, a in iter_corpus(SHARED / "corpus-extra"):
        if not isinstance(a, ArticleError):
            out.append(("corpus-extra/" + a.article_id.split("/")[0], a.body))
    scale = SHARED / "corpus-scale" / "whitehouse-2021-2026.jsonl.gz"
    if scale.exists():
        with gzip.open(scale, "rt", encoding="utf-8") as f:
            lines = f.readlines()
        for line in random.Random(1).sample(lines, 200):
            out.append(("corpus-scale (200 sampled)", json.loads(line)["body"]))
    if limit:
        random.Random(2).shuffle(out)
        out = [o for o in out if o[0] == "seed"] + [o for o in out if o[0] != "seed"][:limit]
    return out


def main() -> None:
    from bot.sentences import sentence_spans

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="compare this many articles (random)")
    ap.add_argument("--show", type=int, default=0, help="print this many differing sentences")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    items = articles(args.limit)
    with ProcessPoolExecutor(args.workers) as pool:
        ref = list(pool.map(_timed_pysbd, [body for _, body in items], chunksize=8))
    t = time.perf_counter()
    ours = [sentence_spans(body) for _, body in items]
    ours_s = time.perf_counter() - t
    mb = sum(len(body) for _, body in items) / 1e6
    same, total, arts, arts_same = Counter(), Counter(), Counter(), Counter()
    diffs = []
    for (src, body), (r, _), o in zip(items, ref, ours, strict=True):
        rs, os_ = {(s, e) for s, e, _ in r}, {(s, e) for s, e, _ in o}
        total[src] += len(rs)
        same[src] += len(rs & os_)
        arts[src] += 1
        arts_same[src] += rs == os_
        if rs != os_:
            diffs.append((src, body, sorted(rs - os_), sorted(os_ - rs)))
    print("| source | articles identical | pysbd sentences also ours | agreement |")
    print("|---|---|---|---|")
    for src in sorted(total):
        print(
            f"| {src} | {arts_same[src]:,}/{arts[src]:,} | {same[src]:,}/{total[src]:,} | "
            f"{same[src] / max(total[src], 1):.2%} |"
        )
    pysbd_s = sum(dt for _, dt in ref)
    print(
        f"\n{mb:.1f} MB of text: pysbd {mb / pysbd_s:.2f} MB/s, bot.sentences {mb / ours_s:.1f} MB/s "
        f"({pysbd_s / ours_s:.0f}× faster), one core each"
    )
    for src, body, theirs, mine in random.Random(3).sample(diffs, min(args.show, len(diffs))):
        print(f"\n== {src}")
        for s, e in theirs[:2]:
            print(f"  pysbd: {body[s:e][:160]!r}")
        for s, e in mine[:2]:
            print(f"  ours : {body[s:e][:160]!r}")
    assert arts_same["seed"] == arts["seed"], "the seed article must split as pysbd splits it"


if __name__ == "__main__":
    main()
