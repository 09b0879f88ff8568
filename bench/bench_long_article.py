"""One very long article: refresh time per sentence must not grow with the article's length.

Run by hand (everything goes under --work, default /tmp/citebot-bench-long):

    .venv/bin/python bench/bench_long_article.py                 # 1,000 … 8,000 sentences
    .venv/bin/python bench/bench_long_article.py --sizes 2000 200000

For each size it writes one article of that many sentences (each naming a new person, the
costliest case for attribution's memory of who was named), on one line and in paragraphs of
five sentences, and times sentence splitting and attribution in this process, then a
`citebot refresh --no-fetch` of a one-file corpus in a fresh process.

Attribution seconds (ms a sentence) for 1,000 / 2,000 / 4,000 / 8,000 sentences on one line:
before (c7b764a) 0.58 (0.58) / 0.73 (0.37) / 2.52 (0.63) / 10.60 (1.32), splitting 0.24 s at
8,000 (it copied the rest of the line at each full stop); after 0.30 (0.30) / 0.44 (0.22) /
1.03 (0.26) / 2.33 (0.29), splitting 0.04 s. Before, every look-up of attribution's memory
scanned everyone named so far; with names that merge less often 8,000 sentences took 71 s, and
a 7 MB one-line file ran 13+ minutes holding the lock. Now an article of more than
`bot.ingest.MAX_SENTENCES` sentences is skipped with its reason right after splitting: a 9.9 MB
one-line file of 200,000 sentences is refreshed (and skipped) in 5 s.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from refresh_run import refresh_argv

REPO = Path(__file__).resolve().parents[1]
FIRST = ("Karl", "Maria", "Jonas", "Ines", "Peter", "Anna")
SYLLABLES = ("ba", "ke", "lo", "mu", "ri", "sa", "te", "vo", "ni", "du")


def _surname(k: int) -> str:
    return "".join(SYLLABLES[int(d)] for d in f"{k:06}").capitalize()


def sentences(n: int) -> list[str]:
    """n sentences, each naming a new person; a quote, a report, a mention and a plain fact in turn."""
    out = []
    for k in range(n):
        who = f"{FIRST[k % len(FIRST)]} {_surname(k)}"
        out.append(
            (
                f"“The harbour will reopen,” {who} said.",
                f"He told the minister {who} that the talks went well.",
                f"The mayor of the town met {who} on Monday.",
                f"Officials said the port handled {k} ships.",
            )[k % 4]
        )
    return out


def body_of(n: int, one_line: bool) -> str:
    sents = sentences(n)
    if one_line:
        return " ".join(sents)
    return "\n\n".join(" ".join(sents[k : k + 5]) for k in range(0, n, 5))


def in_process(body: str) -> tuple[int, float, float]:
    from bot.attribution import default_attributor
    from bot.ingest import MAX_SENTENCES
    from bot.sentences import sentence_spans

    t0 = time.perf_counter()
    spans = sentence_spans(body)
    t1 = time.perf_counter()
    if len(spans) > MAX_SENTENCES:
        return len(spans), t1 - t0, float("nan")  # refused before attribution
    default_attributor().attribute([body[s:e] for s, e, _ in spans], [p for *_, p in spans], "Long")
    return len(spans), t1 - t0, time.perf_counter() - t1


def refresh_seconds(work: Path, body: str) -> tuple[float, str]:
    corpus, index = work / "corpus", work / "index"
    shutil.rmtree(work, ignore_errors=True)
    corpus.mkdir(parents=True)
    (corpus / "long.txt").write_text(f"Long\n\n{body}\n", encoding="utf-8")
    (corpus / "ok.txt").write_text("Harbour\n\nThe harbour reopened on Monday.\n", encoding="utf-8")
    argv = refresh_argv(corpus, index)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=3600)
    secs = time.perf_counter() - t0
    skipped = next((ln.strip() for ln in proc.stderr.splitlines() if "long.txt" in ln), "")
    return secs, skipped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    ap.add_argument("--work", type=Path, default=Path("/tmp/citebot-bench-long"))
    ap.add_argument("--no-refresh", action="store_true", help="Only the in-process timings.")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    print(f"{'sentences':>10} {'layout':>10} {'split s':>8} {'attr s':>8} {'ms/sent':>8} {'refresh s':>10}")
    for n in args.sizes:
        for one_line in (True, False):
            body = body_of(n, one_line)
            count, split, attr = in_process(body)
            secs, skipped = (float("nan"), "") if args.no_refresh else refresh_seconds(args.work, body)
            per = 1000 * attr / max(count, 1)
            layout = "one line" if one_line else "paragraphs"
            print(f"{count:>10,} {layout:>10} {split:>8.2f} {attr:>8.2f} {per:>8.2f} {secs:>10.1f} {skipped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
