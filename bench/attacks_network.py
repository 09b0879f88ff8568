"""Hostile-network attacks of issue 11 against a checkout: peak RSS, time and outcome of each.

    .venv/bin/python bench/attacks_network.py                 # this checkout
    .venv/bin/python bench/attacks_network.py --repo /tmp/old # another one (e.g. `git archive` of main)

Each attack runs in a fresh child process with the checkout on PYTHONPATH and an address-space
limit (3 GB), against servers on 127.0.0.1 only (no address that could leave the machine is
ever named, so an unprotected checkout sends nothing outward either):

- bomb:       a page of `Content-Encoding: gzip, gzip` holding 1 GB of zeros (~1 KB sent)
- ssrf:       feeds at localhost, 2130706433, [::ffff:127.0.0.1], 127.0.0.2 (no opt-in)
- canonical:  a page claiming another host's canonical URL, then that host's real story
- title:      a feed item with a 0.7 MB title over a page of 1,000 sentences, fetched then indexed
- healthz:    /healthz's source list with a fetch state of 100,000 seen URLs (20 calls)
- idle:       300 idle connections to `serve`'s HTTP server under `ulimit -n 256`
- smuggle:    Content-Length + Transfer-Encoding hiding a second request
- logflood:   20 unsigned 900 KB POSTs: bytes logged at INFO; malformed bodies, a 10 MB body
Prints one line of JSON per attack.
"""

# ruff: noqa: E501  (the attacks are child programs in strings, kept one statement a line)
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COMMON = r"""
import gzip, http.server, inspect, json, os, resource, socket, sys, threading, time, zlib
from pathlib import Path
sys.path.insert(0, str(Path(os.environ["ATTACK_REPO"]) / "tests"))
ROUTES = {}
LOG = []
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        LOG.append(self.path)
        r = ROUTES.get(self.path.split("?")[0])
        if r is None:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        body, ctype, headers = r
        self.send_response(200); self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items(): self.send_header(k, v)
        self.end_headers(); self.wfile.write(body)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
threading.Thread(target=srv.serve_forever, daemon=True).start()
PORT = srv.server_address[1]
BASE = f"http://127.0.0.1:{PORT}"
def page(title, paras, canonical=None):
    head = f"<title>{title}</title>" + (f'<link rel="canonical" href="{canonical}">' if canonical else "")
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html><html><head>{head}</head><body><article><h1>{title}</h1>{body}</article></body></html>").encode(), "text/html", {}
def rss(items):
    xml = "".join(f"<item><title>{t}</title><link>{l}</link></item>" for t, l in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>http://x.invalid/</link>{xml}</channel></rss>').encode(), "application/rss+xml", {}
def corpus_with(tmp, urls, private):
    c = Path(tmp) / "corpus"; c.mkdir(parents=True, exist_ok=True)
    (c / "seed.txt").write_text("title: Seed\n\nThe pier opened on Monday, the mayor said.\n")
    blocks = [f'[[source]]\nurl = "{u}"\nkind = "feed"\n' + ("allow_private = true\n" if private and HAS_GUARD else "") for u in urls]
    (c / "sources.toml").write_text("\n".join(blocks) + "\n[fetch]\nretries = 0\ntotal_timeout = 10\n")
    return c
from bot.sources import fetch_sources
HAS_GUARD = "allow_private" in inspect.signature(__import__("bot.sources.fetch", fromlist=["x"]).Fetcher.get).parameters
def done(**kw):
    kw["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(kw)); sys.exit(0)
"""

ATTACKS = {
    "bomb": r"""
c = zlib.compressobj(9, zlib.DEFLATED, 31)
inner = b"".join(c.compress(b"\0" * (1 << 20)) for _ in range(1024)) + c.flush()
bomb = gzip.compress(inner, 9)
ROUTES["/bomb"] = (bomb, "text/html", {"Content-Encoding": "gzip, gzip"})
from bot.sources.fetch import Fetcher, FetchError
from bot.sources.config import FetchSettings
t0 = time.monotonic()
kw = {"allow_private": True} if HAS_GUARD else {}
try:
    with Fetcher(FetchSettings(retries=0)) as f:
        r = f.get(BASE + "/bomb", **kw)
    outcome = f"fetched {len(r.content)} bytes"
except FetchError as e:
    outcome = f"refused: {e}"
except MemoryError:
    outcome = "MemoryError"
done(attack="bomb", sent_bytes=len(bomb), seconds=round(time.monotonic() - t0, 2), outcome=outcome)
""",
    "ssrf": r"""
ROUTES["/feed.xml"] = rss([("Internal", BASE + "/internal/page")])
ROUTES["/internal/page"] = page("Internal memo", ["The secret plan is ready, the director said."] * 3)
urls = [f"http://localhost:{PORT}/feed.xml", f"http://2130706433:{PORT}/feed.xml",
        f"http://[::ffff:127.0.0.1]:{PORT}/feed.xml", f"http://127.0.0.2:{PORT}/feed.xml"]
import tempfile
t0 = time.monotonic()
rep = fetch_sources(corpus_with(tempfile.mkdtemp(), urls, private=False))
reached = sum(1 for p in LOG if p.startswith("/feed.xml"))
done(attack="ssrf", seconds=round(time.monotonic() - t0, 2), feeds_reached=f"{reached}/{len(urls)}",
     internal_pages_stored=rep.new, reasons=sorted({(s.error or "ok")[:90] for s in rep.sources}))
""",
    "canonical": r"""
import tempfile
from bot.articles import parse_article
real = f"http://localhost:{PORT}/real/story"
story = ["The harbour bridge reopened on Tuesday after repairs, the council said.",
         "Mayor Elena Varga said the bridge would carry many cars a day."]
ROUTES["/evil.xml"] = rss([("Bridge", BASE + "/fake/story")])
ROUTES["/fake/story"] = page("Bridge", story + ["The toll is waived, the fake said."], canonical=real)
ROUTES["/real.xml"] = rss([("Bridge", real)])
ROUTES["/real/story"] = page("Bridge", story, canonical=real)
tmp = tempfile.mkdtemp()
c = corpus_with(tmp, [BASE + "/evil.xml"], private=True)
first = fetch_sources(c)
fake_url = [parse_article(c / p, c).url for p in first.new_files]
corpus_with(tmp, [BASE + "/evil.xml", f"http://localhost:{PORT}/real.xml"], private=True)
second = fetch_sources(c)
done(attack="canonical", fake_cited_as=fake_url, real_story_new=second.sources[1].new,
     real_story_duplicates=second.sources[1].duplicates)
""",
    "title": r"""
import tempfile
from bot.articles import parse_article
huge = " ".join(f"word{i}" for i in range(100_000))
ROUTES["/feed.xml"] = rss([(huge, BASE + "/news/a")])
ROUTES["/news/a"] = page("Short", [f"Sentence number {i} was said by the mayor." for i in range(1000)])
t0 = time.monotonic()
c = corpus_with(tempfile.mkdtemp(), [BASE + "/feed.xml"], private=True)
rep = fetch_sources(c)
titles = [len(parse_article(c / p, c).title) for p in rep.new_files]
fetch_seconds, fetch_rss = round(time.monotonic() - t0, 2), round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
from bot.corpus import Corpus
t0 = time.monotonic()
try:
    Corpus(c, Path(tempfile.mkdtemp())).open()  # index the fetched file (what `refresh` does next)
    indexed = "ok"
except MemoryError:
    indexed = "MemoryError"
done(attack="title", fetch_seconds=fetch_seconds, fetch_peak_rss_mb=fetch_rss, title_chars_in=len(huge),
     title_chars_stored=titles, warning=rep.sources[0].warning, index=indexed, index_seconds=round(time.monotonic() - t0, 2))
""",
    "healthz": r"""
import tempfile
from datetime import UTC, datetime
from bot.sources.store import FetchState, SeenUrl, SourceState, save_state
from bot.slack import server
c = Path(tempfile.mkdtemp())
now = datetime.now(UTC)
save_state(c, FetchState(sources={"https://u:pw@feeds.example/rss?api_key=k1": SourceState(outcome="ok", new=1)},
    seen={f"https://feeds.example/a/{i}": SeenUrl(source="https://feeds.example/rss", first_seen=now, path=f"f/{i}.txt", hash=str(i)) for i in range(100_000)}))
t0 = time.monotonic()
out = server.source_outcomes(c)
first = time.monotonic() - t0
t0 = time.monotonic()
for _ in range(20):
    out = server.source_outcomes(c)
per = (time.monotonic() - t0) / 20
done(attack="healthz", first_call_ms=round(first * 1000, 1), ms_per_later_call=round(per * 1000, 3),
     shows_secret="pw@" in json.dumps(out) or "k1" in json.dumps(out))
""",
    "idle": r'''
child = """
import sys
from pathlib import Path
from bot.corpus import Corpus
from bot.slack.server import SlackHTTPServer
c = Corpus(Path(sys.argv[1]), Path(sys.argv[2])); c.open()
SlackHTTPServer(("127.0.0.1", int(sys.argv[3])), None, c).serve_forever()
"""
import subprocess, tempfile, urllib.request
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
def low(): resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
repo = Path(os.environ["ATTACK_REPO"])
p = subprocess.Popen([sys.executable, "-c", child, str(repo / "corpus"), tempfile.mkdtemp(), str(port)], preexec_fn=low,
                     stderr=subprocess.DEVNULL)
def get():
    t = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as r: return r.status, round(time.monotonic() - t, 3)
    except Exception as e: return type(e).__name__, round(time.monotonic() - t, 3)
for _ in range(600):
    if get()[0] == 200: break
    time.sleep(0.1)
socks = [socket.create_connection(("127.0.0.1", port), timeout=2) for _ in range(300)]
time.sleep(1)
def cpu():
    f = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split(); return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
c0, t0 = cpu(), time.monotonic()
checks = [get() for _ in range(3)]
time.sleep(3)
used = cpu() - c0; span = time.monotonic() - t0
for s in socks: s.close()
p.kill()
done(attack="idle", healthz=checks, server_cpu_percent=round(100 * used / span))
''',
    "smuggle": r'''
child = """
import sys
from pathlib import Path
from bot.corpus import Corpus
from bot.slack.server import SlackHTTPServer
c = Corpus(Path(sys.argv[1]), Path(sys.argv[2])); c.open()
from fake_slack import FakeSlack, BOT_TOKEN, SIGNING_SECRET
from bot.slack.app import build_app
from bot.slack.settings import SlackSettings
fake = FakeSlack().start()
app = build_app(c, SlackSettings(_env_file=None, bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.base_url))
SlackHTTPServer(("127.0.0.1", int(sys.argv[3])), app, c).serve_forever()
"""
import logging, subprocess, tempfile, urllib.request
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
repo = Path(os.environ["ATTACK_REPO"])
log = Path(tempfile.mkdtemp()) / "server.log"
env = dict(os.environ, PYTHONPATH=f"{repo}:{repo / 'tests'}")
wrapper = "import logging; logging.basicConfig(level=logging.INFO); exec(open(__import__('sys').argv.pop(1)).read())"
cf = Path(tempfile.mkdtemp()) / "child.py"; cf.write_text(child)
p = subprocess.Popen([sys.executable, "-c", wrapper, str(cf), str(repo / "corpus"), tempfile.mkdtemp(), str(port)],
                     stderr=log.open("w"), env=env)
for _ in range(600):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2); break
    except Exception: time.sleep(0.1)
inner = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
chunked = b"%x\r\n" % len(inner) + inner + b"\r\n0\r\n\r\n"  # one request to a proxy that reads chunks
s = socket.create_connection(("127.0.0.1", port), timeout=3)
s.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
data = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
except Exception: pass
import re
statuses = [m.decode() for m in re.findall(rb"HTTP/1\.1 (\d{3})", data)]  # a second one is the smuggled request
size0 = log.stat().st_size
t0 = time.monotonic()
body = b'{"token": "legacy-tok", "text": "' + b"x" * 900_000 + b'",\n"2026-01-01 INFO forged line": 1}'
codes = []
for _ in range(20):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    try: codes.append(urllib.request.urlopen(req, timeout=5).status)
    except urllib.error.HTTPError as e: codes.append(e.code)
time.sleep(0.5)
logged = log.stat().st_size - size0
bad = {"[]": "application/json", "null": "application/json", "123": "application/json",
       "payload=%5B1%2C2%5D": "application/x-www-form-urlencoded"}
malformed = {}
for b, ct in bad.items():
    req = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=b.encode(), method="POST",
                                 headers={"Content-Type": ct, "X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=0"})
    try: malformed[b] = urllib.request.urlopen(req, timeout=5).status
    except urllib.error.HTTPError as e: malformed[b] = e.code
    except Exception as e: malformed[b] = type(e).__name__
big = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", data=b"x" * (10 << 20), method="POST")
try: status_10mb = urllib.request.urlopen(big, timeout=10).status
except urllib.error.HTTPError as e: status_10mb = e.code
except Exception as e: status_10mb = type(e).__name__
time.sleep(0.3)
text = log.read_text(errors="replace")
forged = '\n"2026-01-01 INFO forged line' in text
token = "legacy-tok" in text
p.kill()
done(attack="smuggle+logflood", smuggle_responses=statuses, flood_codes=sorted(set(codes)),
     flood_log_bytes=logged, flood_seconds=round(time.monotonic() - t0, 2), forged_line_in_log=forged, token_in_log=token,
     malformed_codes=malformed, tracebacks_in_log=text.count("Traceback"), status_10mb=status_10mb)
''',
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=REPO)
    ap.add_argument("attacks", nargs="*", default=list(ATTACKS))
    args = ap.parse_args()
    repo = args.repo.resolve()
    env = dict(os.environ, PYTHONPATH=str(repo), ATTACK_REPO=str(repo), PYTHONDONTWRITEBYTECODE="1")
    for name in args.attacks:

        def cap(
            name: str = name,
        ) -> None:  # servers in children of their own need their threads' address space
            if name not in ("idle", "smuggle"):
                resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

        code = COMMON + textwrap.dedent(ATTACKS[name])
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code],
                env=env,
                cwd=repo,
                capture_output=True,
                text=True,
                timeout=300,
                preexec_fn=cap,
            )
            line = (
                proc.stdout.strip().splitlines()[-1]
                if proc.stdout.strip()
                else json.dumps(
                    {"attack": name, "exit": proc.returncode, "stderr": proc.stderr.strip()[-300:]}
                )
            )
        except subprocess.TimeoutExpired:
            line = json.dumps({"attack": name, "outcome": "timed out after 300 s"})
        print(line, flush=True)


if __name__ == "__main__":
    main()
