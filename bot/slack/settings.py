"""Slack settings from the environment or `.env`, checked once at start-up with one clear line each."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_API_URL = "https://slack.com/api/"


class Mode(StrEnum):
    """How Slack reaches the bot: a WebSocket it opens (socket) or requests to our URL (http)."""

    socket = "socket"
    http = "http"


def _env(name: str) -> AliasChoices:
    # The env var Slack's docs use, plus the field name so tests can pass keyword arguments.
    return AliasChoices(name, name.lower())


class SlackSettings(BaseSettings):
    """Tokens and tuning for the Slack app; secrets stay `SecretStr` so they never reach a log line."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_BOT_TOKEN"))
    signing_secret: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    app_token: SecretStr | None = Field(default=None, validation_alias=_env("SLACK_APP_TOKEN"))
    api_url: str = Field(default=SLACK_API_URL, validation_alias=_env("SLACK_API_URL"))
    #: Answers written at once (Bolt's listener pool; Bolt's own default is 5).
    workers: int = Field(default=16, ge=1, le=256, validation_alias=_env("CITEBOT_SLACK_WORKERS"))
    #: Retries of a Slack API call after 429 / 5xx / connection errors, and the first backoff in seconds.
    api_retries: int = Field(default=2, ge=0, le=10, validation_alias=_env("CITEBOT_SLACK_API_RETRIES"))
    api_backoff: float = Field(default=0.5, ge=0, le=60, validation_alias=_env("CITEBOT_SLACK_API_BACKOFF"))

    def secret(self, name: str) -> str | None:
        value: SecretStr | None = getattr(self, name)
        return value.get_secret_value() if value is not None else None

    def mode(self, forced: Mode | None = None) -> Mode:
        """Socket Mode when an app token is set (no public URL needed), else HTTP."""
        if forced is not None:
            return forced
        return Mode.socket if self.secret("app_token") else Mode.http

    def problem(self, mode: Mode) -> str | None:
        """The first thing that stops the app from starting in `mode`, as one line naming the variable."""
        bot = self.secret("bot_token")
        if not bot:
            return "SLACK_BOT_TOKEN is not set (the Bot User OAuth Token, xoxb-…, from OAuth & Permissions)"
        if not bot.startswith("xoxb-"):
            return "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"
        if mode is Mode.socket:
            app = self.secret("app_token")
            if not app:
                return "SLACK_APP_TOKEN is not set (an app-level token, xapp-…, with connections:write)"
            if not app.startswith("xapp-"):
                return "SLACK_APP_TOKEN must be an app-level token starting with xapp-"
        elif not self.secret("signing_secret"):
            return "SLACK_SIGNING_SECRET is not set (Basic Information → App Credentials); HTTP mode needs it"
        if not self.api_url.startswith(("http://", "https://")):
            return "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/"
        from bot.state.redis import StateSettings, url_problem  # shared state is checked with the rest

        return url_problem(StateSettings().redis_url)

    @property
    def base_url(self) -> str:
        """The Web API base URL with the trailing slash slack_sdk expects."""
        return self.api_url if self.api_url.endswith("/") else self.api_url + "/"
