"""Which attributor builds the index's speakers, from the environment or `.env`."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AttributionSettings(BaseSettings):
    """Which attributor builds the index's speakers (`CITEBOT_ATTRIBUTOR`); recorded in the manifest."""

    model_config = SettingsConfigDict(env_prefix="CITEBOT_", env_file=".env", extra="ignore")

    attributor: str = Field(default="rules", description="a name in bot.attribution.ATTRIBUTORS")
