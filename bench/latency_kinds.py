"""Answer latency per question kind (p50 / p95 / max, milliseconds) on one corpus index.

    python bench/latency_kinds.py --corpus ../shared/corpus-scale --index /tmp/scale-idx [--per-kind 60]

Questions are made from the index itself, so any corpus works: its most quoted speakers (the
prolific-speaker path), speakers quoted a few times, role phrases, typos of speaker names, and
when / where / how many / why / yes-no / who-is questions on words taken from its sentences.
The target is p95 <= 25 ms for every kind on corpus-scale (1.17M sentences).

Wall time is what a user waits; thread CPU time (`time.thread_time()`) is the work the answer
took, which other processes on a shared machine inflate far less, so both are printed. Each
question is asked for the first time in the process (nothing cached for it); `--repeat N` asks
them all N times and adds the p95 of each question's least CPU time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.corpus import Corpus
from bot.text import STOP_WORDS, words

TARGET_P95_MS = 25.0


def topic_words(corpus: Corpus, rng: random.Random, n: int) -> list[str]:
    """Two content words from a random sentence, n times."""
    idx = corpus.index
    out: list[str] = []
    while len(out) < n:
        s = rng.randrange(idx.n_sentences)
        ws = [w for w in words(idx.sentence(s)) if w not in STOP_WORDS and len(w) > 3 and w.isalpha()]
        if len(ws) >= 2:
            out.append(" ".join(rng.sample(ws, 2)))
    return out


def questions(corpus: Corpus, per_kind: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    ans = corpus.snapshot.answerer
    ents = sorted(
        (e for e in ans.entities.entities if len(e.display.split()) >= 2 and not e.org),
        key=lambda e: -e.sentences,
    )
    prolific = ents[:20]
    few = [e for e in ents if 3 <= e.sentences <= 30] or ents
    topics = topic_words(corpus, rng, per_kind * 12)
    t = iter(topics)

    def pick(pool: list) -> str:
        return rng.choice(pool).display

    def typo(name: str) -> str:
        last = name.split()[-1]
        if len(last) < 5:
            return last
        i = rng.randrange(1, len(last) - 1)
        return last[:i] + last[i + 1] + last[i] + last[i + 2 :]

    return {
        "said (prolific, no topic)": [f"What did {pick(prolific)} say?" for _ in range(per_kind)],
        "said (prolific, topic)": [
            f"What did {pick(prolific)} say about {next(t)}?" for _ in range(per_kind)
        ],
        "said (few quotes)": [f"What did {pick(few)} say about {next(t)}?" for _ in range(per_kind)],
        "said (lowercase typo)": [f"what did {typo(pick(ents[:500]))} say" for _ in range(per_kind)],
        "said (role)": [f"What did the press secretary say about {next(t)}?" for _ in range(per_kind)],
        "said (period)": [
            f"What did {pick(prolific)} say about {next(t)} last week?" for _ in range(per_kind)
        ],
        "who": [f"Who is {pick(ents[:500])}?" for _ in range(per_kind)],
        "when": [f"When did {next(t)} happen?" for _ in range(per_kind)],
        "where": [f"Where was the {next(t)}?" for _ in range(per_kind)],
        "how_many": [f"How many {next(t)}?" for _ in range(per_kind)],
        "why": [f"Why did {next(t)}?" for _ in range(per_kind)],
        "yes_no": [f"Did {next(t)}?" for _ in range(per_kind)],
        "follow-up (what else)": [f"What else did {pick(prolific)} say?" for _ in range(per_kind)],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--per-kind", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="ask every question this many times and also report the p95 of each one's least thread "
        "CPU time (the first ask is what the other columns show)",
    )
    ap.add_argument(
        "--any-version",
        action="store_true",
        help="time an index built by other attribution/tokenizer settings as it is (latency does not "
        "depend on them) instead of rebuilding it",
    )
    args = ap.parse_args()
    if args.any_version:
        from bot.index import IndexManifest

        IndexManifest.check = lambda self: None  # type: ignore[method-assign]
    corpus = Corpus(args.corpus, args.index)
    corpus.open(check_stale=False)
    idx = corpus.index
    print(
        f"{idx.n_sentences:,} sentences, {len(idx.speakers):,} speakers, "
        f"{len(corpus.snapshot.answerer.entities.entities):,} entities"
    )
    corpus.answer("What did anyone say?")  # warm
    worst = worst_cpu = 0.0
    again = f"  cpu p95 min of {args.repeat}" if args.repeat > 1 else ""
    head = f"{'kind':28s} {'n':>4s} {'p50':>7s} {'p95':>7s} {'max':>7s}  {'cpu p50':>7s} {'cpu p95':>7s}"
    print(f"{head}{again}  found")
    for kind, qs in questions(corpus, args.per_kind, args.seed).items():
        times, cpu, found = [], [], 0
        for q in qs:
            t0, c0 = time.perf_counter(), time.thread_time()
            a = corpus.answer(q)
            cpu.append((time.thread_time() - c0) * 1000)
            times.append((time.perf_counter() - t0) * 1000)
            found += a.found
        fastest = list(cpu)
        for _ in range(args.repeat - 1):  # the same questions again: the least CPU each took
            for i, q in enumerate(qs):
                c0 = time.thread_time()
                corpus.answer(q)
                fastest[i] = min(fastest[i], (time.thread_time() - c0) * 1000)
        p50, p95, mx = np.percentile(times, 50), np.percentile(times, 95), max(times)
        c50, c95 = np.percentile(cpu, 50), np.percentile(cpu, 95)
        worst, worst_cpu = max(worst, p95), max(worst_cpu, c95)
        rep = f"  {np.percentile(fastest, 95):16.1f}" if args.repeat > 1 else ""
        row = f"{kind:28s} {len(qs):4d} {p50:7.1f} {p95:7.1f} {mx:7.1f}  {c50:7.1f} {c95:7.1f}"
        print(f"{row}{rep}  {found}/{len(qs)}")
    verdict = "ok" if worst <= TARGET_P95_MS else "OVER"
    target = f"target {TARGET_P95_MS:.0f} ms"
    print(f"worst p95 {worst:.1f} ms wall, {worst_cpu:.1f} ms thread CPU ({target}): {verdict}")


if __name__ == "__main__":
    main()
