"""Checks of the Kubernetes manifests in deploy/k8s (no cluster needed).

Validation approach:
* Every object is validated against the Kubernetes OpenAPI-derived JSON schemas
  shipped by the PyPI package ``kubernetes-validate`` (offline, strict mode: an
  unknown field is an error). Without the package the test skips, except on CI
  (``CI=true``), where it fails.
* Structural checks with PyYAML: the kustomization lists every manifest except
  the Secret template; Deployments have >= 2 replicas, probes on /readyz and
  /healthz, resources with a memory limit of at most 256Mi and an image on every
  container; Services, HPAs, PDBs and the Ingress point at things that exist;
  one migration Job per service; the Secret template holds no values; the
  gateway's ConfigMap is exactly deploy/nginx/certhub.conf.template.
* ``kubectl kustomize`` (kustomize built into kubectl) builds what ``kubectl apply -k``
  would apply, and the tests check that output: ConfigMaps named by a hash of their
  content (a config change rolls the pods), migration Jobs named by the image tag
  (applying again changes nothing, a new release makes new Jobs), a NetworkPolicy
  for every pod. Without kubectl these skip, except on CI.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from tests.deploy.services import PORTS

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
TEMPLATE = ROOT / "deploy" / "nginx" / "certhub.conf.template"
SERVICES = PORTS  # name → port, from the kit's list and each service's settings
KUBERNETES_VERSION = "1.30"
MEMORY_LIMIT = 256 * 2**20
SECRET_TEMPLATE = "secret.example.yaml"


def _load(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


MANIFESTS = {path.name: _load(path) for path in sorted(K8S.glob("*.yaml")) if path.name != "kustomization.yaml"}
OBJECTS = [(name, obj) for name, docs in MANIFESTS.items() for obj in docs]


def _of_kind(kind: str, *, include_template: bool = False) -> list[dict]:
    return [obj for name, obj in OBJECTS if obj.get("kind") == kind and (include_template or name != SECRET_TEMPLATE)]


def _by_name(kind: str) -> dict[str, dict]:
    return {obj["metadata"]["name"]: obj for obj in _of_kind(kind)}


def _kustomization() -> dict:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))


def _config_env(path: Path = K8S / "config.env") -> dict[str, str]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    ]
    return dict(line.split("=", 1) for line in lines)


def _quantity_bytes(value: str) -> float:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9, "": 1}
    number, unit = re.fullmatch(r"([0-9.]+)([KMG]i?|)", str(value)).groups()
    return float(number) * units[unit]


def _pod_spec(obj: dict) -> dict:
    return obj["spec"]["template"]["spec"]


def _containers(obj: dict) -> list[dict]:
    spec = _pod_spec(obj)
    return spec.get("initContainers", []) + spec["containers"]


# --- parsing and schemas ----------------------------------------------------------------


def test_every_manifest_parses_with_the_basic_fields() -> None:
    assert OBJECTS, "no manifests found"
    for filename, obj in OBJECTS:
        assert isinstance(obj, dict), filename
        assert obj.get("apiVersion") and obj.get("kind"), filename
        assert obj.get("metadata", {}).get("name"), f"{filename}: {obj['kind']} without a name"
        namespace = obj["metadata"].get("namespace")
        assert namespace in (None, "certhub"), f"{filename}: unexpected namespace {namespace}"


def test_kustomization_lists_every_manifest_but_the_secret_template() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    assert kustomization["apiVersion"] == "kustomize.config.k8s.io/v1beta1"
    assert kustomization["kind"] == "Kustomization"
    assert kustomization["namespace"] == "certhub"
    assert sorted(kustomization["resources"]) == sorted(set(MANIFESTS) - {SECRET_TEMPLATE})
    assert [i["name"] for i in kustomization["images"]] == ["certhub/app"]


def test_every_object_matches_the_kubernetes_schema() -> None:
    try:
        import kubernetes_validate
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("kubernetes-validate is required on CI (pip install kubernetes-validate)")
        pytest.skip("kubernetes-validate is not installed; structural checks still run")
    errors = []
    for filename, obj in OBJECTS:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(map(str, exc.path))
            errors.append(f"{filename} {obj['kind']}/{obj['metadata']['name']} {path}: {exc.message}")
    assert errors == []


# --- workloads --------------------------------------------------------------------------


def test_deployments_are_replicated_probed_and_bounded() -> None:
    deployments = _by_name("Deployment")
    assert set(SERVICES) | {"gateway"} == deployments.keys()
    for name, deployment in deployments.items():
        assert deployment["spec"]["replicas"] >= 2, name
        selector = deployment["spec"]["selector"]["matchLabels"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selector.items() <= labels.items(), f"{name}: selector does not match its pods"
        for container in _containers(deployment):
            assert container.get("image"), f"{name}/{container['name']} has no image"
            resources = container.get("resources", {})
            assert resources.get("requests", {}).get("memory") and resources.get("requests", {}).get("cpu"), (
                f"{name}/{container['name']}: requests missing"
            )
            limit = resources.get("limits", {}).get("memory")
            assert limit and _quantity_bytes(limit) <= MEMORY_LIMIT, f"{name}/{container['name']}: memory limit"
        main = _pod_spec(deployment)["containers"][0]
        readiness = main["readinessProbe"]["httpGet"]["path"]
        liveness = main["livenessProbe"]["httpGet"]["path"]
        if name in SERVICES:
            assert (readiness, liveness) == ("/readyz", "/healthz"), name
            assert main["command"] == ["python", "-m", name, "serve"]
            assert main["image"].startswith("certhub/app:")
            assert main["ports"][0]["containerPort"] == SERVICES[name]
            assert main["resources"]["limits"]["memory"] == "256Mi"
            assert _pod_spec(deployment)["securityContext"]["runAsNonRoot"] is True
        else:
            assert (readiness, liveness) == ("/healthz", "/healthz"), name


def test_service_environment_comes_from_the_config_map_and_secret() -> None:
    config_maps = _by_name("ConfigMap")
    secret = next(
        obj for obj in _of_kind("Secret", include_template=True) if obj["metadata"]["name"] == "certhub-secrets"
    )
    secret_keys = set(secret["stringData"])
    config = _config_env()
    assert config["CERTHUB_ENV"] == "production" and config["CERTHUB_AUTH_MODE"] == "oidc"
    assert config["CERTHUB_OIDC_ISSUER"].startswith("https://") and config["CERTHUB_OIDC_AUDIENCE"]
    assert "CERTHUB_OIDC_JWKS_URL" not in config  # found through the issuer's discovery document
    generated = {g["name"] for g in _kustomization()["configMapGenerator"]}
    assert not config_maps, "ConfigMaps are generated by kustomization.yaml, not written as manifests"
    workloads = list(_by_name("Deployment").values()) + list(_by_name("Job").values())
    python_containers = [c for w in workloads for c in _containers(w) if c["name"] not in ("web", "nginx")]
    assert len(python_containers) == 2 * len(SERVICES)  # each service's Deployment and migration Job
    assert all(c.get("envFrom") for c in python_containers), "a service container without the ConfigMap"
    for workload in workloads:
        for container in _containers(workload):
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in generated
            for var in container.get("env", []):
                ref = var.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] == "certhub-secrets" and ref["key"] in secret_keys, var["name"]
                if re.search(r"PASSWORD|SECRET|DATABASE_URL|AMQP_URL|BANK_KEY", var["name"]):
                    assert ref, f"{var['name']} must come from the Secret"
    for name in SERVICES:
        deployment = _by_name("Deployment")[name]
        env = {v["name"]: v for v in _pod_spec(deployment)["containers"][0]["env"]}
        assert env["CERTHUB_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == f"{name}-database-url"
    rewards_env = {v["name"] for v in _pod_spec(_by_name("Deployment")["rewards"])["containers"][0]["env"]}
    assert "CERTHUB_BANK_KEY" in rewards_env


def test_secret_template_holds_no_values() -> None:
    secrets = _of_kind("Secret", include_template=True)
    assert [s["metadata"]["name"] for s in secrets] == ["certhub-secrets"]
    assert all(value == "" for value in secrets[0]["stringData"].values())
    assert "data" not in secrets[0]
    assert not any(name != SECRET_TEMPLATE and obj["kind"] == "Secret" for name, obj in OBJECTS)


def test_one_migration_job_per_service() -> None:
    jobs = _by_name("Job")
    assert jobs.keys() == {f"{name}-migrate-TAG" for name in SERVICES}  # TAG: the image tag (kustomization.yaml)
    for name in SERVICES:
        job = jobs[f"{name}-migrate-TAG"]
        spec = _pod_spec(job)
        assert spec["restartPolicy"] == "Never"
        assert spec["containers"][0]["command"] == ["python", "-m", name, "migrate"]
        assert job["spec"]["backoffLimit"] >= 1 and job["spec"].get("ttlSecondsAfterFinished")
        assert _quantity_bytes(spec["containers"][0]["resources"]["limits"]["memory"]) <= MEMORY_LIMIT


# --- networking -----------------------------------------------------------------------------


def test_services_select_deployments_and_named_ports() -> None:
    deployments = _by_name("Deployment")
    services = _by_name("Service")
    assert services.keys() == deployments.keys()
    for name, service in services.items():
        pod_labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert service["spec"]["selector"].items() <= pod_labels.items(), name
        port_names = {p["name"] for c in _pod_spec(deployments[name])["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names, f"{name}: unknown targetPort {port['targetPort']}"
        if name in SERVICES:
            assert service["spec"]["ports"][0]["port"] == SERVICES[name]


def test_autoscalers_and_disruption_budgets_target_deployments() -> None:
    deployments = _by_name("Deployment")
    autoscalers, budgets = _by_name("HorizontalPodAutoscaler"), _by_name("PodDisruptionBudget")
    assert autoscalers.keys() == set(SERVICES), "every service scales (the gateway runs a fixed number)"
    assert budgets.keys() == deployments.keys(), "every Deployment has a disruption budget"
    for name, hpa in autoscalers.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert target["kind"] == "Deployment" and target["name"] == name
        assert hpa["spec"]["minReplicas"] >= 2
        assert hpa["spec"]["maxReplicas"] >= hpa["spec"]["minReplicas"]
    for pdb in budgets.values():
        matched = [
            d
            for d in deployments.values()
            if pdb["spec"]["selector"]["matchLabels"].items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert len(matched) == 1, pdb["metadata"]["name"]


def test_ingress_points_at_the_gateway() -> None:
    ingresses = _of_kind("Ingress")
    assert len(ingresses) == 1
    gateway = _by_name("Service")["gateway"]
    port_names = {p["name"] for p in gateway["spec"]["ports"]}
    rules = ingresses[0]["spec"]["rules"]
    assert rules and all(rule["http"]["paths"] for rule in rules), "the Ingress routes nothing"
    for rule in rules:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == "gateway" and backend["port"]["name"] in port_names


def test_gateway_uses_the_shared_nginx_template() -> None:
    copy = (K8S / "gateway-nginx.conf.template").read_text(encoding="utf-8")
    assert copy == TEMPLATE.read_text(encoding="utf-8"), (
        "deploy/k8s/gateway-nginx.conf.template drifted from deploy/nginx/certhub.conf.template"
    )
    [generator] = [g for g in _kustomization()["configMapGenerator"] if g["name"] == "gateway-nginx"]
    assert generator["files"] == ["default.conf.template=gateway-nginx.conf.template"]
    deployment = _by_name("Deployment")["gateway"]
    nginx = next(c for c in _pod_spec(deployment)["containers"] if c["name"] == "nginx")
    assert nginx["image"].startswith("nginx:")
    env = {v["name"]: v.get("value") for v in nginx["env"]}
    placeholders = set(re.findall(r"\$\{(CERTHUB_[A-Z0-9_]+)\}", TEMPLATE.read_text(encoding="utf-8")))
    assert placeholders <= env.keys(), sorted(placeholders - env.keys())
    assert env["NGINX_ENVSUBST_FILTER"] == "^CERTHUB_"
    for name, port in SERVICES.items():
        assert env[f"CERTHUB_{name.upper()}_UPSTREAM"] == f"{name}:{port}"
    mounts = {m["mountPath"]: m["name"] for m in nginx["volumeMounts"]}
    assert mounts["/etc/nginx/templates"] == "templates"
    assert env["CERTHUB_WEB_ROOT"] in mounts


def test_each_service_has_its_own_database_role_and_storage_key() -> None:
    """The service signs in as its own role, its migration Job as the owner; each object-storage key
    is the service's own (README "Least privilege"); notify and the migrations get none."""
    jobs = _by_name("Job")
    for name in SERVICES:
        env = {v["name"]: v for v in _pod_spec(_by_name("Deployment")[name])["containers"][0]["env"]}
        job = {v["name"]: v for v in _pod_spec(jobs[f"{name}-migrate-TAG"])["containers"][0]["env"]}
        assert job["CERTHUB_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["key"] == f"{name}-migrate-database-url"
        assert job["CERTHUB_DATABASE_APP_ROLE"]["value"] == f"certhub_{name}"
        assert "CERTHUB_S3_SECRET_KEY" not in job and job["CERTHUB_S3_ENDPOINT"]["value"] == ""
        if name in ("notify", "credentials"):  # they store no objects
            assert "CERTHUB_S3_SECRET_KEY" not in env and env["CERTHUB_S3_ENDPOINT"]["value"] == ""
        else:
            for var, key in (("CERTHUB_S3_ACCESS_KEY", "s3-access-key"), ("CERTHUB_S3_SECRET_KEY", "s3-secret-key")):
                assert env[var]["valueFrom"]["secretKeyRef"]["key"] == f"{name}-{key}"
