"""Pulling a corpus's sources into article files: the body of `fetch_sources`.

Four stages, so that the network runs in parallel but every decision and every write is made
in one thread: (1) fetch each source (feed or page) at once, conditionally; (2) pick the
links not seen before, each once across all sources; (3) download and extract those pages
at once; (4) dedupe by canonical URL and content hash, write files, record state. A failure
in any source or article is caught where it happens and reported; the others go on.

One fetch at a time per corpus: a lock file in the corpus folder refuses a second one (it
would download the same articles and race on the same file names). The index has its own
lock, so a fetch never blocks questions and a refresh never sees half-written files (files
are written atomically under hidden temporary names that the indexer skips).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from filelock import FileLock, Timeout

from bot.articles import ArticleError, parse_text
from bot.files import write_atomic
from bot.sources.addresses import Resolver
from bot.sources.config import FetchSettings, Source, SourcesConfig, SourcesError, load_sources
from bot.sources.extract import Extracted, ExtractError, extract_article, is_html
from bot.sources.feeds import FeedEntry, FeedError, looks_like_feed, parse_feed
from bot.sources.fetch import FEED_ACCEPT, PAGE_ACCEPT, Fetcher, FetchError, Response
from bot.sources.report import FetchReport, SourceReport
from bot.sources.store import (
    LOCK_FILE,
    FetchState,
    SeenUrl,
    SourceState,
    UnsafePath,
    article_text,
    content_hash,
    load_state,
    new_article_path,
    safe_path,
    save_state,
)
from bot.sources.urls import normalize_url, redact_text, redact_url, without_tracking

__all__ = ["fetch_sources", "probe_kind"]

log = logging.getLogger(__name__)


def fetch_sources(
    corpus_dir: Path,
    *,
    settings: FetchSettings | None = None,
    lock_timeout: float = 0.0,
    resolver: Resolver | None = None,
) -> FetchReport:
    """Fetch the sources of `corpus_dir/sources.toml` into `corpus_dir/fetched/`; never raises.

    Without a sources.toml this does nothing (`report.configured` is False). `settings`
    overrides the file's `[fetch]` table. When another fetch holds the lock, waits up to
    `lock_timeout` seconds, then returns a report whose `error` says so. `resolver` turns
    host names into the addresses that are checked and connected to (default: the system's).
    """
    t0 = time.monotonic()
    corpus_dir = Path(corpus_dir).resolve()
    report = FetchReport()
    try:
        config = load_sources(corpus_dir)
    except SourcesError as e:
        report.configured, report.error = True, str(e)
        return report
    if config is None:
        return report
    report.configured = True
    lock = FileLock(str(corpus_dir / LOCK_FILE), timeout=lock_timeout)
    try:
        lock.acquire()
    except Timeout:
        report.error = (
            f"another fetch of this corpus is running (lock file {LOCK_FILE}); this one was skipped"
        )
        return report
    except OSError as e:
        report.error = (
            f"cannot create {corpus_dir / LOCK_FILE}: {e.strerror or e} (is the corpus folder writable?)"
        )
        return report
    try:
        _Run(corpus_dir, config, settings or config.fetch, report, resolver).run()
    except Exception as e:  # a bug here must not stop the index refresh that follows
        log.exception("fetching sources failed")
        report.error = redact_text(f"fetch failed: {type(e).__name__}: {e}")
    finally:
        lock.release()
    report.seconds = time.monotonic() - t0
    for s in report.sources:  # errors of sources are routine: the report carries them
        log.info("source %s: %s", redact_text(s.name), redact_text(s.summary()))
    return report


def probe_kind(
    url: str, settings: FetchSettings | None = None, *, allow_private: bool = False
) -> tuple[str, str | None]:
    """("feed" or "page", None) by fetching `url`; FetchError if it cannot be fetched.

    Used by `sources add` when no kind is given. Errors are not tolerated here: the user
    is adding this URL now and should hear that it does not work.
    """
    with Fetcher(settings or FetchSettings(total_timeout=20, retries=0)) as fetcher:
        resp = fetcher.get(url, accept=FEED_ACCEPT, allow_private=allow_private)
    if looks_like_feed(resp.content, resp.content_type):
        try:
            parse_feed(resp.content, resp.url, resp.content_type)
        except FeedError as e:
            return "feed", str(e)
        return "feed", None
    if not is_html(resp.content, resp.content_type):
        return "page", f"neither a feed nor an HTML page ({resp.content_type or 'no content type'})"
    return "page", None


@dataclass
class _Pulled:
    """Stage 1's result for one source."""

    source: Source
    kind: str | None
    response: Response | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    truncated: bool = False  # more new entries than max_new_per_source: the rest next run


@dataclass(frozen=True)
class _Job:
    """An article to download (or, for a page source, already downloaded in stage 1)."""

    source: Source
    entry: FeedEntry
    response: Response | None = None


class _Run:
    def __init__(
        self,
        corpus_dir: Path,
        config: SourcesConfig,
        settings: FetchSettings,
        report: FetchReport,
        resolver: Resolver | None = None,
    ):
        self.corpus_dir = corpus_dir
        self.resolver = resolver
        self.config = config
        self.settings = settings
        self.report = report
        self.state: FetchState = FetchState()
        self.reports = {s.url: SourceReport(name=s.label, url=s.url, kind=s.kind) for s in config.sources}
        report.sources = list(self.reports.values())
        self.retry_later: set[str] = set()  # sources with an article that failed for now
        self.page_errors: dict[str, str] = {}  # page sources whose page failed, and why
        self.now = datetime.now(UTC)

    def run(self) -> None:
        self.state, self.report.warning = load_state(self.corpus_dir)
        pulled: list[_Pulled] = []
        try:
            with (
                Fetcher(self.settings, resolver=self.resolver) as fetcher,
                ThreadPoolExecutor(self.settings.concurrency, thread_name_prefix="citebot-fetch") as pool,
            ):
                pulled = list(pool.map(lambda s: self._pull(fetcher, s), self.config.sources))
                jobs = self._plan(pulled)
                results = list(pool.map(lambda j: self._download(fetcher, j), jobs))
            for job, result in zip(jobs, results, strict=True):
                self._store(job, result)
        finally:
            self._record(pulled)
            save_state(self.corpus_dir, self.state)

    # --- stage 1: each source ---------------------------------------------------------

    def _pull(self, fetcher: Fetcher, source: Source) -> _Pulled:
        st = self.state.sources.get(source.url) or SourceState()
        pulled = _Pulled(source, source.kind)
        try:
            resp = fetcher.get(
                source.url,
                accept=PAGE_ACCEPT if source.kind == "page" else FEED_ACCEPT,
                etag=st.etag,
                last_modified=st.last_modified,
                allow_private=source.allow_private,
            )
            pulled.response = resp
            if resp.not_modified:
                return pulled
            if pulled.kind is None:
                pulled.kind = "feed" if looks_like_feed(resp.content, resp.content_type) else "page"
            if pulled.kind == "feed":
                pulled.entries, pulled.warning = parse_feed(resp.content, resp.url, resp.content_type)
            else:
                pulled.entries = [FeedEntry(url=source.url)]
        except (FetchError, FeedError) as e:
            pulled.error = str(e)
        except Exception as e:  # a library bug on one source must not stop the others
            log.exception("source %s", redact_url(source.url))
            pulled.error = f"internal error: {type(e).__name__}: {e}"
        return pulled

    # --- stage 2: what to download ------------------------------------------------------

    def _plan(self, pulled: list[_Pulled]) -> list[_Job]:
        jobs: list[_Job] = []
        claimed: set[str] = set()
        for p in pulled:
            rep = self.reports[p.source.url]
            if p.error or p.response is None or p.response.not_modified:
                continue
            if p.kind == "page":
                claimed.add(normalize_url(p.source.url))
                jobs.append(_Job(p.source, p.entries[0], p.response))
                continue
            rep.entries = len(p.entries)
            todo = 0
            for entry in p.entries:
                key = normalize_url(entry.url)
                if key in claimed:  # another source lists it in this run
                    rep.duplicates += 1
                    continue
                if key in self.state.seen:
                    continue
                if todo == self.settings.max_new_per_source:
                    p.truncated = True
                    break
                claimed.add(key)
                jobs.append(_Job(p.source, entry))
                todo += 1
        return jobs

    # --- stage 3: download and extract ------------------------------------------------

    def _download(self, fetcher: Fetcher, job: _Job) -> Extracted | Exception:
        try:
            resp = job.response or fetcher.get(
                job.entry.url, accept=PAGE_ACCEPT, allow_private=job.source.allow_private
            )
            if not is_html(resp.content, resp.content_type):
                raise ExtractError(f"not an HTML page ({resp.content_type or 'unknown type'})")
            return extract_article(resp.content, resp.url)
        except (FetchError, ExtractError) as e:
            return e
        except Exception as e:
            log.exception("article %s", redact_url(job.entry.url))
            return ExtractError(f"internal error: {type(e).__name__}: {e}")

    # --- stage 4: dedupe and write ------------------------------------------------------

    def _fail(self, job: _Job, reason: str, *, permanent: bool) -> None:
        if job.response is not None:  # a page source: its one article failing is the source failing
            self.page_errors[job.source.url] = reason
            self.retry_later.add(job.source.url)  # fetched in full next run, so the error stays visible
            return
        self.reports[job.source.url].failed.append(f"{job.entry.url}: {reason}")
        if permanent:  # not tried again: a 404 or a page without text stays so
            self.state.seen[normalize_url(job.entry.url)] = SeenUrl(
                source=job.source.url, first_seen=self.now, failed=reason
            )
        else:  # the source's validators are not kept, so the next run sees its links again
            self.retry_later.add(job.source.url)

    def _store(self, job: _Job, result: Extracted | Exception) -> None:
        rep = self.reports[job.source.url]
        if not isinstance(result, FetchError):
            rep.fetched += 1  # downloaded, whatever it turned out to hold
        if isinstance(result, Exception):
            self._fail(job, str(result), permanent=getattr(result, "permanent", True))
            return
        source_label = job.source.name or (urlsplit(job.source.url).hostname or "").removeprefix("www.")
        title = job.entry.title or result.title or _title_from_url(result.url)
        paragraphs = result.paragraphs
        if len(paragraphs) > 1 and paragraphs[0] in (result.title, title):  # the page's headline
            paragraphs = paragraphs[1:]
        text = article_text(
            title=title,
            url=without_tracking(result.url),
            published=result.published or job.entry.published,
            source=source_label,
            author=result.author or job.entry.author,
            paragraphs=paragraphs,
        )
        try:  # exactly what the indexer will read from the file
            article = parse_text(text, "fetched")
        except ArticleError as e:
            self._fail(job, str(e), permanent=True)
            return
        digest = content_hash(article.body)
        link_key, canon_key = normalize_url(job.entry.url), normalize_url(result.url)
        prior = self.state.seen.get(canon_key)
        if prior is not None and prior.path is not None:
            if job.response is not None and prior.source == job.source.url:  # a page source, fetched again
                changed = (
                    prior.hash != digest and (self.corpus_dir / prior.path).exists()
                )  # deleted: stays so
                if changed and self._write(job, prior.path, text):
                    rep.updated += 1
                    self._remember(job, prior.path, digest, link_key, canon_key)
                return
            rep.duplicates += 1
            self.state.seen.setdefault(link_key, prior)
            return
        if digest in self.state.hashes:
            rep.duplicates += 1
            self._remember(job, self.state.hashes[digest], digest, link_key, canon_key, new_hash=False)
            return
        try:
            path = new_article_path(self.corpus_dir, job.source.slug, article.published, title, result.url)
        except UnsafePath as e:
            self._fail(job, str(e), permanent=True)
            return
        rel = path.relative_to(self.corpus_dir).as_posix()
        if self._write(job, rel, text):
            rep.new += 1
            self.report.new_files.append(rel)
            self._remember(job, rel, digest, link_key, canon_key)

    def _write(self, job: _Job, rel: str, text: str) -> bool:
        try:
            write_atomic(safe_path(self.corpus_dir, *rel.split("/")), text)
        except UnsafePath as e:
            self._fail(job, str(e), permanent=True)
            return False
        except OSError as e:
            self._fail(job, f"cannot write {rel}: {e.strerror or e}", permanent=False)
            return False
        return True

    def _remember(self, job: _Job, rel: str, digest: str, *keys: str, new_hash: bool = True) -> None:
        seen = SeenUrl(source=job.source.url, first_seen=self.now, path=rel, hash=digest)
        for key in keys:
            self.state.seen[key] = seen
        if new_hash:
            self.state.hashes[digest] = rel

    # --- bookkeeping ------------------------------------------------------------------

    def _record(self, pulled: list[_Pulled]) -> None:
        """Per-source outcome into the report and the state; forget sources no longer listed."""
        for p in pulled:
            rep = self.reports[p.source.url]
            st = self.state.sources.setdefault(p.source.url, SourceState())
            st.last_fetch, rep.kind, rep.warning = self.now, p.kind, p.warning
            error = p.error or self.page_errors.get(p.source.url)
            if error is not None:
                st.outcome = rep.outcome = "error"
                st.error = rep.error = error
                if p.error is None:  # the page came but could not be stored: fetch it in full next run
                    st.etag = st.last_modified = None
                continue
            st.error = None
            assert p.response is not None
            if p.response.not_modified:
                st.outcome = rep.outcome = "not_modified"
                st.new = 0
                continue
            st.outcome, st.new = "ok", rep.new + rep.updated
            complete = p.source.url not in self.retry_later and not p.truncated
            st.etag = p.response.headers.get("etag") if complete else None
            st.last_modified = p.response.headers.get("last-modified") if complete else None
        listed = {s.url for s in self.config.sources}
        self.state.sources = {url: st for url, st in self.state.sources.items() if url in listed}
        self._prune(listed)

    def _prune(self, listed: set[str]) -> None:
        """Keep only what can still matter: URLs of sources still listed, and articles still on disk.

        Without this the state grows with every link a removed feed ever had, and every reader
        of it (status, the health check) pays for that."""
        exists: dict[str, bool] = {}

        def on_disk(rel: str) -> bool:
            if rel not in exists:
                exists[rel] = (self.corpus_dir / rel).is_file()
            return exists[rel]

        self.state.seen = {
            key: seen
            for key, seen in self.state.seen.items()
            if seen.source in listed or (seen.path is not None and on_disk(seen.path))
        }
        kept = {seen.path for seen in self.state.seen.values() if seen.path}
        self.state.hashes = {h: rel for h, rel in self.state.hashes.items() if rel in kept}


def _title_from_url(url: str) -> str:
    parts = urlsplit(url)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    words = " ".join(last.replace("-", " ").replace("_", " ").split())
    return words.capitalize() if words else parts.hostname or url
