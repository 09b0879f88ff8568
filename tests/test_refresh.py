"""Incremental refresh, atomic publishing, bad files, corrupt indexes and where the index lives."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import write_article, write_corpus

import bot.ingest
from bot.corpus import Corpus
from bot.index import CorpusIndex, IndexUnusable
from bot.index_store import INDEX_DIRNAME, IndexStore, default_index_dir
from bot.refresh import CorpusError, refresh

ARTICLES = {
    "alpha.txt": (
        "Bridge closed in Rivertown",
        [
            "Engineers found cracks in the old bridge on Monday.",
            "“We closed it to keep people safe,” Mayor Ida Strand said.",
        ],
    ),
    "beta.txt": (
        "Farmers expect a record harvest",
        [
            "Wheat farmers expect a record harvest this summer.",
            "Agriculture Minister Jan Holt said prices could fall.",
        ],
    ),
    "gamma.txt": (
        "Orchestra tours Asia",
        [
            "The city orchestra began its tour of Asia in Tokyo.",
            "“The audience was wonderful,” Maria Lund said.",
        ],
    ),
}


def write(path: Path, title: str, paras: list[str]) -> Path:
    return write_article(path.parent, path.name, title, paras)


def bump_mtime(path: Path) -> None:
    """A new modification time, so the change is seen even within the clock's resolution."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", ARTICLES)


@pytest.fixture
def store(tmp_path: Path) -> IndexStore:
    return IndexStore(tmp_path / "index")


class ParseCounter:
    """Records every file `bot.ingest` parses (ingest runs in-process for fewer than 16 files)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real = bot.ingest.parse_article

        def counting(path: Path, corpus_dir: Path, *args: object, **kwargs: object):
            self.calls.append(Path(path).name)
            return real(path, corpus_dir, *args, **kwargs)

        monkeypatch.setattr(bot.ingest, "parse_article", counting)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> ParseCounter:
    return ParseCounter(monkeypatch)


def sentences(index: CorpusIndex) -> set[str]:
    return {index.sentence(i) for i in range(index.n_sentences)}


def by_sentence(index: CorpusIndex) -> dict[str, tuple]:
    """Each sentence → (article id, speaker, how, its terms and counts): what answering reads."""
    out = {}
    for i in range(index.n_sentences):
        spk = int(index.sent_speaker[i])
        terms, counts = index.sentence_terms(i)
        out[index.sentence(i)] = (
            index.articles[int(index.sent_article[i])]["article_id"],
            index.speakers[spk]["display"] if spk >= 0 else None,
            int(index.sent_how[i]),
            sorted((index.vocab[int(t)], int(n)) for t, n in zip(terms, counts, strict=True)),
        )
    return out


# --------------------------------------------------------------------------- incremental


def test_first_refresh_adds_every_file(corpus_dir: Path, store: IndexStore, parses: ParseCounter) -> None:
    report, index = refresh(corpus_dir, store)
    assert (report.added, report.changed, report.removed, report.unchanged) == (3, 0, 0, 0)
    assert report.published and report.articles == 3 and report.sentences == 6
    assert sorted(parses.calls) == sorted(ARTICLES)
    assert store.current_version() == index.path.name


def test_second_refresh_does_no_work(corpus_dir: Path, store: IndexStore, parses: ParseCounter) -> None:
    refresh(corpus_dir, store)
    version = store.current_version()
    parses.calls.clear()
    report, index = refresh(corpus_dir, store)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 3)
    assert not report.published and not report.did_work
    assert parses.calls == []
    assert store.current_version() == version
    assert index.path.name == version
    assert len(list((store.root / "versions").iterdir())) == 1


def test_edit_one_file_reparses_only_that_file(
    corpus_dir: Path, store: IndexStore, parses: ParseCounter
) -> None:
    refresh(corpus_dir, store)
    parses.calls.clear()
    path = corpus_dir / "beta.txt"
    write(
        path,
        "Farmers expect a record harvest",
        [
            "Wheat farmers expect a record harvest this summer.",
            "Agriculture Minister Jan Holt said prices could fall by a fifth.",
        ],
    )
    bump_mtime(path)
    report, index = refresh(corpus_dir, store)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 0, 2)
    assert report.published
    assert parses.calls == ["beta.txt"]
    assert "Agriculture Minister Jan Holt said prices could fall by a fifth." in sentences(index)
    assert "Agriculture Minister Jan Holt said prices could fall." not in sentences(index)


def test_touch_without_content_change_counts_as_changed(corpus_dir: Path, store: IndexStore) -> None:
    refresh(corpus_dir, store)
    bump_mtime(corpus_dir / "alpha.txt")
    report, _ = refresh(corpus_dir, store)
    assert (report.changed, report.unchanged) == (1, 2)


def test_add_one_file(corpus_dir: Path, store: IndexStore, parses: ParseCounter) -> None:
    refresh(corpus_dir, store)
    parses.calls.clear()
    write(corpus_dir / "sub" / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    report, index = refresh(corpus_dir, store)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 0, 0, 3)
    assert parses.calls == ["delta.txt"]
    assert "sub/delta" in index.article_ids
    assert report.articles == 4


def test_delete_one_file(corpus_dir: Path, store: IndexStore, parses: ParseCounter) -> None:
    refresh(corpus_dir, store)
    parses.calls.clear()
    (corpus_dir / "gamma.txt").unlink()
    report, index = refresh(corpus_dir, store)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 1, 2)
    assert parses.calls == []
    assert "gamma" not in index.article_ids
    assert not any("orchestra" in s for s in sentences(index))
    assert "orchestra" not in index.vocab and "lund" not in index.names


def test_incremental_index_equals_a_full_rebuild(corpus_dir: Path, store: IndexStore, tmp_path: Path) -> None:
    refresh(corpus_dir, store)
    write(
        corpus_dir / "beta.txt",
        "Farmers fear drought",
        ["“We need rain,” farmer Ola Berg said.", "Agriculture Minister Jan Holt said help would come."],
    )
    bump_mtime(corpus_dir / "beta.txt")
    (corpus_dir / "alpha.txt").unlink()
    write(corpus_dir / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    _, incremental = refresh(corpus_dir, store)
    _, full = refresh(corpus_dir, IndexStore(tmp_path / "full"), force=True)
    assert by_sentence(incremental) == by_sentence(full)
    assert set(incremental.vocab) == set(full.vocab)
    assert incremental.manifest.files.keys() == full.manifest.files.keys()


def test_carried_over_articles_still_answer(corpus_dir: Path, tmp_path: Path) -> None:
    c = Corpus(corpus_dir, tmp_path / "idx")
    c.open()
    write(corpus_dir / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    report = c.refresh()
    assert report.added == 1 and report.unchanged == 3
    answer = c.answer("What did Maria Lund say?")  # gamma.txt was carried over, not re-parsed
    assert answer.found
    assert [x.sentence for x in answer.citations] == ["“The audience was wonderful,” Maria Lund said."]
    assert answer.citations[0].speaker == "Maria Lund"


def test_open_picks_up_changes_made_while_closed(corpus_dir: Path, tmp_path: Path) -> None:
    Corpus(corpus_dir, tmp_path / "idx").open()
    write(corpus_dir / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    c = Corpus(corpus_dir, tmp_path / "idx")
    report = c.open()
    assert report is not None and report.added == 1
    assert c.answer("Who warned of a storm on the coast?").found
    assert Corpus(corpus_dir, tmp_path / "idx").open() is None  # now up to date: loaded as is


def test_running_corpus_loads_an_index_published_by_another_process(corpus_dir: Path, tmp_path: Path) -> None:
    serving = Corpus(corpus_dir, tmp_path / "idx")
    serving.open()
    assert not serving.answer("Who warned of a storm on the coast?").found
    write(corpus_dir / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    Corpus(corpus_dir, tmp_path / "idx").refresh()  # e.g. `citebot refresh` from cron
    assert serving.answer("Who warned of a storm on the coast?").found


# --------------------------------------------------------------------------- atomic publishing


def _broken_save(self: CorpusIndex, folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{half written", encoding="utf-8")
    raise OSError(28, "No space left on device")


def test_refresh_failing_midway_leaves_the_old_index_current(
    corpus_dir: Path, store: IndexStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh(corpus_dir, store)
    version = store.current_version()
    old = sentences(store.load_current())
    write(corpus_dir / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    monkeypatch.setattr(CorpusIndex, "save", _broken_save)
    with pytest.raises(OSError):
        refresh(corpus_dir, store)
    assert store.current_version() == version
    loaded = store.load_current()
    assert sentences(loaded) == old
    assert "Forecasters warned of a storm on the coast." not in sentences(loaded)
    monkeypatch.undo()
    report, index = refresh(corpus_dir, store)  # the lock was released; the next refresh works
    assert report.added == 1 and report.published
    assert store.current_version() == index.path.name != version


def test_serving_corpus_keeps_answering_after_a_failed_refresh(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Corpus(corpus_dir, tmp_path / "idx")
    c.open()
    (corpus_dir / "alpha.txt").unlink()
    monkeypatch.setattr(CorpusIndex, "save", _broken_save)
    with pytest.raises(OSError):
        c.refresh()
    answer = c.answer("What did Ida Strand say?")  # still the old index
    assert answer.found
    assert Corpus(corpus_dir, tmp_path / "idx").store.load_current().manifest.articles == 3


def test_old_versions_are_pruned_and_the_previous_one_kept(corpus_dir: Path, store: IndexStore) -> None:
    versions = []
    for i in range(4):
        write(corpus_dir / f"new{i}.txt", "Storm warning", [f"Forecasters warned of storm number {i}."])
        _, index = refresh(corpus_dir, store)
        versions.append(index.path.name)
    left = sorted(p.name for p in (store.root / "versions").iterdir() if not p.name.startswith("."))
    assert left == sorted(versions[-2:])
    CorpusIndex.load(store.root / "versions" / versions[-2])  # the previous one still loads


# --------------------------------------------------------------------------- bad files


@pytest.fixture
def bad_corpus(corpus_dir: Path) -> Path:
    (corpus_dir / "empty.txt").write_bytes(b"")
    (corpus_dir / "binary.txt").write_bytes(b"Title\n\n\x00\x01\x02\x03 binary \xff\xfe data")
    (corpus_dir / "latin1.txt").write_bytes("Café fermé\n\nLe café est fermé à Genève.".encode("latin-1"))
    with (corpus_dir / "huge.txt").open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: no disk used, nothing written
    return corpus_dir


def test_bad_files_are_skipped_with_reasons_and_the_rest_indexed(
    bad_corpus: Path, store: IndexStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = Path.open

    def watching_open(self: Path, *args: object, **kwargs: object):
        opened.append(self.name)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", watching_open)
    report, index = refresh(bad_corpus, store)
    # every file counted once: 3 gave articles, 4 gave none
    assert report.articles == 3 and report.added == 3 and report.skipped_files == 4
    assert set(report.skipped) == {"empty.txt", "binary.txt", "latin1.txt", "huge.txt"}
    reasons = {rel: " ".join(r) for rel, r in report.skipped.items()}
    assert "empty file" in reasons["empty.txt"]
    assert "binary file" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "file too large (50.0 MB" in reasons["huge.txt"]
    assert "huge.txt" not in opened  # refused from its size alone
    assert index.manifest.skipped == report.skipped


def test_skipped_files_stay_reported_across_incremental_refreshes(
    bad_corpus: Path, store: IndexStore
) -> None:
    first, _ = refresh(bad_corpus, store)
    bump_mtime(bad_corpus / "alpha.txt")
    second, index = refresh(bad_corpus, store)
    assert second.changed == 1
    assert second.skipped == first.skipped
    assert index.manifest.skipped == first.skipped


def test_bad_file_fixed_is_indexed(bad_corpus: Path, store: IndexStore) -> None:
    refresh(bad_corpus, store)
    write(bad_corpus / "empty.txt", "Now an article", ["Volunteers cleaned the beach on Sunday."])
    report, index = refresh(bad_corpus, store)
    assert report.changed == 1 and "empty.txt" not in report.skipped
    assert "empty" in index.article_ids


def test_duplicate_article_id_is_skipped(corpus_dir: Path, store: IndexStore) -> None:
    (corpus_dir / "alpha.md").write_text(
        "# Other alpha\n\nA different text with the same id.\n", encoding="utf-8"
    )
    report, _ = refresh(corpus_dir, store)
    assert report.articles == 3
    assert any("duplicate article id alpha" in r for rs in report.skipped.values() for r in rs)


# --------------------------------------------------------------------------- corrupt index


def _truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


CORRUPTIONS: dict[str, Callable[[Path], None]] = {
    "npy truncated": lambda v: _truncate_half(v / "tf_counts.npy"),
    "npy header only": lambda v: (v / "sent_span.npy").write_bytes((v / "sent_span.npy").read_bytes()[:128]),
    "npy garbage": lambda v: (v / "tf_indices.npy").write_bytes(b"not numpy at all" * 8),
    "npy missing": lambda v: (v / "sent_article.npy").unlink(),
    "manifest garbled": lambda v: (v / "manifest.json").write_text("{garbled", encoding="utf-8"),
    "manifest empty": lambda v: (v / "manifest.json").write_text("", encoding="utf-8"),
    "manifest wrong shape": lambda v: (v / "manifest.json").write_text("[1, 2]", encoding="utf-8"),
    "articles.json garbled": lambda v: (v / "articles.json").write_text("[{", encoding="utf-8"),
    "vocab.json short": lambda v: (v / "vocab.json").write_text('["a"]', encoding="utf-8"),
    "bodies truncated": lambda v: _truncate_half(v / "bodies.txt"),
    "version folder gone": lambda v: shutil.rmtree(v),
    "CURRENT names nothing": lambda v: (v.parent.parent / "CURRENT").write_text("v123\n", encoding="utf-8"),
    "CURRENT empty": lambda v: (v.parent.parent / "CURRENT").write_text("", encoding="utf-8"),
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_corrupt_index_is_rebuilt_on_next_open(corpus_dir: Path, tmp_path: Path, corrupt: Callable) -> None:
    Corpus(corpus_dir, tmp_path / "idx").open()
    store = IndexStore(tmp_path / "idx")
    corrupt(store.current_path())
    with pytest.raises(IndexUnusable):
        store.load_current()
    c = Corpus(corpus_dir, tmp_path / "idx")
    report = c.open()
    assert report is not None and report.published
    assert report.added == 3
    assert c.answer("What did Ida Strand say?").found
    store.load_current()  # and it is sound again


def test_every_index_file_emptied_or_truncated_is_detected_and_rebuilt(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """Whatever files the index format has: each cut to zero bytes or to half is refused, then rebuilt."""
    good = tmp_path / "good"
    Corpus(corpus_dir, good).open()
    names = sorted(p.name for p in IndexStore(good).current_path().iterdir())
    assert "manifest.json" in names and any(n.endswith(".npy") for n in names)
    for name in names:
        for how in ("empty", "half"):
            idx = tmp_path / f"idx-{name}-{how}"
            shutil.copytree(good, idx)
            path = IndexStore(idx).current_path() / name
            data = path.read_bytes()
            path.write_bytes(b"" if how == "empty" else data[: len(data) // 2])
            with pytest.raises(IndexUnusable):
                IndexStore(idx).load_current()
            c = Corpus(corpus_dir, idx)
            report = c.open()
            assert report is not None and report.published, (name, how)
            assert c.answer("What did Ida Strand say?").found, (name, how)


def test_a_same_length_edit_of_the_stored_text_is_never_quoted(corpus_dir: Path, tmp_path: Path) -> None:
    """The index's copy of an article changed without changing its size: answers still quote the file."""
    c = Corpus(corpus_dir, tmp_path / "idx")
    c.open()
    answer = c.answer("What did Ida Strand say?")
    quoted = answer.citations[0].sentence
    bodies = IndexStore(tmp_path / "idx").current_path() / "bodies.txt"
    data = bodies.read_bytes()
    forged = quoted[:4] + ("X" if quoted[4] != "X" else "Y") + quoted[5:]
    bodies.write_bytes(data.replace(quoted.encode(), forged.encode()))
    fresh = Corpus(corpus_dir, tmp_path / "idx")
    fresh.open()
    again = fresh.answer("What did Ida Strand say?")
    assert again.citations[0].sentence == quoted
    assert forged not in {c.sentence for c in again.citations}


def test_speakers_table_not_matching_is_rebuilt(corpus_dir: Path, tmp_path: Path) -> None:
    Corpus(corpus_dir, tmp_path / "idx").open()
    (IndexStore(tmp_path / "idx").current_path() / "speakers.json").write_text("[]", encoding="utf-8")
    c = Corpus(corpus_dir, tmp_path / "idx")
    c.open()
    for q in ["What did Ida Strand say?", "Who is Maria Lund?", "Tell me about the harvest"]:
        assert c.answer(q).found


# --------------------------------------------------------------------------- corpus errors


def test_missing_corpus_folder_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        Corpus(tmp_path / "nowhere", tmp_path / "idx").open()
    with pytest.raises(CorpusError, match="does not exist"):
        refresh(tmp_path / "nowhere", IndexStore(tmp_path / "idx2"))


def test_corpus_folder_without_articles_is_a_corpus_error(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "README.md").write_text("# not an article\n\nNotes.\n", encoding="utf-8")
    (folder / "data.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no readable articles"):
        Corpus(folder, tmp_path / "idx").open()


def test_corpus_of_only_bad_files_is_a_corpus_error(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02")
    with pytest.raises(CorpusError, match=r"no readable articles \(2 file\(s\) skipped\)"):
        Corpus(folder, tmp_path / "idx").open()


def test_emptied_corpus_keeps_the_old_index(corpus_dir: Path, store: IndexStore) -> None:
    refresh(corpus_dir, store)
    version = store.current_version()
    for p in corpus_dir.glob("*.txt"):
        p.unlink()
    with pytest.raises(CorpusError):
        refresh(corpus_dir, store)
    assert store.current_version() == version
    assert store.load_current().manifest.articles == 3


# --------------------------------------------------------------------------- where the index lives


def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_default_index_is_hidden_inside_a_writable_corpus(corpus_dir: Path) -> None:
    c = Corpus(corpus_dir)
    c.open()
    assert c.store.root == corpus_dir.resolve() / INDEX_DIRNAME
    assert (c.store.root / "CURRENT").is_file()


def test_index_option_overrides_the_default(corpus_dir: Path, tmp_path: Path) -> None:
    before = _files_under(corpus_dir)
    c = Corpus(corpus_dir, tmp_path / "elsewhere")
    c.open()
    assert c.store.root == tmp_path / "elsewhere"
    assert (tmp_path / "elsewhere" / "CURRENT").is_file()
    assert _files_under(corpus_dir) == before
    assert not (corpus_dir / INDEX_DIRNAME).exists()


@pytest.fixture
def read_only_corpus(corpus_dir: Path) -> Iterator[Path]:
    modes = {}
    for p in [corpus_dir, *corpus_dir.rglob("*")]:
        modes[p] = p.stat().st_mode
    for p in modes:
        p.chmod(stat.S_IMODE(modes[p]) & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        yield corpus_dir
    finally:
        for p, mode in modes.items():
            p.chmod(stat.S_IMODE(mode))


def test_index_is_never_written_inside_a_read_only_corpus(read_only_corpus: Path, isolated_env: Path) -> None:
    """Without write bits the folder is read-only, even for root (who could write anyway)."""
    before = _files_under(read_only_corpus)
    c = Corpus(read_only_corpus)
    c.open()
    assert not c.store.root.is_relative_to(read_only_corpus.resolve())
    assert c.store.root.is_relative_to(isolated_env)  # the user cache dir (XDG_CACHE_HOME in tmp)
    assert _files_under(read_only_corpus) == before
    assert c.answer("What did Ida Strand say?").found


def test_read_only_corpus_simulated_uses_the_user_cache(
    corpus_dir: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as above with os.access reporting the corpus read-only (so it runs as root too)."""
    real_access = os.access
    root = corpus_dir.resolve()

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        p = Path(os.fsdecode(path)).resolve() if isinstance(path, str | bytes | os.PathLike) else None
        if p is not None and mode & os.W_OK and (p == root or p.is_relative_to(root)):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = _files_under(corpus_dir)
    where = default_index_dir(corpus_dir)
    assert where.is_relative_to(Path(os.environ["XDG_CACHE_HOME"]))
    assert where != default_index_dir(corpus_dir.parent)  # one folder per corpus
    c = Corpus(corpus_dir)
    c.open()
    assert c.store.root == where
    assert _files_under(corpus_dir) == before
    assert (where / "CURRENT").is_file()


def test_two_corpora_get_two_indexes(tmp_path: Path) -> None:
    a = write(tmp_path / "a" / "x.txt", "Alpha", ["Alpha news about the harbour."]).parent
    b = write(tmp_path / "b" / "x.txt", "Beta", ["Beta news about the airport."]).parent
    ca, cb = Corpus(a), Corpus(b)
    ca.open()
    cb.open()
    assert ca.store.root != cb.store.root
    assert ca.answer("Tell me about the harbour").found and not cb.answer("Tell me about the harbour").found


def test_index_arrays_agree_with_the_manifest(corpus_dir: Path, store: IndexStore) -> None:
    _, index = refresh(corpus_dir, store)
    loaded = store.load_current()
    assert loaded.manifest.articles == index.manifest.articles == 3
    assert np.array_equal(loaded.sent_span, index.sent_span)
    assert sentences(loaded) == sentences(index)


# --- nothing indexed is lost; what a refresh did, named ------------------------------------------


def test_an_indexed_file_turned_unreadable_keeps_its_indexed_version(
    corpus_dir: Path, store: IndexStore
) -> None:
    _, first = refresh(corpus_dir, store)
    before = {s for s in sentences(first) if "Holt" in s}
    (corpus_dir / "beta.txt").write_bytes(b"Farmers\n\n\xff\xfe\xfa not text")
    bump_mtime(corpus_dir / "beta.txt")
    report, index = refresh(corpus_dir, store)
    assert (report.changed, report.skipped_files, report.kept, report.unchanged) == (0, 1, 1, 2)
    assert report.skipped["beta.txt"] == ["beta.txt: not UTF-8 text; kept the indexed version"]
    assert report.names == {"kept": ["beta.txt"]}
    assert "kept the indexed version" in report.summary()
    assert before and before <= sentences(index) and "beta" in index.article_ids
    # not re-read until it changes again, and still reported
    again, index = refresh(corpus_dir, store)
    assert not again.published and again.skipped["beta.txt"] == report.skipped["beta.txt"]
    # a deleted file is removed, and named
    (corpus_dir / "beta.txt").unlink()
    gone, index = refresh(corpus_dir, store)
    assert gone.removed == 1 and gone.names == {"removed": ["beta.txt"]}
    assert "beta" not in index.article_ids and not before & sentences(index)


def test_a_file_never_indexed_that_is_bad_is_only_skipped(corpus_dir: Path, store: IndexStore) -> None:
    refresh(corpus_dir, store)
    (corpus_dir / "new.txt").write_bytes(b"New\n\n\xff\xfe\xfa not text")
    report, _ = refresh(corpus_dir, store)
    assert (report.added, report.skipped_files, report.kept) == (0, 1, 0)
    assert report.skipped["new.txt"] == ["new.txt: not UTF-8 text"] and report.names == {}


def test_names_in_a_report_are_bounded_and_counted(corpus_dir: Path, store: IndexStore) -> None:
    from bot.refresh import MAX_NAMES

    for k in range(MAX_NAMES + 3):
        write(corpus_dir / f"n{k:02}.txt", f"Note {k}", [f"Harbour note number {k} was filed."])
    report, _ = refresh(corpus_dir, store)
    assert report.added == MAX_NAMES + 3 + 3 and len(report.names["added"]) == MAX_NAMES
    shown = sorted([*ARTICLES, *(f"n{k:02}.txt" for k in range(MAX_NAMES + 3))])[:MAX_NAMES]
    assert report.names_lines() == [f"added: {', '.join(shown)} and 6 more"]


def test_plan_says_what_a_refresh_would_do_without_doing_it(corpus_dir: Path, store: IndexStore) -> None:
    from bot.refresh import plan_refresh

    _, index = refresh(corpus_dir, store)
    version = store.current_version()
    (corpus_dir / "gamma.txt").unlink()
    write(corpus_dir / "delta.txt", "Storm warning", ["Forecasters warned of a storm on the coast."])
    bump_mtime(corpus_dir / "alpha.txt")
    plan = plan_refresh(index, corpus_dir)
    assert (plan.added, plan.changed, plan.removed) == (["delta.txt"], ["alpha.txt"], ["gamma.txt"])
    assert plan.summary() == "1 to add (delta.txt), 1 to re-read (alpha.txt), 1 to remove (gamma.txt)"
    assert store.current_version() == version
    assert plan_refresh(None, corpus_dir).added == ["alpha.txt", "beta.txt", "delta.txt"]
