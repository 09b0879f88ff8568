"""Benchmark two `citebot serve --mode http` replicas sharing one Redis (issue 12; run by hand).

    .venv/bin/python bench/replica_bench.py [--n 600] [--in-flight 20] [--workers 16] [--outage]

Starts a real redis-server, the fake Slack Web API and two replica processes on corpus-extra
(index under /tmp). Each of `--n` signed app_mention events goes to one replica, then at once as
a retry (`X-Slack-Retry-Num: 1`) to the other while the first is still answering; `--in-flight`
senders at a time. Reports ack latency (HTTP 200 of each delivery), reply latency (first send →
chat.postMessage at the fake), p50/p95, and how many events got exactly one reply.
`--no-redis` runs the replicas without Redis (how two replicas behaved before issue 12).
`--outage` then sends as many again with Redis stopped for the middle third, and reports
answers, duplicates and the replicas' Redis warnings.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fake_slack import Call, FakeSlack, mention  # noqa: E402
from redis_server import RedisServer, redis_binary  # noqa: E402
from replicas import Replica  # noqa: E402
from slack_bench import pct, questions  # noqa: E402  (the same question mix and percentile)

from bot.corpus import Corpus  # noqa: E402

EXTRA = Path("/work/shared/corpus-extra")


class TimedFake(FakeSlack):
    """The fake Slack, noting when each thread's reply arrives (no rescans of the call log per wait)."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: Counter[str] = Counter()
        self.first_reply: dict[str, float] = {}
        self._arrived: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def arrived(self, ts: str) -> threading.Event:
        with self._lock:
            return self._arrived.setdefault(ts, threading.Event())

    def _record(self, call: Call) -> None:
        super()._record(call)
        ts = call.args.get("thread_ts")
        if call.method == "chat.postMessage" and call.status == 200 and ts:
            with self._lock:
                self.replies[ts] += 1
                self.first_reply.setdefault(ts, call.at)
            self.arrived(ts).set()


def deliver_all(
    a: Replica, b: Replica, fake: TimedFake, qs: list[str], in_flight: int, tag: str, during: object = None
) -> tuple[list[float], list[float], dict[str, int]]:
    """Each question to one replica, then as a retry to the other; (ack ms, reply ms, replies per event)."""
    local = threading.local()
    acks: list[float] = []
    replies: list[float] = []
    events: list[dict] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        if not hasattr(local, "http"):
            local.http = httpx.Client(trust_env=False, timeout=30)
        if callable(during):
            during(i)
        first, second = (a, b) if i % 2 == 0 else (b, a)
        ev = mention(qs[i], channel=f"C{tag}{i % 50:03d}")
        event_id = f"Ev{tag}{i:05d}{uuid.uuid4().hex[:6]}"
        t0 = time.monotonic()
        r1 = first.send(ev, event_id, client=local.http)
        t1 = time.monotonic()
        r2 = second.send(ev, event_id, retry_num=1, client=local.http)
        t2 = time.monotonic()
        assert r1.status_code == 200 and r2.status_code == 200, (r1.text, r2.text)
        assert fake.arrived(ev["ts"]).wait(120), f"no reply to {ev['ts']}"
        with lock:
            acks.extend([(t1 - t0) * 1000, (t2 - t1) * 1000])
            replies.append((fake.first_reply[ev["ts"]] - t0) * 1000)
            events.append(ev)

    with ThreadPoolExecutor(in_flight) as pool:
        list(pool.map(one, range(len(qs))))
    time.sleep(2.0)  # let any second answer arrive before counting
    return acks, replies, {e["ts"]: fake.replies[e["ts"]] for e in events}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--in-flight", type=int, default=20)
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--corpus", type=Path, default=EXTRA if EXTRA.is_dir() else REPO / "corpus")
    ap.add_argument("--index", type=Path, default=Path("/tmp/citebot-replica-bench/index"))
    ap.add_argument(
        "--outage", action="store_true", help="then a run with Redis stopped for its middle third"
    )
    ap.add_argument("--no-redis", action="store_true", help="replicas without Redis (each its own state)")
    args = ap.parse_args()
    args.corpus, args.index = args.corpus.resolve(), args.index.resolve()  # replicas run elsewhere

    binary = redis_binary()
    if binary is None:
        sys.exit("no redis-server on this machine (apt-get install redis-server)")
    corpus = Corpus(args.corpus, args.index)
    t0 = time.monotonic()
    if corpus.open() is not None:
        print(f"# indexed {args.corpus} in {time.monotonic() - t0:.1f}s", file=sys.stderr)
    m = corpus.index.manifest
    qs = questions(corpus, args.n)

    with tempfile.TemporaryDirectory(prefix="citebot-replicas-") as tmp:
        folder = Path(tmp)
        redis = RedisServer(binary, folder).start()
        fake = TimedFake().start()
        env = {"SLACK_API_URL": fake.base_url}
        if not args.no_redis:
            env["CITEBOT_REDIS_URL"] = redis.url
        a = Replica("a", folder, args.corpus, args.index, env, args.workers)
        b = Replica("b", folder, args.corpus, args.index, env, args.workers)
        try:
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(Replica.start, (a, b)))
            deliver_all(a, b, fake, qs[: args.in_flight * 2], args.in_flight, "W")  # warm-up
            started = time.monotonic()
            acks, replies, per = deliver_all(a, b, fake, qs, args.in_flight, "L")
            wall = time.monotonic() - started
            once = sum(1 for v in per.values() if v == 1)
            print(f"corpus {args.corpus.name}: {m.articles:,} articles, {m.sentences:,} sentences")
            print(
                f"{args.n} events × 2 deliveries (A then retry to B, or B then A), "
                f"{args.in_flight} in flight, {args.workers} workers per replica, 2 replicas, "
                f"{'no Redis' if args.no_redis else '1 Redis'}\n"
            )
            print("| ack p50 | ack p95 | reply p50 | reply p95 | answers/s | exactly one reply |")
            print("|---:|---:|---:|---:|---:|---:|")
            print(
                f"| {pct(acks, 50):.1f} ms | {pct(acks, 95):.1f} ms | {pct(replies, 50):.1f} ms | "
                f"{pct(replies, 95):.1f} ms | {args.n / wall:.1f} | {once}/{len(per)} |"
            )
            if args.outage:
                third = args.n // 3

                def during(i: int) -> None:
                    if i == third:
                        redis.stop()
                    elif i == 2 * third:
                        redis.start()

                warn_before = [r.log_text().count("Redis unavailable") for r in (a, b)]
                t_out = time.monotonic()
                _, _, per2 = deliver_all(a, b, fake, qs, args.in_flight, "O", during)
                secs = time.monotonic() - t_out
                warns = [
                    r.log_text().count("Redis unavailable") - w
                    for r, w in zip((a, b), warn_before, strict=True)
                ]
                answered = sum(1 for v in per2.values() if v >= 1)
                twice = sum(1 for v in per2.values() if v > 1)
                back = sum(r.log_text().count("Redis is back") for r in (a, b))
                print(
                    f"\noutage run: {args.n} events in {secs:.1f}s, "
                    f"Redis stopped for events {third}..{2 * third}"
                )
                print(
                    f"answered {answered}/{len(per2)}, answered twice {twice}, "
                    f"warnings per replica {warns}, 'Redis is back' lines {back}"
                )
        finally:
            a.stop()
            b.stop()
            fake.stop()
            redis.stop()


if __name__ == "__main__":
    main()
