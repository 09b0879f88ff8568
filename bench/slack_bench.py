"""Benchmark the Slack app in HTTP mode against the local fake Slack (run by hand).

    /work/venv/bin/python bench/slack_bench.py [--n 200] [--concurrency 10] [--workers 16]

For the bundled corpus and (when present) /work/shared/corpus-extra, it sends `--n` signed
app_mention events, `--concurrency` in flight (each sender waits for its reply before the next),
and reports the ack latency (HTTP 200 back) and the question-to-reply latency (request sent →
chat.postMessage received by the fake), p50 and p95. Indexes are kept under /tmp.
Targets on the bundled corpus: ack p95 < 50 ms, reply p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_slack import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    event_body,
    mention,
    sign,
)

from bot.corpus import Corpus  # noqa: E402
from bot.examples import role_questions, speaker_questions  # noqa: E402
from bot.slack.app import build_app  # noqa: E402
from bot.slack.server import SlackHTTPServer  # noqa: E402
from bot.slack.settings import SlackSettings  # noqa: E402

EXTRA = Path("/work/shared/corpus-extra")
ACK_TARGET_MS, REPLY_TARGET_MS = 50.0, 300.0


@dataclass
class Result:
    name: str
    articles: int
    sentences: int
    n: int
    ack_ms: list[float]
    reply_ms: list[float]
    wall_s: float


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def questions(corpus: Corpus, n: int) -> list[str]:
    """A realistic mix from the corpus itself: who-said, topic, and unanswerable questions."""
    pool = speaker_questions(corpus)[:40] + role_questions(corpus)[:20]
    pool += ["What did Zorblax Quux say?", "Tell me about the moon landing hoax"]
    return [pool[i % len(pool)] for i in range(n)]


def run(name: str, corpus: Corpus, n: int, concurrency: int, workers: int) -> Result:
    fake = FakeSlack().start()
    settings = SlackSettings(
        _env_file=None,
        bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET,
        api_url=fake.base_url,
        workers=workers,
    )
    app = build_app(corpus, settings)
    server = SlackHTTPServer(("127.0.0.1", 0), app, corpus)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.port}/slack/events"
    local = threading.local()

    def ask(i_q: tuple[int, str]) -> tuple[float, float]:
        i, q = i_q
        http = getattr(local, "http", None)
        if http is None:
            http = local.http = httpx.Client(trust_env=False, timeout=30)
        ev = mention(q, channel=f"C{i:05d}")
        body = json.dumps(event_body(ev))
        t0 = time.monotonic()
        resp = http.post(
            url, content=body.encode(), headers={"Content-Type": "application/json", **sign(body)}
        )
        ack = time.monotonic() - t0
        assert resp.status_code == 200, resp.text
        (call,) = fake.wait_for(
            "chat.postMessage", timeout=60, where=lambda c: c.args.get("channel") == ev["channel"]
        )
        return ack * 1000, (call.at - t0) * 1000

    try:
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(ask, enumerate(questions(corpus, concurrency), start=900_000)))  # warm-up
            started = time.monotonic()
            results = list(pool.map(ask, enumerate(questions(corpus, n))))
            wall = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
        fake.stop()
    m = corpus.index.manifest
    return Result(name, m.articles, m.sentences, n, [a for a, _ in results], [r for _, r in results], wall)


def open_corpus(folder: Path, index: Path) -> Corpus:
    corpus = Corpus(folder, index)
    t0 = time.monotonic()
    report = corpus.open()
    if report is not None:
        print(f"# indexed {folder} in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    return corpus


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=10)
    ap.add_argument("--workers", type=int, default=SlackSettings.model_fields["workers"].default)
    ap.add_argument("--index-root", type=Path, default=Path("/tmp/citebot-bench"))
    ap.add_argument("--no-extra", action="store_true", help="only the bundled corpus")
    args = ap.parse_args()

    corpora = [("bundled", REPO / "corpus")]
    if EXTRA.is_dir() and not args.no_extra:
        corpora.append(("corpus-extra", EXTRA))
    rows = []
    for name, folder in corpora:
        corpus = open_corpus(folder, args.index_root / name)
        rows.append(run(name, corpus, args.n, args.concurrency, args.workers))

    print(f"{args.n} mentions, {args.concurrency} in flight, {args.workers} answer workers\n")
    cols = ["corpus", "articles", "sentences", "ack p50", "ack p95", "reply p50", "reply p95"]
    cols += ["mean reply", "answers/s"]
    print("| " + " | ".join(cols) + " |")
    print("|---" + "|---:" * (len(cols) - 1) + "|")
    for r in rows:
        ms = [pct(r.ack_ms, 50), pct(r.ack_ms, 95), pct(r.reply_ms, 50), pct(r.reply_ms, 95)]
        ms.append(statistics.mean(r.reply_ms))
        cells = [r.name, f"{r.articles:,}", f"{r.sentences:,}", *(f"{v:.1f} ms" for v in ms)]
        cells.append(f"{r.n / r.wall_s:.0f}")
        print("| " + " | ".join(cells) + " |")
    bundled = rows[0]
    ok = pct(bundled.ack_ms, 95) < ACK_TARGET_MS and pct(bundled.reply_ms, 95) < REPLY_TARGET_MS
    targets = f"ack p95 < {ACK_TARGET_MS:.0f} ms, reply p95 < {REPLY_TARGET_MS:.0f} ms"
    print(f"\ntargets on the bundled corpus ({targets}): {'met' if ok else 'MISSED'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
