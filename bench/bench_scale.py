"""Scale benchmark: index build, size, load, memory and query latency from the bundled corpus to 1M sentences.

Run by hand (the full corpus-scale build takes a few minutes; everything goes under --work):

    /work/venv/bin/python bench/bench_scale.py                      # every size
    /work/venv/bin/python bench/bench_scale.py --sizes bundled,extra,scale10,syn100k
    /work/venv/bin/python bench/bench_scale.py --okapi-queries 5    # fewer plain-BM25Okapi queries

Sizes: `bundled` (./corpus), `extra` (../shared/corpus-extra), `scale10` (every 10th line of
../shared/corpus-scale/whitehouse-2021-2026.jsonl.gz), `scale` (all of it), and the synthetic
retrieval-only `syn100k` / `syn1m` (Zipf-distributed terms, no text). Each real size is built
from nothing in a fresh process (`refresh --force` with every core), then served in another
fresh process that loads the index and answers 200 questions: the eval sets' questions plus
generated "What did <speaker> say about <title word>?" ones. The same questions' terms then go
through plain `rank_bm25.BM25Okapi.get_scores` and (when installed) tantivy, in a third
process, timed the same way; their columns are their median over ours (×10 = we are 10 times
faster). "refresh +1" adds one article file beside the corpus and refreshes: only that file
is parsed, the rest is carried over.

Prints ONE table (and footnotes: `citebot ask` cold wall time, refresh details, the machine's
load). Latencies are wall-clock, and beside them the thread's CPU time ("cpu"), which other
processes on the machine do not inflate: the footnote shows the load they ran under.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: ../shared beside the repository, or $CITEBOT_BENCH_SHARED (for a checkout elsewhere).
SHARED = Path(os.environ.get("CITEBOT_BENCH_SHARED", REPO.parent / "shared"))
SCALE_FILE = SHARED / "corpus-scale" / "whitehouse-2021-2026.jsonl.gz"
EVAL_FILES = sorted((SHARED / "eval").glob("*.jsonl"))
N_QUESTIONS = 200
ADDED_ARTICLE = """Storm warning for the coast

Forecasters warned of a severe storm on the coast on Jan. 3, the U.S. weather agency said.

“We expect 100,000 homes to lose power. Stay inside,” Gov. Ida Strand told reporters.
"""


# --- helpers --------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _sub(*args: str) -> dict:
    """Run this script's sub-command in a fresh interpreter; its last stdout line is JSON."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- corpora ----------------------------------------------------------------------------------


def prepare(size: str, work: Path) -> Path:
    """The corpus folder for a size (made under `work` when it has to be)."""
    if size == "bundled":
        dest = work / "bundled" / "corpus"
        if not dest.exists():
            shutil.copytree(REPO / "corpus", dest, ignore=shutil.ignore_patterns(".*"))
        return dest
    if size == "extra":
        return SHARED / "corpus-extra"
    dest = work / size / "corpus"
    dest.mkdir(parents=True, exist_ok=True)
    for stray in dest.glob("added-*.txt"):
        stray.unlink()
    target = dest / ("whitehouse-10pct.jsonl.gz" if size == "scale10" else SCALE_FILE.name)
    if not target.exists():
        if size == "scale10":
            with gzip.open(SCALE_FILE, "rb") as src, gzip.open(target, "wb") as out:
                out.writelines(line for k, line in enumerate(src) if k % 10 == 0)
        else:
            shutil.copyfile(SCALE_FILE, target)
    return dest


# --- sub-commands (each in its own process) ---------------------------------------------------


def cmd_build(corpus: str, index: str) -> dict:
    from bot.index_store import IndexStore
    from bot.refresh import refresh

    shutil.rmtree(index, ignore_errors=True)
    t0, c0 = time.perf_counter(), os.times()
    report, idx = refresh(Path(corpus), IndexStore(Path(index)), force=True)
    wall, c1 = time.perf_counter() - t0, os.times()
    cpu = (
        (c1.user - c0.user)
        + (c1.system - c0.system)
        + (c1.children_user - c0.children_user)
        + (c1.children_system - c0.children_system)
    )
    assert idx.path is not None
    return {
        "articles": report.articles,
        "sentences": report.sentences,
        "tokens": idx.manifest.tokens,
        "build_s": wall,
        "build_cpu_s": cpu,
        "disk_mb": _du_mb(idx.path),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _questions(index, n: int) -> list[str]:
    """Eval-set questions plus generated "What did <speaker> say about <title word>?" ones."""
    import numpy as np

    from bot.text import tokenize

    out = [
        json.loads(line)["question"]
        for f in EVAL_FILES
        for line in f.read_text().splitlines()
        if line.strip()
    ]
    rng = np.random.default_rng(7)
    spk = np.asarray(index.sent_speaker)
    said = np.flatnonzero(spk >= 0)
    tries = 0
    while len(out) < n and len(said) and tries < 50 * n:
        tries += 1
        sent = int(said[rng.integers(len(said))])
        speaker = index.speakers[int(spk[sent])]
        if speaker["org"] or len(speaker["names"]) < 2:
            continue
        title = index.articles[int(index.sent_article[sent])]["title"]
        words = [w for w in title.replace("’", " ").split() if w.isalpha() and len(w) > 4 and tokenize(w)]
        if words:
            word = words[int(rng.integers(len(words)))].lower()
            out.append(f"What did {speaker['display']} say about {word}?")
    return out[:n]


def cmd_serve(corpus: str, index: str, questions_out: str) -> dict:
    """Load as the bot does, answer the questions, time retrieval and whole answers."""
    t_import = time.perf_counter()
    from bot.corpus import Corpus
    from bot.text import tokenize

    t0 = time.perf_counter()
    c = Corpus(Path(corpus), Path(index))
    c.open(check_stale=False)
    load_s = time.perf_counter() - t0
    import_s = t0 - t_import
    snap = c.snapshot
    questions = _questions(snap.index, N_QUESTIONS)
    Path(questions_out).write_text(json.dumps(questions))
    retriever = snap.answerer.retriever
    t1 = time.perf_counter()
    c.answer(questions[0])  # the answerer's lazy tables (speakers, names) are built here
    first_ms = (time.perf_counter() - t1) * 1000
    retrieval, retrieval_cpu, answers, answers_cpu, found = [], [], [], [], 0
    for q in questions:
        terms = tokenize(q)
        t, c0 = time.perf_counter(), time.thread_time()
        retriever.top(terms, k=10)
        retrieval_cpu.append((time.thread_time() - c0) * 1000)
        retrieval.append((time.perf_counter() - t) * 1000)
    for q in questions:
        t, c0 = time.perf_counter(), time.thread_time()
        a = c.answer(q)
        answers_cpu.append((time.thread_time() - c0) * 1000)
        answers.append((time.perf_counter() - t) * 1000)
        found += a.found
    return {
        "load_s": load_s,
        "import_s": import_s,
        "first_answer_ms": first_ms,
        "rss_mb": _rss_mb(),
        "peak_rss_mb": _peak_rss_mb(),
        "found": found,
        "n": len(questions),
        "ret": _p50_p95(retrieval, 2),
        "ret_cpu": _p50_p95(retrieval_cpu, 2),
        "ans": _p50_p95(answers, 1),
        "ans_cpu": _p50_p95(answers_cpu, 1),
    }


def _p50_p95(values: list[float], digits: int) -> str:
    return f"{_pct(values, 0.5):.{digits}f} / {_pct(values, 0.95):.{digits}f}"


def _passages(index) -> list[list[str]]:
    """Each sentence's passage (its terms and its title's, repeated by count) from the index."""
    import numpy as np

    vocab = np.array(index.vocab, dtype=object)
    counts = np.asarray(index.tf_counts, dtype=np.int64)
    tokens = np.repeat(vocab[np.asarray(index.tf_indices)], counts)
    per_entry_end = np.cumsum(counts)  # token offset after each (sentence, term) entry
    ends = np.concatenate([[0], per_entry_end])[np.asarray(index.tf_indptr)]
    return [list(tokens[a:b]) for a, b in pairwise(ends.tolist())]


def _time_ours(retriever, queries: list[list[str]], cpu: bool = False) -> list[float]:
    clock = time.thread_time if cpu else time.perf_counter
    out = []
    for terms in queries:
        t = clock()
        retriever.top(terms, k=10)
        out.append((clock() - t) * 1000)
    return out


def _okapi_times(
    passages: list[list[str]], queries: list[list[str]], limit: int
) -> tuple[list[float], float]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from bot.index import BM25_PARAMS

    t = time.perf_counter()
    okapi = BM25Okapi(passages, k1=BM25_PARAMS["k1"], b=BM25_PARAMS["b"], epsilon=BM25_PARAMS["epsilon"])
    init_s = time.perf_counter() - t
    out = []
    for terms in queries[:limit]:
        t = time.perf_counter()
        scores = okapi.get_scores(terms)
        np.argpartition(-scores, min(10, len(scores) - 1))[:10]
        out.append((time.perf_counter() - t) * 1000)
    return out, init_s


def _tantivy_times(passages: list[list[str]], queries: list[list[str]]) -> list[float] | None:
    try:
        import tantivy
    except ImportError:
        return None
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace")
    tindex = tantivy.Index(sb.build())
    writer = tindex.writer(heap_size=500_000_000, num_threads=1)
    for p in passages:
        writer.add_document(tantivy.Document(body=" ".join(p)))
    writer.commit()
    tindex.reload()
    searcher = tindex.searcher()
    out = []
    for terms in queries:
        if not terms:
            continue
        t = time.perf_counter()
        searcher.search(tindex.parse_query(" ".join(terms), ["body"]), 10)
        out.append((time.perf_counter() - t) * 1000)
    return out


def cmd_compare(index: str, questions_in: str, okapi_limit: str) -> dict:
    """The same questions' terms through BM25Okapi.get_scores and tantivy, and through ours again."""
    from bot.index_store import IndexStore
    from bot.retriever import Retriever
    from bot.text import tokenize

    idx = IndexStore(Path(index)).load_current()
    queries = [tokenize(q) for q in json.loads(Path(questions_in).read_text())]
    ours = _time_ours(Retriever(idx), queries)
    passages = _passages(idx)
    okapi, okapi_init = _okapi_times(passages, queries, int(okapi_limit))
    tant = _tantivy_times(passages, queries)
    ours_okapi = ours[: len(okapi)]
    return {
        "ours_p50": _pct(ours, 0.5),
        "okapi_p50": _pct(okapi, 0.5),
        "okapi_n": len(okapi),
        "okapi_x": _pct(okapi, 0.5) / _pct(ours_okapi, 0.5),
        "okapi_init_s": okapi_init,
        "tantivy_p50": _pct(tant, 0.5) if tant else None,
        "tantivy_x": _pct(tant, 0.5) / _pct(ours, 0.5) if tant else None,
    }


def cmd_refresh_one(corpus: str, index: str) -> dict:
    """Add one article file beside the corpus and refresh; count what was parsed."""
    import bot.ingest
    from bot.index_store import IndexStore
    from bot.refresh import refresh

    parsed: list[int] = []
    # Count articles chunked (chunk_articles; chunk_article in older versions of bot.ingest).
    name = "chunk_articles" if hasattr(bot.ingest, "chunk_articles") else "chunk_article"
    real = getattr(bot.ingest, name)

    def counting(articles, rel_path):  # type: ignore[no-untyped-def]
        parsed.append(len(articles) if isinstance(articles, list) else 1)
        return real(articles, rel_path)

    setattr(bot.ingest, name, counting)
    added = Path(corpus) / f"added-{time.time_ns()}.txt"
    added.write_text(ADDED_ARTICLE, encoding="utf-8")
    try:
        t = time.perf_counter()
        report, _ = refresh(Path(corpus), IndexStore(Path(index)))
        wall = time.perf_counter() - t
    finally:
        added.unlink()
    return {"refresh_s": wall, "added": report.added, "unchanged": report.unchanged, "parsed": sum(parsed)}


def cmd_synthetic(n_sent: str, okapi_limit: str, work: str) -> dict:
    """Retrieval alone on `n_sent` synthetic passages (Zipf terms, 5 title terms per 40 sentences)."""
    import numpy as np

    from bot.index import CorpusIndex
    from bot.ingest import ArticleChunk
    from bot.retriever import Retriever

    n = int(n_sent)
    rng = np.random.default_rng(1)
    n_terms = 60_000
    p = 1 / np.arange(1, n_terms + 1) ** 1.07
    p /= p.sum()
    lens = rng.poisson(11, n) + 1
    ids = rng.choice(n_terms, size=int(lens.sum()), p=p)
    per_art = 40
    titles = rng.choice(n_terms, size=(n // per_art + 1, 5), p=p)
    terms = [f"t{i}" for i in range(n_terms)]
    chunks, passages = [], []
    sent_of = np.repeat(np.arange(n), lens)
    starts = np.concatenate([[0], np.cumsum(lens)])
    t_build = time.perf_counter()
    for a0 in range(0, n, per_art):
        a1 = min(n, a0 + per_art)
        title = titles[a0 // per_art]
        seg = ids[starts[a0] : starts[a1]]
        rows = sent_of[starts[a0] : starts[a1]] - a0
        rows = np.concatenate([rows, np.repeat(np.arange(a1 - a0), len(title))])
        cols = np.concatenate([seg, np.tile(title, a1 - a0)])
        uniq, cnt = np.unique(rows.astype(np.int64) * n_terms + cols, return_counts=True)
        r, c = uniq // n_terms, uniq % n_terms
        indptr = np.zeros(a1 - a0 + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=a1 - a0), out=indptr[1:])
        chunks.append(
            ArticleChunk(
                meta={"article_id": f"s{a0}", "title": "", "file": "synthetic"},
                body="",
                spans=np.zeros((a1 - a0, 3), dtype=np.int32),
                terms=terms,
                indptr=indptr,
                indices=c.astype(np.int32),
                counts=cnt.astype(np.uint16),
                speaker_ids=np.full(a1 - a0, -1, dtype=np.int32),
                how=np.zeros(a1 - a0, dtype=np.uint8),
            )
        )
    index = CorpusIndex.assemble(chunks, {}, {}, Path("synthetic"))
    build_s = time.perf_counter() - t_build
    folder = Path(work) / f"syn{n}"
    shutil.rmtree(folder, ignore_errors=True)
    index.save(folder)
    disk = _du_mb(folder)
    del index, chunks
    t = time.perf_counter()
    index = CorpusIndex.load(folder)
    retriever = Retriever(index)
    load_s = time.perf_counter() - t
    qlen = rng.integers(2, 7, N_QUESTIONS)
    queries = [[f"t{i}" for i in rng.choice(n_terms, size=k, p=p)] for k in qlen]
    retriever.top(queries[0])
    ours = _time_ours(retriever, queries)
    ours_cpu = _time_ours(retriever, queries, cpu=True)
    out = {
        "articles": len(range(0, n, per_art)),
        "sentences": n,
        "tokens": int(lens.sum()) + 5 * n,
        "build_s": build_s,
        "disk_mb": disk,
        "load_s": load_s,
        "rss_mb": _rss_mb(),
        "ret": _p50_p95(ours, 2),
        "ret_cpu": _p50_p95(ours_cpu, 2),
    }
    passages = _passages(index)
    okapi, _ = _okapi_times(passages, queries, int(okapi_limit))
    out["okapi_x"] = _pct(okapi, 0.5) / _pct(ours[: len(okapi)], 0.5)
    out["okapi_n"] = len(okapi)
    tant = _tantivy_times(passages, queries)
    out["tantivy_x"] = _pct(tant, 0.5) / _pct(ours, 0.5) if tant else None
    return out


def cmd_ask_cold(corpus: str, index: str) -> dict:
    """Wall time of `citebot ask "What did Blinken say?"` in a fresh process (index already built)."""
    exe = Path(sys.executable).with_name("citebot")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run(
            [str(exe), "ask", "What did Blinken say?", "--corpus", corpus, "--index", index],
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - t)
    return {"ask_cold_s": statistics.median(times), "ask_cold_min_s": min(times)}


SUBCOMMANDS = {
    "_build": cmd_build,
    "_serve": cmd_serve,
    "_compare": cmd_compare,
    "_refresh_one": cmd_refresh_one,
    "_synthetic": cmd_synthetic,
    "_ask_cold": cmd_ask_cold,
}


# --- the table ----------------------------------------------------------------------------------


def _fmt(v: object, spec: str = "") -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return format(v, spec) if spec else str(v)


COLUMNS = [
    ("corpus", "name", ""),
    ("articles", "articles", ","),
    ("sentences", "sentences", ","),
    ("tokens", "tokens", ","),
    ("build s", "build_s", ".1f"),
    ("cpu/wall", "cpu_ratio", ".2f"),
    ("disk MB", "disk_mb", ".0f"),
    ("load s", "load_s", ".2f"),
    ("RSS MB", "rss_mb", ".0f"),
    ("retrieval ms p50 / p95", "ret", ""),
    ("(cpu)", "ret_cpu", ""),
    ("answer ms p50 / p95", "ans", ""),
    ("(cpu) ", "ans_cpu", ""),
    ("BM25Okapi ×", "okapi_x", ",.0f"),
    ("tantivy ×", "tantivy_x", ".2f"),
    ("refresh +1 s", "refresh_s", ".1f"),
]


def print_table(rows: list[dict]) -> None:
    head = "| " + " | ".join(c[0] for c in COLUMNS) + " |"
    print(head)
    print("|" + "|".join("---" for _ in COLUMNS) + "|")
    for r in rows:
        print("| " + " | ".join(_fmt(r.get(key), spec) for _, key, spec in COLUMNS) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="bundled,extra,scale10,scale,syn100k,syn1m")
    ap.add_argument("--work", default="/tmp/citebot-bench", type=Path)
    ap.add_argument("--okapi-queries", type=int, default=N_QUESTIONS, help="plain-BM25Okapi queries per size")
    ap.add_argument("--okapi-queries-1m", type=int, default=5, help="… at about a million sentences")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    rows, notes = [], []
    for size in args.sizes.split(","):
        print(f"[{time.strftime('%H:%M:%S')}] {size} …", file=sys.stderr, flush=True)
        if size.startswith("syn"):
            n = 100_000 if size == "syn100k" else 1_000_000
            limit = args.okapi_queries if n < 500_000 else args.okapi_queries_1m
            row = {
                "name": f"synthetic {size[3:]} (retrieval only)",
                **_sub("_synthetic", str(n), str(limit), str(args.work)),
            }
            row["build_s"] = None  # not a corpus build: chunks are made directly
            rows.append(row)
            continue
        corpus = prepare(size, args.work)
        index = args.work / size / "index"
        row = {"name": size}
        row.update(_sub("_build", str(corpus), str(index)))
        row["cpu_ratio"] = row["build_cpu_s"] / row["build_s"]
        qfile = args.work / size / "questions.json"
        row.update(_sub("_serve", str(corpus), str(index), str(qfile)))
        limit = args.okapi_queries if row["sentences"] < 500_000 else args.okapi_queries_1m
        row.update(
            {
                k: v
                for k, v in _sub("_compare", str(index), str(qfile), str(limit)).items()
                if k in ("okapi_x", "tantivy_x", "okapi_n")
            }
        )
        if size == "bundled":
            cold = _sub("_ask_cold", str(corpus), str(index))
            notes.append(
                f'`citebot ask "What did Blinken say?"` on the bundled corpus, cold process: '
                f"{cold['ask_cold_s']:.2f} s median of 5 (best {cold['ask_cold_min_s']:.2f} s)"
            )
        one = _sub(
            "_refresh_one",
            str(corpus) if size != "extra" else _extra_copy(args.work),
            str(index) if size != "extra" else str(args.work / "extra-copy" / "index"),
        )
        row["refresh_s"] = one["refresh_s"]
        notes.append(
            f"{size}: refresh after adding one article: {one['refresh_s']:.2f} s, "
            f"{one['added']} file added, "
            f"{one['unchanged']} unchanged, {one['parsed']} article(s) parsed; "
            f"{row['found']}/{row['n']} questions answered; load {row['load_s']:.2f} s "
            f"(+{row['import_s']:.2f} s imports), first answer {row['first_answer_ms']:.0f} ms; "
            f"BM25Okapi over {row['okapi_n']} queries"
        )
        rows.append(row)
    print_table(rows)
    print()
    for note in notes:
        print(f"- {note}")
    before = "/".join(f"{x:.1f}" for x in load_before)
    after = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"- load average (1/5/15 min) before: {before}, after: {after}, on {os.cpu_count()} cores")


def _extra_copy(work: Path) -> str:
    """corpus-extra is read-only: refresh +1 runs on a copy (its index is built by the refresh)."""
    dest = work / "extra-copy" / "corpus"
    if not dest.exists():
        shutil.copytree(SHARED / "corpus-extra", dest)
        index = work / "extra-copy" / "index"
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(work / "extra" / "index", index, symlinks=True)
    return str(dest)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in SUBCOMMANDS:
        print(json.dumps(SUBCOMMANDS[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
