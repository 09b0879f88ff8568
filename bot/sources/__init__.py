"""Live sources for a corpus: RSS/Atom feeds and article pages listed in `corpus/sources.toml`.

`fetch_sources(corpus_dir)` downloads what is new into `corpus/fetched/<source>/` as ordinary
article files (with a metadata header), so the next index refresh picks them up; it is what
`citebot refresh` and `Corpus.update()` run before re-indexing.
"""

from bot.sources.config import FetchSettings, Source, SourcesConfig, SourcesError, load_sources
from bot.sources.report import FetchReport, SourceReport
from bot.sources.run import fetch_sources

__all__ = [
    "FetchReport",
    "FetchSettings",
    "Source",
    "SourceReport",
    "SourcesConfig",
    "SourcesError",
    "fetch_sources",
    "load_sources",
]
