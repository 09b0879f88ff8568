"""Turning article files into index-ready pieces: sentences, their terms, and the names they hold.

This is the expensive part of a refresh, so it runs in a process pool over the work that
changed and nowhere else: unchanged articles are carried over from the previous index
without being parsed or tokenized again. The pool's unit of work is a batch of files, or a
batch of lines of a bulk JSON Lines file, so one big `.jsonl.gz` keeps every core busy too.

Terms are counted per sentence exactly as `bot.text.tokenize(sentence)` would, but each
space-separated word is tokenized once per process and looked up after that: a space is a
token separator before and after folding, so the two agree term for term (a test checks it).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from bot.articles import ArticleError, collect_notes, parse_article
from bot.attribution import Attributor, How, default_attributor
from bot.bulk import iter_bulk_articles
from bot.records import ArticleRecord, SpeakerRecord
from bot.text import fold, tokenize

if TYPE_CHECKING:
    from concurrent.futures import Future

    from bot.models import Article

_CAPITALISED = re.compile(r"[^\W\d_][\w’'-]*")


@dataclass
class ArticleChunk:
    """One article as the index holds it: metadata, body, sentence spans and term counts.

    Term counts are a small CSR matrix (one row per sentence) over `terms`, a vocabulary that
    may be shared between chunks (chunks of one ingest batch, or carried over from an old
    index, share theirs), so `terms` may hold words this article does not use.
    """

    meta: ArticleRecord
    body: str
    spans: np.ndarray  # (n, 3) int32: start, end, paragraph
    terms: list[str]
    indptr: np.ndarray  # (n + 1,) int64
    indices: np.ndarray  # int32 into `terms`
    counts: np.ndarray  # uint16
    names: dict[str, int] = field(default_factory=dict)
    speakers: list[SpeakerRecord] = field(default_factory=list)  # local table: display, names, roles, org
    speaker_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # -1: nobody
    how: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))  # code in HOW_CODES
    rules: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))  # into attributor.rule_ids
    where: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), np.int32))  # cue, mention spans


#: How a sentence is attributed (index in this tuple is what the index stores; "" = nobody).
HOW_CODES = ("", *(h.value for h in How))


@dataclass
class FileResult:
    """What ingesting one file gave: its articles, a reason per article or line skipped, and notes
    on what was kept but changed (a title cut to length)."""

    rel_path: str
    chunks: list[ArticleChunk]
    skipped: list[str]
    notes: list[str] = field(default_factory=list)


#: Reasons kept per file: a bulk file of 3 million bad lines is one file to fix, not 3 million
#: lines to hold in memory, store in the manifest and print.
MAX_REASONS = 20


def _bounded(reasons: list[str], rel: str, extra: int = 0) -> list[str]:
    """`reasons` cut to MAX_REASONS, the last one saying how many more there were."""
    more = extra + max(len(reasons) - MAX_REASONS, 0)
    if not more:
        return reasons
    return [*reasons[:MAX_REASONS], f"{rel}: … and {more:,} more line(s) skipped"]


def _extra(reasons: list[str]) -> int:
    """How many reasons a `_bounded` list stands for beyond the ones it holds."""
    m = _MORE_RE.search(reasons[-1]) if reasons else None
    return int(m[1].replace(",", "")) if m else 0


_MORE_RE = re.compile(r": … and ([\d,]+) more line\(s\) skipped$")


def _failure(rel: str, exc: BaseException) -> str:
    """One line for an unexpected failure on one file, so it is skipped instead of ending the refresh."""
    text = " ".join(str(exc).split())
    return f"{rel}: {type(exc).__name__}: {text[:200]}" if text else f"{rel}: {type(exc).__name__}"


def article_meta(article: Article, rel_path: str) -> ArticleRecord:
    meta = article.model_dump(mode="json", exclude={"body"})
    meta["file"] = rel_path
    return cast(ArticleRecord, meta)


class _WordTerms(dict[str, tuple[str, ...]]):
    """Space-separated word → its index terms; a per-process cache of `tokenize`."""

    MAX = 400_000

    def __missing__(self, word: str) -> tuple[str, ...]:
        if len(self) >= self.MAX:
            self.clear()
        terms = self[word] = tuple(tokenize(word))
        return terms


_word_terms = _WordTerms()


def sentence_terms(sentence: str) -> list[str]:
    """`tokenize(sentence)`, from cached per-word results."""
    return list(chain.from_iterable(map(_word_terms.__getitem__, sentence.split(" "))))


class _Vocab(dict[str, int]):
    """term → batch-local id, assigned on first sight."""

    def __missing__(self, term: str) -> int:
        n = self[term] = len(self)
        return n


#: Sentences one article may have. The longest news articles have about 2,000 (a four-hour press
#: conference's transcript); every sentence costs attribution time, so a 7 MB one-line file of
#: 200,000 "sentences" held the refresh (and its lock) for minutes. Past this the article is
#: skipped with its reason, before any attribution.
MAX_SENTENCES = 10_000


def too_many_sentences(n: int) -> str:
    """The skip reason of an article of `n` sentences."""
    return f"too many sentences for one article ({n:,}; at most {MAX_SENTENCES:,})"


def chunk_articles(
    articles: Sequence[Article], rel_path: str, skipped: list[str] | None = None
) -> list[ArticleChunk]:
    """Split articles into sentences and count each sentence's index terms (title included).

    The chunks share one vocabulary; counting is done for the whole batch with one sort, so
    the per-sentence Python work is a split and a few dict look-ups. An article of more than
    `MAX_SENTENCES` sentences is left out with its reason in `skipped` (a bulk file's other
    articles are still indexed); without `skipped` it raises `ArticleError`.
    """
    from bot.sentences import sentence_spans

    attributor = default_attributor()

    vocab = _Vocab()
    lookup = vocab.__getitem__
    ids: list[int] = []
    lens: list[int] = []
    all_spans: list[list[tuple[int, int, int]]] = []
    kept: list[Article] = []
    for article in articles:
        body = article.body
        spans = sentence_spans(body)
        if len(spans) > MAX_SENTENCES:
            if skipped is None:
                raise ArticleError(too_many_sentences(len(spans)))
            skipped.append(f"{rel_path}: {article.article_id}: {too_many_sentences(len(spans))}")
            continue
        kept.append(article)
        all_spans.append(spans)
        title_ids = list(map(lookup, tokenize(article.title)))
        for start, end, _ in spans:
            before = len(ids)
            ids.extend(map(lookup, sentence_terms(body[start:end])))
            ids.extend(title_ids)
            lens.append(len(ids) - before)
    n_sent = len(lens)
    width = max(len(vocab), 1)
    keys = np.repeat(np.arange(n_sent, dtype=np.int64), lens) * width + np.array(ids, dtype=np.int64)
    uniq, counts = np.unique(keys, return_counts=True)
    rows = uniq // width
    cols = (uniq - rows * width).astype(np.int32)
    counts16 = np.minimum(counts, 65535).astype(np.uint16)
    row_ptr = np.zeros(n_sent + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_sent), out=row_ptr[1:])
    terms = list(vocab)

    chunks = []
    first = 0
    for article, spans in zip(kept, all_spans, strict=True):
        n = len(spans)
        lo, hi = int(row_ptr[first]), int(row_ptr[first + n])
        speakers, speaker_ids, how, rules, where = _speakers(article, spans, attributor)
        chunks.append(
            ArticleChunk(
                meta=article_meta(article, rel_path),
                body=article.body,
                spans=np.array(spans, dtype=np.int32).reshape(-1, 3),
                terms=terms,
                indptr=row_ptr[first : first + n + 1] - lo,
                indices=cols[lo:hi],
                counts=counts16[lo:hi],
                names=_names(article.body),
                speakers=speakers,
                speaker_ids=speaker_ids,
                how=how,
                rules=rules,
                where=where,
            )
        )
        first += n
    return chunks


def chunk_article(article: Article, rel_path: str) -> ArticleChunk:
    """One article as a chunk (see `chunk_articles`)."""
    return chunk_articles([article], rel_path)[0]


def _names(body: str) -> dict[str, int]:
    """Folded capitalised words and their counts: the names a question may misspell."""
    return dict(Counter(fold(w) for w in _CAPITALISED.findall(body) if w[0].isupper()))


def _speakers(
    article: Article, spans: list[tuple[int, int, int]], attributor: Attributor
) -> tuple[list[SpeakerRecord], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The article's speaker table; each sentence's speaker (-1: nobody), how-code and rule code;
    and the body offsets of each sentence's cue and speaker mention (-1 where it holds none)."""
    body = article.body
    sentences = [body[s:e] for s, e, _ in spans]
    attributions = attributor.attribute(sentences, [p for _, _, p in spans], article.title)
    table: dict[str, int] = {}
    speakers: list[SpeakerRecord] = []
    n = len(spans)
    speaker_ids = np.full(n, -1, dtype=np.int32)
    how = np.zeros(n, dtype=np.uint8)
    rules = np.zeros(n, dtype=np.uint8)
    where = np.full((n, 4), -1, dtype=np.int32)
    rule_codes = {r: k for k, r in enumerate(attributor.rule_ids)}
    for i, att in enumerate(attributions):
        rules[i] = rule_codes.get(att.rule, 0)
        start = spans[i][0]
        if att.cue_span is not None:
            where[i, 0:2] = (start + att.cue_span[0], start + att.cue_span[1])
        if att.mention_span is not None:
            where[i, 2:4] = (start + att.mention_span[0], start + att.mention_span[1])
        ent = att.speaker
        if ent is None or att.how is None:
            continue
        if ent.name not in table:
            table[ent.name] = len(speakers)
            speakers.append(
                {
                    "display": ent.name,
                    "names": list(ent.names),
                    "roles": sorted(ent.roles),
                    "org": ent.org,
                    "gender": ent.gender,
                    "stated": {article.article_id: sorted(ent.roles)} if ent.roles else {},
                }
            )
        else:
            known = speakers[table[ent.name]]
            known["roles"] = sorted(set(known["roles"]) | ent.roles)
            if ent.roles:
                known["stated"] = {article.article_id: known["roles"]}
        speaker_ids[i] = table[ent.name]
        how[i] = HOW_CODES.index(att.how.value)
    return speakers, speaker_ids, how, rules, where


# --- files ---------------------------------------------------------------------------------


def _is_bulk(path: Path) -> bool:
    return path.name.lower().endswith((".jsonl", ".jsonl.gz"))


def ingest_file(path: Path, corpus_dir: Path) -> FileResult:
    """Parse one corpus file (an article, or a JSON Lines file of many) into chunks.

    Never raises for what is in the file: any failure on it becomes its skip reason, so one
    hostile file cannot fail a refresh and leave the corpus without a fresh index.
    """
    rel = path.relative_to(corpus_dir).as_posix()
    chunks: list[ArticleChunk] = []
    skipped: list[str] = []
    with collect_notes() as notes:
        try:
            if _is_bulk(path):
                good = []
                bad = 0
                for item in iter_bulk_articles(path, corpus_dir):
                    if isinstance(item, ArticleError):
                        bad += 1
                        if bad <= MAX_REASONS:
                            skipped.append(f"{rel}: {item}")
                    elif item.body.strip():
                        good.append(item)
                chunks = chunk_articles(good, rel, skipped)
                skipped = _bounded(skipped, rel, max(bad - MAX_REASONS, 0))
            else:
                chunks.append(chunk_article(parse_article(path, corpus_dir), rel))
        except ArticleError as exc:
            skipped.append(f"{rel}: {exc}")
        except (MemoryError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # unreadable file, odd content, a library's bug: skip it, keep the rest
            skipped.append(_failure(rel, exc))
    return FileResult(rel, chunks, skipped, [f"{rel}: {n}" for n in notes])


def _ingest_bulk_here(path: Path, corpus_dir: Path) -> FileResult:
    """A bulk file in this process, batch by batch as the pool does: a gzip of 3 million tiny
    lines is never 3 million parsed records (or reasons) in memory at once."""
    rel = path.relative_to(corpus_dir).as_posix()
    parts = [_ingest_bulk_batch(rel, prefix, lines) for prefix, lines in _bulk_batches(path, corpus_dir)]
    return _joined(parts)


def _ingest_batch(paths: list[Path], corpus_dir: Path) -> list[FileResult]:
    return [ingest_file(p, corpus_dir) for p in paths]


#: Raw bytes of bulk lines sent to a worker at once: big enough to amortise the round trip,
#: small enough that both workers get many and finish together.
BULK_BATCH_BYTES = 2 << 20
#: And lines: 3 million tiny lines are 3 million Python objects, whatever their bytes.
BULK_BATCH_LINES = 20_000


def _bulk_batches(path: Path, corpus_dir: Path) -> Iterator[tuple[str, list[tuple[int, bytes | None]]]]:
    """(article id prefix, [(line number, raw line)]) batches of a bulk file, read once here.

    Lines are parsed in the workers, with `bot.articles`' own line parser, so that JSON and
    article parsing are spread over the cores too. A read error ends the file with an error
    line (as `iter_bulk_articles` does).
    """
    from bot.bulk import bulk_lines, open_bulk
    from bot.corpus_scan import article_id_for

    prefix = article_id_for(path, corpus_dir)
    batch: list[tuple[int, bytes | None]] = []
    size = 0
    lineno = 0
    try:
        with open_bulk(path) as f:
            for lineno, raw in enumerate(bulk_lines(f), 1):
                if raw is not None and not raw.strip():
                    continue  # blank lines are no records: not worth a trip to a worker
                batch.append((lineno, raw))
                size += len(raw) if raw else 0
                if size >= BULK_BATCH_BYTES or len(batch) >= BULK_BATCH_LINES:
                    yield prefix, batch
                    batch, size = [], 0
    except ArticleError as exc:
        batch.append((-(lineno + 1), str(exc).encode()))
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        batch.append((-(lineno + 1), f"cannot read {path.name}: {exc}".encode()))
    yield prefix, batch


def _ingest_bulk_batch(rel: str, prefix: str, lines: list[tuple[int, bytes | None]]) -> FileResult:
    """Parse and chunk a batch of bulk lines (in a worker)."""
    from bot.bulk import bulk_article

    good = []
    skipped = []
    bad = 0
    with collect_notes() as notes:
        for lineno, raw in lines:
            if lineno < 0:  # the file could not be read past here
                skipped.append(f"{rel}: {ArticleError(raw.decode(), -lineno)}")  # type: ignore[union-attr]
                continue
            try:
                item = bulk_article(raw, lineno, prefix)
            except (MemoryError, KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:
                item = ArticleError(_failure("", exc)[2:], lineno)
            if isinstance(item, ArticleError):
                bad += 1
                if bad <= MAX_REASONS:
                    skipped.append(f"{rel}: {item}")
            elif item is not None and item.body.strip():
                good.append(item)
        try:
            chunks = chunk_articles(good, rel, skipped) if good else []
        except (MemoryError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            return FileResult(rel, [], [*skipped, _failure(rel, exc)])
    found = [f"{rel}: {n}" for n in notes]
    return FileResult(rel, chunks, _bounded(skipped, rel, max(bad - MAX_REASONS, 0)), found)


def ingest_files(
    paths: Iterable[Path],
    corpus_dir: Path,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[FileResult]:
    """Ingest files, in a process pool when there is enough work to pay for one; results in order.

    Bulk files are cut into batches of lines so that one big file uses every worker; their
    batches' results are joined back into one `FileResult` per file. Work is submitted a
    bounded number of batches ahead, so a huge bulk file is never all in memory at once.
    """
    paths = list(paths)
    workers = workers or os.cpu_count() or 1
    big = sum(_text_size(p) for p in paths if _is_bulk(p)) > 2 * BULK_BATCH_BYTES
    if workers == 1 or (len(paths) < 16 and not big):
        for p in paths:
            yield _ingest_bulk_here(p, corpus_dir) if _is_bulk(p) else ingest_file(p, corpus_dir)
            if progress:
                progress(1)
        return
    from concurrent.futures import ProcessPoolExecutor  # imported here: answering never needs it

    per = max(1, min(64, sum(not _is_bulk(p) for p in paths) // (workers * 8)))
    with ProcessPoolExecutor(
        max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)
    ) as pool:
        jobs = _jobs(paths, corpus_dir, per)
        window: deque[tuple[str | None, Future[Any]]] = deque()

        def refill() -> None:
            while len(window) < workers * 3:
                job = next(jobs, None)
                if job is None:
                    return
                bulk_rel, fn, args = job
                window.append((bulk_rel, pool.submit(fn, *args)))

        refill()
        parts: list[FileResult] = []
        while window:
            bulk_rel, fut = window.popleft()
            result = fut.result()
            refill()
            if parts and parts[0].rel_path != bulk_rel:
                yield _joined(parts)
                parts = []
                if progress:
                    progress(1)
            if bulk_rel is not None:
                parts.append(result)
                continue
            for r in result:
                yield r
                if progress:
                    progress(1)
        if parts:
            yield _joined(parts)
            if progress:
                progress(1)


def die_with_parent(parent: int) -> None:
    """Pool worker initializer: end this worker when the process that started it dies.

    After a `kill -9` of a refresh nothing tells its workers (~65 MB each) to stop. On Linux
    the kernel does, by `prctl(PR_SET_PDEATHSIG, SIGKILL)`; elsewhere a thread watches the
    parent's pid. Either way a parent already gone before this ran is caught by `getppid`.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    else:
        threading.Thread(
            target=_watch_parent, args=(parent,), name="citebot-parent-watch", daemon=True
        ).start()
    if os.getppid() != parent:
        os._exit(1)


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _jobs(
    paths: list[Path], corpus_dir: Path, per: int
) -> Iterator[tuple[str | None, Callable[..., Any], tuple[Any, ...]]]:
    """Pool jobs in file order: (bulk file's relative path or None, function, arguments)."""
    group: list[Path] = []
    for p in paths:
        if not _is_bulk(p):
            group.append(p)
            if len(group) == per:
                yield None, _ingest_batch, (group, corpus_dir)
                group = []
            continue
        if group:
            yield None, _ingest_batch, (group, corpus_dir)
            group = []
        rel = p.relative_to(corpus_dir).as_posix()
        for prefix, lines in _bulk_batches(p, corpus_dir):
            yield rel, _ingest_bulk_batch, (rel, prefix, lines)
    if group:
        yield None, _ingest_batch, (group, corpus_dir)


def _joined(parts: list[FileResult]) -> FileResult:
    rel = parts[0].rel_path
    chunks = [c for r in parts for c in r.chunks]
    kept = [s for r in parts for s in (r.skipped[:-1] if _extra(r.skipped) else r.skipped)]
    extra = sum(_extra(r.skipped) for r in parts) + max(len(kept) - MAX_REASONS, 0)
    notes = list(dict.fromkeys(n for r in parts for n in r.notes))
    return FileResult(rel, chunks, _bounded(kept[:MAX_REASONS], rel, extra), notes)


def _text_size(path: Path) -> int:
    """About how many bytes of text a bulk file holds (gzip shrinks news text about 3 times)."""
    try:
        size = path.stat().st_size
    except OSError:
        return 0
    return size * 3 if path.name.lower().endswith(".gz") else size
