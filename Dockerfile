# citebot: the Slack app with the bundled corpus and a prebuilt index.
#   docker build -t citebot .
#   docker run --env-file .env -p 3000:3000 citebot        # Socket Mode if SLACK_APP_TOKEN is set, else HTTP
#   docker run -p 3000:3000 citebot citebot serve --dry-run # no Slack, no tokens: replies are logged
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
WORKDIR /app

# The package first (a layer that changes only with the code), installed system-wide as root.
COPY pyproject.toml README* ./
COPY bot ./bot
RUN pip install --no-cache-dir . && rm -rf build ./*.egg-info

# The bundled corpus, owned by the app user so `--refresh-every` can update its index later;
# the index is built now, as that user, so the container answers from its first second.
COPY --chown=app:app corpus ./corpus
USER app
RUN citebot refresh --no-fetch --corpus /app/corpus

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)" || exit 1
CMD ["citebot", "serve"]
