"""Least privilege in docker-compose.yml: no service signs in as PostgreSQL's superuser or MinIO's root;
each has its own database role (its migration job the database's owner) and its own MinIO user,
limited to its buckets by deploy/minio/policies. tests/security/test_s19_least_privilege.py runs the
PostgreSQL script for real."""

from __future__ import annotations

import json

import pytest

from tests.deploy.test_compose import ROOT, SERVICES

BUCKETS = {
    "certificates": {"certhub-scans", "certhub-thumbnails"},
    "review": {"certhub-originals"},
    "rewards": {"certhub-passbooks"},
    "notify": set(),
    "credentials": set(),
}


def test_postgres_init_script_creates_one_database_and_two_roles_per_service(services: dict) -> None:
    """A *.sh init script (the image runs it with the container's environment; a *.sql would not see the
    passwords); tests/security/test_s19_least_privilege.py runs it against a real PostgreSQL."""
    mounts = [v for v in services["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v]
    assert len(mounts) == 1 and mounts[0].split(":")[1].endswith(".sh")
    script = (ROOT / mounts[0].split(":")[0]).read_text(encoding="utf-8")
    assert "for service in certificates review rewards notify" in script
    assert 'CREATE DATABASE :"db" OWNER :"owner"' in script and "REVOKE ALL ON DATABASE" in script
    env = services["postgres"]["environment"]
    for name in SERVICES:
        for kind in ("", "OWNER_"):
            assert f"CERTHUB_{name.upper()}_DB_{kind}PASSWORD" in env


def _db_user(url: str) -> str:
    return url.split("://", 1)[1].split(":", 1)[0]


def test_no_service_uses_the_root_minio_credentials_or_a_shared_database_user(services: dict) -> None:
    users, owners = {}, {}
    for name in SERVICES:
        svc, job = services[name]["environment"], services[f"{name}-migrate"]["environment"]
        users[name], owners[name] = _db_user(svc["CERTHUB_DATABASE_URL"]), _db_user(job["CERTHUB_DATABASE_URL"])
        assert users[name] == f"certhub_{name}" and job["CERTHUB_DATABASE_APP_ROLE"] == users[name]
        assert owners[name] == f"certhub_{name}_owner"
        for env in (svc, job):
            assert "POSTGRES_" not in env["CERTHUB_DATABASE_URL"]
            assert "MINIO_ROOT" not in json.dumps(env), f"{name} must not see MinIO's root credentials"
        if BUCKETS[name]:
            assert svc["CERTHUB_S3_ACCESS_KEY"] == f"certhub-{name}"
            assert svc["CERTHUB_S3_SECRET_KEY"].startswith(f"${{CERTHUB_{name.upper()}_S3_SECRET:?")
        else:
            assert svc.get("CERTHUB_S3_ENDPOINT") == "" and "CERTHUB_S3_SECRET_KEY" not in svc
    assert len(set(users.values()) | set(owners.values())) == 2 * len(SERVICES)
    for name, svc in services.items():
        if name not in ("minio", "minio-setup"):
            assert "MINIO_ROOT" not in json.dumps(svc.get("environment") or {}), name


@pytest.mark.parametrize("name", ["certificates", "review", "rewards"])
def test_each_minio_policy_reaches_only_its_buckets(name: str) -> None:
    policy = json.loads((ROOT / f"deploy/minio/policies/{name}.json").read_text(encoding="utf-8"))
    reached = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow" and "s3:*" not in statement["Action"]
        for resource in statement["Resource"]:
            bucket = resource.removeprefix("arn:aws:s3:::").split("/", 1)[0]
            if bucket != "*":
                reached.add(bucket)
            else:
                assert statement["Action"] == ["s3:ListAllMyBuckets"]
    assert reached == BUCKETS[name]
    setup = (ROOT / "deploy/minio/setup.sh").read_text(encoding="utf-8")
    assert "policies/$service.json" in setup and "for service in certificates review rewards" in setup
