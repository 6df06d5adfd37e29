"""Scans in the browser with MinIO behind the gateway (docker-compose, Kubernetes).

The services redirect GET /api/certificates/{id}/scan (and /thumbnail) to a presigned URL. Browsers
cannot reach minio:9000, and a URL on another origin would need CORS, so the URLs are signed for the
gateway's own ``/storage/`` path (CERTHUB_S3_PUBLIC_ENDPOINT = <public URL>/storage) and nginx forwards
them to MinIO with the prefix stripped and the Host kept — the two things the signature covers.
Checked here: the kit signs exactly what MinIO will verify, the nginx location forwards like that
(real nginx in front of a stub), and compose and the Kubernetes manifests are wired the same way.
The standalone/folder storage has no presigned URLs and streams through the service (unchanged).
"""

from __future__ import annotations

import asyncio
import os
import threading
from datetime import datetime, timedelta
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from certhub_kit.storage import MinioStorage
from tests.deploy.test_nginx import Gateway, _free_port, _nginx_binary, _Stub, nginx_running, render

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "certhub.conf.template"


# --- the kit signs for the gateway path --------------------------------------------------------


def test_presigned_url_on_a_gateway_path_carries_the_signature_minio_checks() -> None:
    storage = MinioStorage(
        "minio:9000",
        "key",
        "secret-secret",
        region="us-east-1",
        public_endpoint="http://127.0.0.1:8000/storage/",
        bucket_prefix="certhub-",
    )
    url = asyncio_run(storage.presigned_get("scans", "2026/11/abc.jpg", timedelta(minutes=5)))
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "http",
        "127.0.0.1:8000",
        "/storage/certhub-scans/2026/11/abc.jpg",
    )
    # What the gateway forwards (prefix stripped, same host) is exactly a URL signed for MinIO's path.
    query = parse_qs(parts.query)
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    direct = storage.public.presigned_get_object(
        "certhub-scans", "2026/11/abc.jpg", expires=timedelta(minutes=5), request_date=signed_at
    )
    assert url.replace("/storage/", "/", 1) == direct


def test_host_only_public_endpoints_are_unchanged_and_odd_paths_refused() -> None:
    plain = MinioStorage("minio:9000", "key", "secret-secret", public_endpoint="s3.example.edu.tw")
    assert urlsplit(asyncio_run(plain.presigned_get("scans", "a.jpg", timedelta(minutes=1)))).path == "/scans/a.jpg"
    with pytest.raises(ValueError):
        MinioStorage("minio:9000", "key", "secret-secret", public_endpoint="http://gw/storage;x")


def asyncio_run(coro):
    return asyncio.run(coro)


# --- the nginx location, for real --------------------------------------------------------------


@pytest.fixture(scope="module")
def gateway_with_storage(tmp_path_factory: pytest.TempPathFactory):
    nginx = _nginx_binary()
    prefix = tmp_path_factory.mktemp("gateway-storage")
    storage = ThreadingHTTPServer(("127.0.0.1", 0), type("Stub_storage", (_Stub,), {"service": "storage"}))
    storage.daemon_threads = True
    threading.Thread(target=storage.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = _free_port()
    conf = render.write_standalone(
        prefix,
        listen=f"127.0.0.1:{port}",
        user="root" if os.geteuid() == 0 else None,
        CERTHUB_STORAGE_URL=f"http://127.0.0.1:{storage.server_address[1]}",
    )
    try:
        with nginx_running(nginx, prefix, conf, port):
            yield Gateway(port, prefix)
    finally:
        storage.shutdown()
        storage.server_close()


def test_storage_path_reaches_minio_with_the_signed_path_and_host(gateway_with_storage) -> None:
    signed = "/storage/certhub-scans/2026/11/abc.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0f0f"
    status, seen = gateway_with_storage.json(
        "GET", signed, headers={"Host": "certhub.example.edu.tw", "Authorization": "Bearer web-client-token"}
    )
    assert status == 200 and seen["service"] == "storage"
    assert seen["path"] == "/certhub-scans/2026/11/abc.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=0f0f"
    assert seen["headers"]["host"] == "certhub.example.edu.tw"
    assert "authorization" not in seen["headers"], "the bearer token must not reach S3"


def test_storage_objects_are_served_sandboxed_and_not_sniffed(gateway_with_storage) -> None:
    """A stored upload (a PDF with a script, an HTML polyglot) runs nothing in the site's origin."""
    signed = "/storage/certhub-scans/2026/11/abc.pdf?X-Amz-Signature=0f"
    status, headers, _ = gateway_with_storage.request("GET", signed)
    headers = {k.lower(): v for k, v in dict(headers).items()}
    assert status == 200
    assert headers.get("content-security-policy") == "sandbox"
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-frame-options") == "DENY"


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_storage_path_is_read_only(gateway_with_storage, method: str) -> None:
    status, _, body = gateway_with_storage.request(method, "/storage/certhub-scans/x.jpg", body=b"x")
    assert status == 403
    assert b'"service"' not in body


# --- compose and Kubernetes are wired the same way ----------------------------------------------


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _default(value: str) -> str:
    """The default of a `${VAR:-default}` compose value (or the value itself)."""
    if value.startswith("${") and ":-" in value:
        return value[value.index(":-") + 2 : -1]
    return value


def test_compose_signs_for_the_gateway_and_the_gateway_forwards_to_minio() -> None:
    compose = _compose()
    services = compose["services"]
    app_env = compose["x-app-env"]
    public = _default(app_env["CERTHUB_S3_PUBLIC_ENDPOINT"])
    base = _default(app_env["CERTHUB_PUBLIC_BASE_URL"])
    assert public == f"{base}/storage", "presigned URLs must be on the web client's origin"
    gateway = services["gateway"]
    assert gateway["environment"]["CERTHUB_STORAGE_URL"] == f"http://{app_env['CERTHUB_S3_ENDPOINT']}"
    assert "minio" in gateway["depends_on"]  # nginx resolves minio when it starts
    published = [str(p) for p in services["minio"].get("ports", [])]
    assert all(p.startswith("127.0.0.1:") for p in published), "MinIO's ports stay on the host's loopback"
    mounted = [v for v in gateway["volumes"] if "certhub.conf.template" in v]
    assert mounted and "location /storage/" in TEMPLATE.read_text(encoding="utf-8")


def test_kubernetes_signs_for_the_gateway_and_the_gateway_forwards_to_the_s3_endpoint() -> None:
    lines = (ROOT / "deploy/k8s/config.env").read_text(encoding="utf-8").splitlines()
    config = dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    assert config["CERTHUB_S3_PUBLIC_ENDPOINT"] == f"{config['CERTHUB_PUBLIC_BASE_URL']}/storage"
    gateway = next(
        d
        for d in yaml.safe_load_all((ROOT / "deploy/k8s/gateway.yaml").read_text(encoding="utf-8"))
        if d and d.get("kind") == "Deployment"
    )
    nginx = next(c for c in gateway["spec"]["template"]["spec"]["containers"] if c["name"] == "nginx")
    env = {v["name"]: v.get("value") for v in nginx["env"]}
    scheme = "https" if config["CERTHUB_S3_SECURE"] == "true" else "http"
    assert env["CERTHUB_STORAGE_URL"] == f"{scheme}://{config['CERTHUB_S3_ENDPOINT']}"
