"""Attribution measured against PolNeAR's human annotations (../shared/attribution/polnear-dev/).

    python bench/polnear_attribution.py                 # index a copy, `citebot quotes --json`, score.py
    python bench/polnear_attribution.py --direct        # attribute in-process, no index (fast loop)
    python bench/polnear_attribution.py --questions     # also `citebot eval said-questions.jsonl`
    python bench/polnear_attribution.py --examples 5    # score.py's misses of each kind

The corpus is copied once into a writable folder (`--work`, default /tmp/citebot-polnear), since
`../shared` is read-only; the index is built there by the same `citebot refresh` users run. The
gold data is read in place and never copied into the repository. Prints score.py's report and
saves the predictions as `<work>/pred.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POLNEAR = ROOT.parent / "shared" / "attribution" / "polnear-dev"


def copy_corpus(work: Path) -> Path:
    """A writable copy of the corpus (files compared by size, so a re-run copies nothing)."""
    dest = work / "corpus"
    dest.mkdir(parents=True, exist_ok=True)
    for src in (POLNEAR / "corpus").glob("*.txt"):
        out = dest / src.name
        if not out.exists() or out.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, out)
    return dest


def citebot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def predict_cli(corpus: Path, index: Path, pred: Path) -> None:
    t = time.perf_counter()
    done = citebot("refresh", "--no-fetch", "--corpus", str(corpus), "--index", str(index))
    if done.returncode:
        sys.exit(done.stderr)
    print(f"index built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    done = citebot("quotes", "--json", "--explain", "--corpus", str(corpus), "--index", str(index))
    if done.returncode:
        sys.exit(done.stderr)
    pred.write_text(done.stdout, encoding="utf-8")


def predict_direct(corpus: Path, pred: Path) -> None:
    """The same records as `citebot quotes --json`, from the attributor run in-process."""
    from bot.articles import parse_article
    from bot.attribution import default_attributor
    from bot.sentences import sentence_spans

    attributor = default_attributor()
    t = time.perf_counter()
    with pred.open("w", encoding="utf-8") as out:
        for path in sorted(corpus.glob("*.txt")):
            article = parse_article(path, corpus)
            spans = sentence_spans(article.body)
            sentences = [article.body[s:e] for s, e, _ in spans]
            for (s, e, _), att in zip(
                spans, attributor.attribute(sentences, [p for *_, p in spans], article.title), strict=True
            ):
                if att.speaker is None:
                    continue
                rec = {
                    "article_id": path.stem,
                    "start": s,
                    "end": e,
                    "sentence": article.body[s:e],
                    "speaker": att.speaker.name,
                    "how": att.how.value,
                    "rule": att.rule,
                    "cue": article.body[s + att.cue_span[0] : s + att.cue_span[1]] if att.cue_span else "",
                }
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"attributed in {time.perf_counter() - t:.1f} s", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/citebot-polnear"))
    ap.add_argument("--direct", action="store_true", help="attribute in-process instead of index + quotes")
    ap.add_argument("--questions", action="store_true", help="also run citebot eval said-questions.jsonl")
    ap.add_argument("--examples", type=int, default=0)
    args = ap.parse_args()
    if not POLNEAR.is_dir():
        sys.exit(f"{POLNEAR} is absent: nothing to measure")
    corpus = copy_corpus(args.work)
    index = args.work / "index"
    pred = args.work / "pred.jsonl"
    if args.direct:
        predict_direct(corpus, pred)
    else:
        predict_cli(corpus, index, pred)
    score = [
        sys.executable,
        str(POLNEAR / "score.py"),
        "--gold",
        str(POLNEAR / "gold.jsonl"),
        "--corpus",
        str(POLNEAR / "corpus"),
        "--pred",
        str(pred),
        "--offsets",
        "body",
    ]
    if args.examples:
        score += ["--examples", str(args.examples)]
    subprocess.run(score, check=False)
    if args.questions:
        if args.direct:
            citebot("refresh", "--no-fetch", "--corpus", str(corpus), "--index", str(index))
        done = citebot(
            "eval",
            str(POLNEAR / "said-questions.jsonl"),
            "--corpus",
            str(corpus),
            "--index",
            str(index),
            "--min-hit1",
            "0",
            "--min-declined",
            "0",
        )
        (args.work / "said-questions.txt").write_text(done.stdout, encoding="utf-8")
        head = [ln for ln in done.stdout.splitlines() if ln.startswith(("hit@", "declined", "by type"))]
        print("\n".join(head) or done.stderr[-2000:])
        print(f"(each miss: {args.work / 'said-questions.txt'})")


if __name__ == "__main__":
    main()
