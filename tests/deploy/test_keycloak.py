"""Keycloak in docker-compose, production-shaped, and the Grafana board's shared gauges.

Keycloak runs ``start`` (not ``start-dev``) on its own PostgreSQL database, published on the host's
loopback only; the realm's ``certhub-web`` client has no password grant and takes its redirect,
post-logout and origin URLs from ``CERTHUB_PUBLIC_BASE_URL`` through Keycloak's ``${VAR:default}``
placeholders, substituted here as Keycloak does on import.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def test_gauges_every_replica_reports_alike_are_never_summed_on_the_board() -> None:
    """certhub_queue_depth (a queue's ready messages) and certhub_outbox_lag_seconds (the oldest row of a
    service's database) are the same value seen by every replica: summing them multiplies by replicas."""
    dashboard = json.loads((ROOT / "deploy/grafana/dashboards/certhub.json").read_text(encoding="utf-8"))
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]
    shared = [e for e in exprs if re.search(r"certhub_(queue_depth|outbox_lag_seconds)", e)]
    assert len(shared) == 2
    for expr in shared:
        assert re.match(r"^(max|avg) by \((queue|service)\) \(", expr) and "sum" not in expr, expr
    assert "max by (queue) (certhub_queue_depth)" in exprs


KEYCLOAK_PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)(?::([^}]*))?\}")


def _as_keycloak_imports(text: str, env: dict[str, str]) -> dict:
    """The realm file after Keycloak's ${VAR} / ${VAR:default} substitution on import."""
    return json.loads(KEYCLOAK_PLACEHOLDER.sub(lambda m: env.get(m[1], m[2] if m[2] is not None else m[0]), text))


def test_keycloak_runs_production_shaped_on_postgresql(services: dict) -> None:
    keycloak = services["keycloak"]
    env = keycloak["environment"]
    assert env["KC_DB"] == "postgres" and env["KC_DB_URL"] == "jdbc:postgresql://postgres:5432/keycloak"
    assert env["KC_DB_USERNAME"] == "keycloak"  # its own role, not the superuser
    assert env["KC_DB_PASSWORD"].startswith("${KEYCLOAK_DB_PASSWORD:?")  # no default password
    assert services["postgres"]["environment"]["KEYCLOAK_DB_PASSWORD"].startswith("${KEYCLOAK_DB_PASSWORD:?")
    init = (ROOT / "deploy/postgres/init-databases.sh").read_text(encoding="utf-8")
    assert "CREATE DATABASE keycloak OWNER keycloak;" in init
    assert keycloak["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert env["KC_HOSTNAME"].startswith("${KEYCLOAK_PUBLIC_URL") and env["KC_HEALTH_ENABLED"] == "true"
    assert [str(p) for p in keycloak["ports"]] == ["127.0.0.1:8080:8080"]  # not on every interface; 9000 unpublished
    assert env["CERTHUB_PUBLIC_BASE_URL"] == "${CERTHUB_PUBLIC_BASE_URL:-http://127.0.0.1:8000}"


@pytest.mark.parametrize("base", [None, "https://certhub.example.edu.tw"])
def test_the_web_clients_urls_follow_the_public_base_url(base: str | None) -> None:
    text = (ROOT / "deploy/keycloak/certhub-realm.json").read_text(encoding="utf-8")
    realm = _as_keycloak_imports(text, {"CERTHUB_PUBLIC_BASE_URL": base} if base else {})
    expected = base or "http://127.0.0.1:8000"
    client = next(c for c in realm["clients"] if c["clientId"] == "certhub-web")
    assert client["directAccessGrantsEnabled"] is False and client["implicitFlowEnabled"] is False
    assert client["redirectUris"] == [f"{expected}/auth/callback"]
    assert client["attributes"]["post.logout.redirect.uris"] == f"{expected}/"
    assert client["webOrigins"] == [expected] and client["rootUrl"] == expected
    assert "${" not in json.dumps(realm)
