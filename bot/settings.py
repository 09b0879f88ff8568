"""Settings from the environment (or a `.env` file), validated once at the edge."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SOURCE_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def bundled_corpus() -> Path:
    """`./corpus` when run from a checkout or the Docker image, else the source tree's copy."""
    here = Path.cwd() / "corpus"
    return here if here.is_dir() else SOURCE_CORPUS


class CorpusSettings(BaseSettings):
    """Which corpus to answer from and where its index lives."""

    model_config = SettingsConfigDict(env_prefix="CITEBOT_", env_file=".env", extra="ignore")

    corpus_dir: Path = Field(default_factory=bundled_corpus, description="folder of article files")
    index_dir: Path | None = Field(
        default=None, description="where the index is kept (default: beside the corpus)"
    )


class AttributionSettings(BaseSettings):
    """Which attributor builds the index's speakers (`CITEBOT_ATTRIBUTOR`); recorded in the manifest."""

    model_config = SettingsConfigDict(env_prefix="CITEBOT_", env_file=".env", extra="ignore")

    attributor: str = Field(default="rules", description="a name in bot.attribution.ATTRIBUTORS")
