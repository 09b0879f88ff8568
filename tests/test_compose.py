"""compose.yaml describes the deployment the issue asks for: Redis, two HTTP replicas, a refresh job."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def _compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


def test_two_http_replicas_share_redis_and_the_data_volume() -> None:
    services = _compose()["services"]
    replicas = {n: s for n, s in services.items() if s.get("command", [])[:2] == ["citebot", "serve"]}
    assert len(replicas) == 2
    for s in replicas.values():
        assert s["command"][2:4] == ["--mode", "http"]
        assert s["environment"]["CITEBOT_REDIS_URL"].startswith("redis://redis:")
        assert "citebot-data:/data" in s["volumes"] and s["image"] == "citebot"
        assert s["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["redis"]["image"].startswith("redis:")


def test_one_refresh_job_on_a_schedule_writes_into_the_same_volume() -> None:
    services = _compose()["services"]
    job = services["refresh"]
    script = " ".join(job["command"])
    assert "citebot refresh" in script and "sleep" in script
    assert "citebot-data:/data" in job["volumes"] and job["environment"]["CITEBOT_INDEX_DIR"] == "/data/index"


def test_the_balancer_sends_slack_to_both_replicas() -> None:
    conf = _compose()["configs"]["nginx"]["content"]
    assert "server citebot-a:3000" in conf and "server citebot-b:3000" in conf
