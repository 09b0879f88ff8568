"""Hostile corpus files (issue 11): peak RSS and wall time of `citebot refresh` on each attack.

Run by hand; everything goes under --work (default /tmp/citebot-bench-hostile):

    .venv/bin/python bench/bench_hostile.py                  # every case
    .venv/bin/python bench/bench_hostile.py --cases title    # one case

Cases, each a fresh corpus (one ordinary article plus the attack) refreshed from nothing in a
fresh process, with `--no-fetch`:

- `title`: a JSON article whose title is 100,000 words (0.7 MB) over 1,000 short sentences.
  Before the 300-character cut, title words were counted into every sentence: 7.3 GB, 34 s.
- `gz`: a `.jsonl.gz` of 3,000,000 `{}` lines (no article in any). Before: > 200 s (every line's
  reason kept, stored and printed), 715 MB.
- `gzbomb`: a `.jsonl.gz` of 3,000,000 identical valid ~200-byte article lines (about 2 MB of
  gzip). Each article costs about 6 KB while indexing however short it is, so 3 million would
  be 18 GB: reading stops once the file inflates past 10 times its size, with a reason.
- `deep`: JSON nested 100,000 deep in a `.json` file and in a `.jsonl` line. Before: the refresh
  failed with RecursionError.

Peak RSS is the largest maximum resident set of the refresh process and its pool workers
(`RUSAGE_CHILDREN` of a fresh interpreter per case): each process's own peak, not their sum.
`--limit-mb` (default 500) makes the script exit 1 when a case but `gzbomb` fails or peaks above
it; `gzbomb`'s peak is bounded by the inflation cap (10 × its compressed size of text), not a
constant: about 0.7 GB for its 2.5 MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from refresh_run import refresh_argv

REPO = Path(__file__).resolve().parents[1]
ORDINARY = (
    "Harbour reopens\n\nThe harbour reopened on Monday.\n\n“It is a good day,” Mayor Ida Strand said.\n"
)


def _title(corpus: Path) -> None:
    title = " ".join(f"w{i}" for i in range(100_000))
    body = " ".join(f"Sentence number {i} is short." for i in range(1000))
    (corpus / "big.json").write_text(json.dumps({"title": title, "body": body}), encoding="utf-8")


def _gz(corpus: Path) -> None:
    with gzip.open(corpus / "tiny.jsonl.gz", "wb") as f:
        for _ in range(30):
            f.write(b"{}\n" * 100_000)


def _gzbomb(corpus: Path) -> None:
    body = (
        "Council meets.\n\n"
        + "The council met on Monday and voted to repair the old harbour wall, the mayor said. " * 2
    )
    line = (json.dumps({"body": body}) + "\n").encode()
    with gzip.open(corpus / "bomb.jsonl.gz", "wb", compresslevel=9) as f:
        for _ in range(3000):
            f.write(line * 1000)


def _deep(corpus: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (corpus / "deep.json").write_text(deep, encoding="utf-8")
    (corpus / "deep.jsonl").write_text(
        json.dumps({"body": "A.\n\nB."}) + "\n" + deep + "\n", encoding="utf-8"
    )


CASES: dict[str, Callable[[Path], None]] = {"title": _title, "gz": _gz, "gzbomb": _gzbomb, "deep": _deep}


def run_case(name: str, work: Path) -> dict:
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    corpus = folder / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "harbour.txt").write_text(ORDINARY, encoding="utf-8")
    CASES[name](corpus)
    argv = refresh_argv(corpus, folder / "idx")
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - t0
    out, err = proc.stdout, proc.stderr
    return {
        "case": name,
        "rc": proc.returncode,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(_children_peak_kb() / 1024, 1),
        "summary": next((line for line in out.splitlines() if line.startswith("index ")), err.strip()[-200:]),
        "stderr_lines": len(err.splitlines()),
    }


def _children_peak_kb() -> int:
    """The largest peak RSS of any finished descendant (the refresh, or one of its pool workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated: " + ", ".join(CASES))
    parser.add_argument("--work", type=Path, default=Path("/tmp/citebot-bench-hostile"))
    parser.add_argument("--limit-mb", type=float, default=500.0)
    args = parser.parse_args()
    over = False
    print(f"{'case':<8}{'rc':>4}{'seconds':>10}{'peak RSS MB':>14}  summary")
    for name in args.cases.split(","):
        # one fresh interpreter per case, so RUSAGE_CHILDREN is that case's peak alone
        code = (
            "import json, sys; sys.path.insert(0, sys.argv[1]); from bench_hostile import run_case; "
            "from pathlib import Path; print(json.dumps(run_case(sys.argv[2], Path(sys.argv[3]))))"
        )
        line = (
            subprocess.run(
                [sys.executable, "-c", code, str(Path(__file__).parent), name, str(args.work)],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        r = json.loads(line)
        over |= r["rc"] != 0 or (name != "gzbomb" and r["peak_rss_mb"] > args.limit_mb)
        print(
            f"{r['case']:<8}{r['rc']:>4}{r['seconds']:>10.2f}{r['peak_rss_mb']:>14.1f}  {r['summary']}"
            f" ({r['stderr_lines']} stderr lines)"
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
