"""What ``kubectl apply -k deploy/k8s`` would apply, built by ``kubectl kustomize`` (no cluster needed).

* ConfigMaps carry a hash of their content in their names: a config change renames them, so the
  Deployments' pod templates change and the pods roll; the migration Jobs are named by the image
  tag and do not change with the config (their pod template is immutable), so applying the same
  release again changes nothing and a new release makes new Jobs.
* A NetworkPolicy selects every pod: a default deny, DNS, and per workload only the peers it needs.
* Every built object matches the Kubernetes 1.30 schema.

Without ``kubectl`` these skip, except on CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SERVICES = {"certificates": 8001, "review": 8002, "rewards": 8003, "notify": 8004, "credentials": 8005}
POSTGRES, RABBITMQ, STORAGE, SMTP, OIDC = {5432}, {5672, 5671}, {9000}, {25, 465, 587}, {443}


def build(folder: Path = K8S) -> list[dict]:
    kubectl = shutil.which("kubectl")
    if not kubectl:
        if os.environ.get("CI") == "true":
            pytest.fail("kubectl (with its built-in kustomize) is required on CI")
        pytest.skip("kubectl is not installed")
    result = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module")
def built() -> list[dict]:
    return build()


def named(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_labels(workload: dict) -> dict[str, str]:
    return workload["spec"]["template"]["metadata"]["labels"]


def config_refs(workload: dict) -> set[str]:
    spec = workload["spec"]["template"]["spec"]
    refs = {
        s["configMapRef"]["name"]
        for c in spec.get("initContainers", []) + spec["containers"]
        for s in c.get("envFrom", [])
    }
    return refs | {v["configMap"]["name"] for v in spec.get("volumes", []) if "configMap" in v}


def edited_copy(tmp_path: Path, filename: str, old: str, new: str) -> Path:
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    text = (copy / filename).read_text(encoding="utf-8")
    assert old in text
    (copy / filename).write_text(text.replace(old, new), encoding="utf-8")
    return copy


def test_the_build_matches_the_kubernetes_schema(built):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    for obj in built:
        kubernetes_validate.validate(obj, "1.30", strict=True)


def test_config_maps_are_generated_with_a_content_hash_and_referenced_by_it(built):
    config_maps = named(built, "ConfigMap")
    hashed = {name.rsplit("-", 1)[0]: name for name in config_maps if name != "certhub-migrate-config"}
    assert hashed.keys() == {"certhub-config", "gateway-nginx"} and all(
        len(name.rsplit("-", 1)[1]) == 10 for name in hashed.values()
    )
    deployments = named(built, "Deployment")
    for name in SERVICES:
        assert config_refs(deployments[name]) == {hashed["certhub-config"]}, name
    assert config_refs(deployments["gateway"]) == {hashed["gateway-nginx"]}
    assert config_maps[hashed["certhub-config"]]["data"] == config_maps["certhub-migrate-config"]["data"]
    assert config_maps[hashed["certhub-config"]]["data"]["CERTHUB_ENV"] == "production"


def test_a_config_change_rolls_the_pods_but_leaves_the_migration_jobs_alone(built, tmp_path):
    changed = build(edited_copy(tmp_path, "config.env", "CERTHUB_LOG_LEVEL=INFO", "CERTHUB_LOG_LEVEL=DEBUG"))
    before, after = named(built, "Deployment"), named(changed, "Deployment")
    for name in SERVICES:
        assert before[name]["spec"]["template"] != after[name]["spec"]["template"], f"{name} would not roll"
    assert before["gateway"] == after["gateway"]  # its template file did not change
    assert named(built, "Job") == named(changed, "Job")  # same names, same (immutable) pod templates


def test_migration_jobs_are_named_by_the_release_and_the_build_is_repeatable(built, tmp_path):
    jobs = named(built, "Job")
    tag = named(built, "Deployment")["certificates"]["spec"]["template"]["spec"]["containers"][0]["image"].split(":")[1]
    assert jobs.keys() == {f"{name}-migrate-{tag}" for name in SERVICES}
    for job in jobs.values():
        assert job["spec"]["template"]["spec"]["containers"][0]["image"].endswith(f":{tag}")
        assert config_refs(job) == {"certhub-migrate-config"} and job["spec"]["ttlSecondsAfterFinished"] > 0
    assert build() == built  # `kubectl apply -k` again: the same objects, nothing to change
    release = build(edited_copy(tmp_path, "kustomization.yaml", f"newTag: {tag}", "newTag: 0.2.0"))
    assert named(release, "Job").keys() == {f"{name}-migrate-0.2.0" for name in SERVICES}


def _selects(policy: dict, labels: dict[str, str]) -> bool:
    return policy["spec"]["podSelector"].get("matchLabels", {}).items() <= labels.items()


def _ports(rules: list[dict]) -> set[int]:
    return {p["port"] for rule in rules for p in rule.get("ports", [])}


def test_every_pod_is_covered_by_a_network_policy_of_its_own(built):
    policies = named(built, "NetworkPolicy")
    workloads = {**named(built, "Deployment"), **named(built, "Job")}
    deny = policies["default-deny"]
    assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    assert _ports(policies["allow-dns"]["spec"]["egress"]) == {53}
    for name, workload in workloads.items():
        own = [
            p
            for key, p in policies.items()
            if key not in ("default-deny", "allow-dns") and _selects(p, pod_labels(workload))
        ]
        assert len(own) == 1, f"{name}: {[p['metadata']['name'] for p in own]}"
        assert set(own[0]["spec"]["policyTypes"]) == {"Ingress", "Egress"}, name
    assert set(SERVICES) | {"gateway", "migrate"} <= policies.keys()


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_reaches_only_its_backends_and_is_reached_only_by_the_gateway_and_prometheus(built, service):
    spec = named(built, "NetworkPolicy")[service]["spec"]
    stores = set() if service == "credentials" else STORAGE  # credentials keeps no objects
    expected = POSTGRES | RABBITMQ | stores | OIDC | (SMTP if service == "notify" else set())
    assert _ports(spec["egress"]) == expected
    assert all(rule.get("to") for rule in spec["egress"]), "an egress rule without destinations allows anywhere"
    assert _ports(spec["ingress"]) == {SERVICES[service]}
    peers = [peer for rule in spec["ingress"] for peer in rule["from"]]
    assert [peer["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for peer in peers] == ["gateway", "prometheus"]
    assert peers[1]["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"}


def test_the_gateway_and_the_migrations_reach_only_what_they_use(built):
    policies = named(built, "NetworkPolicy")
    gateway = policies["gateway"]["spec"]
    assert _ports(gateway["egress"]) == set(SERVICES.values()) | STORAGE
    assert _ports(gateway["ingress"]) == {8000}
    assert gateway["ingress"][0]["from"] == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
    ]
    migrate = policies["migrate"]["spec"]
    assert _ports(migrate["egress"]) == POSTGRES and "ingress" not in migrate
