"""Which corpus to answer from and where its index lives: an option, the environment or `.env`,
else `./corpus`, else the corpus bundled with the package."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The bundled corpus. In the repository `bot/bundled` is a link to `corpus/`; a wheel holds a
#: copy (package data), so `citebot ask` answers outside a clone too.
BUNDLED_CORPUS = Path(__file__).resolve().parent / "bundled"
#: What `refresh` and `sources` say when asked to change the bundled corpus.
BUNDLED_READ_ONLY = "the bundled corpus is read-only; pass --corpus DIR"


def local_corpus() -> Path:
    """`./corpus`: the clone's (or the Docker image's) corpus when run from there."""
    return Path.cwd() / "corpus"


class CorpusSettings(BaseSettings):
    """Which corpus to answer from and where its index lives (None: the defaults below)."""

    model_config = SettingsConfigDict(env_prefix="CITEBOT_", env_file=".env", extra="ignore")

    corpus_dir: Path | None = Field(default=None, description="folder of article files")
    index_dir: Path | None = Field(default=None, description="where the index is kept")

    @property
    def bundled(self) -> bool:
        """True when no corpus was named and there is no `./corpus`: the bundled one answers."""
        return self.corpus_dir is None and not local_corpus().is_dir()

    @property
    def corpus(self) -> Path:
        if self.corpus_dir is not None:
            return self.corpus_dir
        return BUNDLED_CORPUS if self.bundled else local_corpus()

    @property
    def index(self) -> Path | None:
        """The index folder; None lets the store choose (inside a writable corpus, else the cache).

        The bundled corpus's index always goes to the user cache: the package folder is not
        ours to write into, even when a venv makes it writable.
        """
        if self.index_dir is not None:
            return self.index_dir
        if self.bundled:
            from bot.index_store import cache_index_dir

            return cache_index_dir(BUNDLED_CORPUS)
        return None

    def describe(self) -> str:
        """The corpus as `status` names it."""
        return f"{self.corpus} (bundled)" if self.bundled else str(self.corpus)
