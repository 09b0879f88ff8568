"""`citebot serve`: check the settings, load the corpus, run the Slack app (Socket Mode or HTTP)."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from bot.console import fail
from bot.options import CorpusOpt, IndexOpt
from bot.slack.settings import Mode, SlackSettings

log = logging.getLogger("bot.slack")


def register(app: typer.Typer) -> None:
    app.command()(serve)


def _die(message: str) -> NoReturn:
    """One clear line on stderr and exit 1: start-up problems are configuration, not bugs."""
    raise fail(message)


def _load_settings() -> SlackSettings:
    try:
        return SlackSettings()
    except ValidationError as exc:
        e = exc.errors()[0]
        _die(f"{str(e['loc'][0]).upper()}: {e['msg']}")


def _check_token(settings: SlackSettings) -> None:
    """auth.test through SLACK_API_URL, so a revoked token is one line, not a Bolt traceback."""
    from slack_sdk.errors import SlackApiError

    from bot.slack.app import make_client

    try:
        make_client(settings.model_copy(update={"api_retries": 1})).auth_test()
    except SlackApiError as exc:
        _die(f"SLACK_BOT_TOKEN was refused by Slack: {exc.response.get('error')}")
    except Exception as exc:
        from bot.sources.urls import redact_text  # SLACK_API_URL may carry a proxy's credentials

        _die(
            redact_text(
                f"could not reach Slack at SLACK_API_URL={settings.base_url}: {type(exc).__name__}: {exc}"
            )
        )


def _sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # docker stop: shut down like Ctrl-C (PID 1 ignores SIGTERM otherwise)


def serve(
    mode: Annotated[
        Mode | None,
        typer.Option(
            "--mode",
            help="socket or http (default: socket when SLACK_APP_TOKEN is set, else http).",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int,
        typer.Option("--port", envvar="PORT", metavar="PORT", help="HTTP port (/slack/events, /healthz)."),
    ] = 3000,
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Address to listen on.")] = "0.0.0.0",
    refresh_every: Annotated[
        str | None,
        typer.Option(
            "--refresh-every",
            metavar="PERIOD",
            help="Re-index the corpus on this period, e.g. 30m (s/m/h).",
            show_default=False,
        ),
    ] = None,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    log_level: Annotated[
        str, typer.Option("--log-level", metavar="LEVEL", help="debug, info, warning or error.")
    ] = "info",
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Serve HTTP mode without Slack: no tokens needed, replies logged instead of posted.",
        ),
    ] = False,
) -> None:
    """Run the Slack app: answer mentions, DMs and /citebot (needs SLACK_BOT_TOKEN, or --dry-run)."""
    from bot.slack.server import parse_period

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    period = None
    if refresh_every:
        try:
            period = parse_period(refresh_every)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--refresh-every") from None
    settings = _load_settings()
    if dry_run:
        if mode is Mode.socket:
            _die("--dry-run serves HTTP mode only (Socket Mode needs Slack)")
        _run(_dry_run(settings), Mode.http, host, port, period, corpus, index, dry_run=True)
        return
    chosen = settings.mode(mode)
    problem = settings.problem(chosen)
    if problem:
        _die(problem)
    _check_token(settings)
    _run(settings, chosen, host, port, period, corpus, index)


def _dry_run(settings: SlackSettings) -> SlackSettings:
    """Settings for a dry run (see `bot.slack.dryrun`): nothing reaches Slack, every call is logged.

    Requests to /slack/events are still signature-checked: with SLACK_SIGNING_SECRET from the
    environment, or else a fresh secret printed here to sign test requests with.
    """
    import secrets

    from pydantic import SecretStr

    from bot.slack.dryrun import DRY_RUN_TOKEN

    secret = settings.secret("signing_secret")
    if secret is None:
        secret = secrets.token_hex(16)
        log.warning("dry run: signing secret for test requests: %s (or set SLACK_SIGNING_SECRET)", secret)
    log.warning("dry run: no Slack; Web API calls are logged, not sent")
    update = {"bot_token": SecretStr(DRY_RUN_TOKEN), "signing_secret": SecretStr(secret), "app_token": None}
    return settings.model_copy(update=update)


def _run(
    settings: SlackSettings,
    mode: Mode,
    host: str,
    port: int,
    period: float | None,
    corpus: Path | None,
    index: Path | None,
    *,
    dry_run: bool = False,
) -> None:
    from slack_sdk.errors import SlackApiError

    from bot.console import open_corpus
    from bot.slack.app import build_app
    from bot.slack.server import Refresher, SlackHTTPServer, serve_forever, start_socket_mode

    c = open_corpus(corpus, index)
    if dry_run:
        from bot.slack.dryrun import DryRunClient, use_everywhere

        client = DryRunClient()
        app = build_app(c, settings, client)
        use_everywhere(app, client)
    else:
        app = build_app(c, settings)
    signal.signal(signal.SIGTERM, _sigterm)
    refresher = Refresher(c, period) if period else None
    if refresher:
        refresher.start()
    socket = None
    if mode is Mode.socket:
        try:
            socket = start_socket_mode(app, settings.secret("app_token") or "", settings.workers)
        except SlackApiError as exc:
            _die(f"SLACK_APP_TOKEN was refused by Slack: {exc.response.get('error')}")
        except Exception as exc:
            _die(f"could not open a Socket Mode connection: {type(exc).__name__}: {exc}")
    try:
        server = SlackHTTPServer((host, port), app if mode is Mode.http else None, c, socket)
    except OSError as exc:
        _die(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    m = c.index.manifest
    what = "Socket Mode (health on" if socket else "HTTP mode on"
    log.info(
        "citebot serving %d articles, %d sentences: %s http://%s:%d%s",
        m.articles,
        m.sentences,
        what,
        host,
        server.port,
        ")" if socket else "",
    )

    def stop() -> None:
        if refresher:
            refresher.stop()
        if socket:
            socket.close()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated

    serve_forever(server, stop)
