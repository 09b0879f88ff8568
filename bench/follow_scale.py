"""What following costs at scale: a refresh that adds two articles to corpus-scale, then its digest.

    python bench/follow_scale.py --corpus /tmp/scale-corpus --index /tmp/citebot-scale-idx

`--corpus` must be a writable folder holding (a link to) ../shared/corpus-scale's file; two small
articles quoting followed people are written into it, indexed, digested, then removed again (a
second refresh). Prints the refresh time, the digest time (new-sentence detection, speaker
matching, claiming) and what each channel would be sent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.corpus import Corpus
from bot.follow import command as cmd
from bot.follow.models import ChannelDigest
from bot.follow.publish import after_publish
from bot.follow.store import FileFollowStore

FOLLOWED = [
    ("C-economy", "Karine Jean-Pierre", ""),
    ("C-economy", "Biden", "jobs"),
    ("C-security", "Kirby", ""),
]
ARTICLES = {
    "bench-follow-1.txt": (
        "Briefing notes on the economy",
        [
            "“The jobs numbers this month show the economy is still growing,” "
            "Press Secretary Karine Jean-Pierre said on Friday.",
            "“We will keep working to lower costs for families,” Jean-Pierre said.",
        ],
    ),
    "bench-follow-2.txt": (
        "President on the jobs report",
        [
            "“Today’s jobs report shows another month of steady growth,” President Joe Biden said.",
            "National Security Council spokesman John Kirby said the talks would resume next week.",
        ],
    ),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    args = ap.parse_args()
    c = Corpus(args.corpus, args.index)
    t = time.perf_counter()
    c.open()
    print(f"open: {time.perf_counter() - t:.1f}s, {c.index.manifest.sentences:,} sentences")
    with tempfile.TemporaryDirectory() as state:
        store = FileFollowStore(Path(state))
        for channel, name, about in FOLLOWED:
            t = time.perf_counter()
            _, reply = cmd.follow(c.index, store, channel, name, about.split())
            print(f"{channel}: {reply} ({(time.perf_counter() - t) * 1000:.0f} ms)")
        sent: list[ChannelDigest] = []
        timing: dict[str, float] = {}

        def record(digest: ChannelDigest) -> bool:
            sent.append(digest)
            return True

        hook = after_publish(store, c.store, record)

        def timed(index: object) -> None:
            t0 = time.perf_counter()
            hook(index)  # type: ignore[arg-type]
            timing["digest"] = time.perf_counter() - t0

        c.on_publish.append(timed)
        written = []
        try:
            for name, (title, paras) in ARTICLES.items():
                path = args.corpus / name
                path.write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
                written.append(path)
            t = time.perf_counter()
            report = c.refresh()
            total = time.perf_counter() - t
            print(f"refresh +{report.added}: {total:.1f}s, of which digest {timing.get('digest', 0):.2f}s")
            for d in sent:
                for sd in d.speakers:
                    quotes = [q.sentence[:60] for q in sd.citations]
                    print(f"  {d.channel} ← {sd.subscription.speaker}: {quotes}")
        finally:
            c.on_publish.clear()
            for path in written:
                path.unlink(missing_ok=True)
            c.refresh()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
