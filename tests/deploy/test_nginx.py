"""The gateway's nginx template, rendered and run by the real nginx binary.

Validation approach:
* ``deploy/nginx/render.py`` renders the template into a standalone nginx.conf
  under a temporary prefix and ``nginx -t`` checks it.
* Then nginx runs in the foreground in front of four tiny stub services (stdlib
  HTTP servers on loopback ports) and a temporary web root, and real requests
  check the routing by prefix (no rewrite), forwarded headers, correlation ids,
  the web client's index.html fallback, JSON errors for 404/413/429/503, rate
  limits and the access log.
* If the renderer's and envsubst's outputs are compared when ``envsubst``
  (gettext-base) is installed: the nginx image renders the same template with it.

Without an nginx binary the nginx-running tests skip, except on CI
(``CI=true``), where they fail: install it with
``apt-get install -y nginx-light`` (or ``nginx``).
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from certhub_kit.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "certhub.conf.template"


@contextlib.contextmanager
def nginx_running(nginx: str, prefix: Path, conf: Path, port: int):
    """Debian's nginx on ``conf`` until the block ends (graceful SIGQUIT, then kill)."""
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-e", "stderr"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited: {process.stderr.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not start listening within 10 s")
                time.sleep(0.02)
        yield process
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful shutdown
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def _load_render():
    spec = importlib.util.spec_from_file_location("certhub_nginx_render", ROOT / "deploy" / "nginx" / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = _load_render()


def _nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (
            p
            for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
            if os.access(p, os.X_OK)
        ),
        None,
    )
    if found:
        return found
    message = "nginx binary not found (apt-get install -y nginx-light)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " — required on CI")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- rendering -----------------------------------------------------------------------------


def test_template_placeholders_are_documented_and_rendered() -> None:
    names = render.placeholders(TEMPLATE)
    header = TEMPLATE.read_text(encoding="utf-8").split("upstream ", 1)[0]
    for name in names:
        assert re.search(rf"^#\s+{name}\s+\S", header, re.M), f"{name} is not described in the template's header"
    values = render.standalone_values("/tmp/certhub-gw")
    assert names == values.keys()
    text = render.render(TEMPLATE, **values)
    assert "${CERTHUB_" not in text
    # nginx's own variables survive rendering untouched.
    for variable in ("$request_id", "$binary_remote_addr", "$proxy_add_x_forwarded_for", "$uri"):
        assert variable in text


def test_render_refuses_missing_and_unsafe_values() -> None:
    values = render.standalone_values("/tmp/certhub-gw")
    incomplete = dict(values)
    del incomplete["CERTHUB_REVIEW_UPSTREAM"]
    with pytest.raises(KeyError, match="CERTHUB_REVIEW_UPSTREAM"):
        render.render(TEMPLATE, **incomplete)
    for bad in ("127.0.0.1:8002; include /etc/passwd", "x}", "", "a b"):
        with pytest.raises(ValueError):
            render.render(TEMPLATE, **{**values, "CERTHUB_REVIEW_UPSTREAM": bad})


def test_envsubst_renders_the_same_as_render_py() -> None:
    envsubst = shutil.which("envsubst")
    if not envsubst:
        pytest.skip("envsubst (gettext-base) is not installed")
    values = render.standalone_values("/tmp/certhub-gw")
    shell_format = " ".join(f"${{{name}}}" for name in values)  # only these, like NGINX_ENVSUBST_FILTER
    result = subprocess.run(
        [envsubst, shell_format],
        input=TEMPLATE.read_text(encoding="utf-8"),
        text=True,
        capture_output=True,
        env={**os.environ, **values},
        check=True,
    )
    assert result.stdout == render.render(TEMPLATE, **values)


def test_nginx_accepts_the_rendered_config(tmp_path: Path) -> None:
    nginx = _nginx_binary()
    conf = render.write_standalone(
        tmp_path, listen=f"127.0.0.1:{_free_port()}", user="root" if os.geteuid() == 0 else None
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"], capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr


# --- a running gateway ---------------------------------------------------------------------------


class _Stub(BaseHTTPRequestHandler):
    """Answers every request with what it saw, as JSON."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes
    service = "?"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        payload = json.dumps(
            {
                "service": self.service,
                "method": self.command,
                "path": self.path,
                "body_bytes": len(body),
                "headers": {k.lower(): v for k, v in self.headers.items()},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


class Gateway:
    def __init__(self, port: int, prefix: Path) -> None:
        self.port, self.prefix = port, prefix

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def json(self, method: str, path: str, **kwargs) -> tuple[int, dict]:
        status, _, body = self.request(method, path, **kwargs)
        return status, json.loads(body)


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory):
    nginx = _nginx_binary()
    prefix = tmp_path_factory.mktemp("gateway")
    web = prefix / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>CertHub</title><p>證照</p>", encoding="utf-8")
    (web / "app.js").write_text("export const ok = true;\n", encoding="utf-8")

    stubs, upstreams = [], {}
    for name in SERVICES:
        if name == "notify":
            continue  # left without a server: the gateway must answer 503 for it
        server = ThreadingHTTPServer(("127.0.0.1", 0), type(f"Stub_{name}", (_Stub,), {"service": name}))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        stubs.append(server)
        upstreams[f"CERTHUB_{name.upper()}_UPSTREAM"] = f"127.0.0.1:{server.server_address[1]}"
    upstreams["CERTHUB_NOTIFY_UPSTREAM"] = f"127.0.0.1:{_free_port()}"

    port = _free_port()
    conf = render.write_standalone(
        prefix,
        listen=f"127.0.0.1:{port}",
        web_root=web,
        user="root" if os.geteuid() == 0 else None,
        # Tight limits so a handful of requests shows them working.
        CERTHUB_UPLOAD_RATE="1r/m",
        CERTHUB_UPLOAD_BURST="2",
        CERTHUB_LOGIN_RATE="1r/m",
        CERTHUB_LOGIN_BURST="1",
        CERTHUB_CONFIRM_RATE="1r/m",
        CERTHUB_CONFIRM_BURST="3",
        CERTHUB_HSTS="on",
        oidc_issuer="https://sso.example.edu.tw:8443/realms/certhub",
        **upstreams,
    )
    try:
        with nginx_running(nginx, prefix, conf, port):
            yield Gateway(port, prefix)
    finally:
        for server in stubs:
            server.shutdown()
            server.server_close()


@pytest.mark.parametrize(
    ("method", "path", "service"),
    [
        ("GET", "/api/auth/me", "certificates"),
        ("GET", "/api/catalog?q=TQC&category=3", "certificates"),
        ("GET", "/api/catalog/categories", "certificates"),
        ("GET", "/api/certificates?status=draft", "certificates"),
        ("GET", "/api/certificates/42/thumbnail", "certificates"),
        ("GET", "/api/confirm/tok-123", "certificates"),
        ("GET", "/api/review/queue?dept=IM", "review"),
        ("GET", "/api/review/42/original", "review"),
        ("POST", "/api/review/decisions", "review"),
        ("GET", "/api/rewards/window", "rewards"),
        ("GET", "/api/rewards/applications/7/bank-account", "rewards"),
        ("GET", "/api/rewards/payouts/3/export.csv", "rewards"),
        ("GET", "/api/credentials?certificate_id=42", "credentials"),
        ("GET", "/api/certificates/42/credential", "credentials"),
        ("GET", "/api/credentials/status/1", "credentials"),
        ("POST", "/api/credentials/abc/revoke", "credentials"),
        ("GET", "/api/verify/abc", "credentials"),
        ("POST", "/api/verify", "credentials"),
        ("GET", "/verify/abc?lang=en", "credentials"),
        ("GET", "/credentials/abc", "credentials"),
        ("GET", "/.well-known/did.json", "credentials"),
    ],
)
def test_routes_by_prefix_without_rewriting(gateway: Gateway, method: str, path: str, service: str) -> None:
    status, seen = gateway.json(method, path, body=b"{}" if method == "POST" else None)
    assert status == 200
    assert (seen["service"], seen["method"], seen["path"]) == (service, method, path)


def test_forwards_client_and_correlation_headers(gateway: Gateway) -> None:
    _, seen = gateway.json("GET", "/api/catalog", headers={"X-Correlation-ID": "req-abc.123"})
    headers = seen["headers"]
    assert headers["x-correlation-id"] == "req-abc.123"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert headers["x-real-ip"] == "127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["host"] == f"127.0.0.1:{gateway.port}"
    # Missing or malformed ids are replaced by the gateway's own request id.
    for sent in ({}, {"X-Correlation-ID": 'bad id" with quotes'}):
        _, seen = gateway.json("GET", "/api/catalog", headers=sent)
        generated = seen["headers"]["x-correlation-id"]
        assert len(generated) == 32 and int(generated, 16) >= 0


def test_serves_the_web_client_with_index_fallback(gateway: Gateway) -> None:
    status, headers, body = gateway.request("GET", "/")
    assert status == 200 and "證照".encode() in body
    assert headers["content-type"].startswith("text/html")
    status, headers, body = gateway.request("GET", "/app.js")
    assert status == 200 and headers["content-type"].startswith("application/javascript")
    status, _, body = gateway.request("GET", "/student/certificates/new")  # a client-side route
    assert status == 200 and b"<title>CertHub</title>" in body
    status, headers, _ = gateway.request("GET", "/healthz")
    assert status == 200


def test_unknown_api_paths_get_a_json_404(gateway: Gateway) -> None:
    status, body = gateway.json("GET", "/api/nothing-here")
    assert status == 404 and body["error"]["code"] == "not_found"
    assert body["error"]["message"] and body["error"]["message_en"]


def test_bodies_over_3_mib_are_refused_in_the_api_error_shape(gateway: Gateway) -> None:
    status, seen = gateway.json("POST", "/api/catalog/import", body=b"x" * (2 * 1024 * 1024 + 512))
    assert status == 200 and seen["body_bytes"] == 2 * 1024 * 1024 + 512  # a 2 MiB scan plus form fields
    status, body = gateway.json("POST", "/api/catalog/import", body=b"x" * (3 * 1024 * 1024 + 1))
    assert status == 413 and body["error"]["code"] == "payload_too_large"


def test_a_service_that_is_down_answers_503_json(gateway: Gateway) -> None:
    for path in ("/api/notify/deliveries", "/api/dev/mailbox"):
        status, headers, raw = gateway.request("GET", path)
        assert status == 503, path
        assert json.loads(raw)["error"]["code"] == "service_unavailable"
        assert headers["content-type"].startswith("application/json")


def test_uploads_are_rate_limited_but_reads_are_not(gateway: Gateway) -> None:
    # Rate 1r/m with burst 2: three writes pass, the fourth is refused.
    statuses = [gateway.request("POST", "/api/certificates", body=b"scan")[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    status, _, raw = gateway.request("PATCH", "/api/certificates/42", body=b"new scan")  # the same budget
    assert status == 429 and json.loads(raw)["error"]["code"] == "rate_limited"
    assert gateway.request("GET", "/api/certificates/42")[0] == 200
    status, headers, raw = gateway.request("PUT", "/api/rewards/applications/7/bank-account", body=b"passbook")
    assert status == 429 and json.loads(raw)["error"]["code"] == "rate_limited"
    assert headers.get("retry-after")
    assert gateway.request("POST", "/api/review/42/original", body=b"scan")[0] == 429
    # Listing and other writes are outside the upload budget.
    assert [gateway.request("GET", "/api/certificates")[0] for _ in range(5)] == [200] * 5
    assert gateway.request("POST", "/api/review/42/decision", body=b"{}")[0] == 200


def test_dev_login_is_rate_limited(gateway: Gateway) -> None:
    statuses = [gateway.request("POST", "/api/auth/dev-login", body=b'{"username":"s1100001"}')[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert gateway.request("GET", "/api/auth/me")[0] == 200


def test_access_log_is_json_without_confirmation_tokens(gateway: Gateway) -> None:
    gateway.request("GET", "/api/confirm/SECRET-TOKEN-value?x=1", headers={"X-Correlation-ID": "log-check-1"})
    log = gateway.prefix / "logs" / "access.log"
    # nginx writes the log line after the response has gone out: wait for it.
    deadline = time.monotonic() + 5
    while True:
        lines = log.read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) for line in lines]
        mine = [e for e in entries if e["correlation_id"] == "log-check-1"]
        if mine or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert mine, "the request was not logged"
    assert {"time", "method", "path", "status", "request_time", "upstream_addr"} <= mine[0].keys()
    assert mine[0]["path"] == "/api/confirm/[redacted]" and mine[0]["status"] == 200
    assert not any("SECRET-TOKEN" in line for line in lines)


def test_confirmation_links_are_rate_limited_per_client(gateway: Gateway) -> None:
    statuses = [gateway.request("GET", f"/api/confirm/guess-{n}")[0] for n in range(6)]
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    status, headers, raw = gateway.request("POST", "/api/confirm/guess-x", body=b"{}")
    error = json.loads(raw)["error"]
    assert status == 429 and error["code"] == "rate_limited" and "頻繁" in error["message"] and error["message_en"]
    assert headers["content-type"].startswith("application/json") and headers.get("retry-after")


def _csp(headers: dict[str, str]) -> dict[str, list[str]]:
    directives = [d.split() for d in headers["content-security-policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", ["/", "/index.html", "/app.js", "/student/certificates/new"])
def test_the_web_client_gets_a_content_security_policy_and_security_headers(gateway: Gateway, path: str) -> None:
    status, headers, _ = gateway.request("GET", path)
    assert status == 200
    csp = _csp(headers)
    assert csp["default-src"] == ["'self'"] and csp["script-src"] == ["'self'"]  # no inline script
    assert csp["connect-src"] == ["'self'", "https://sso.example.edu.tw:8443"]  # the API and the provider
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["img-src"] == ["'self'", "blob:", "data:"] and csp["base-uri"] == ["'self'"]
    assert not any("'unsafe-inline'" in values or "'unsafe-eval'" in values for values in csp.values())
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["cache-control"] == "no-cache"


def test_api_answers_allow_nothing_to_load_and_keep_the_security_headers(gateway: Gateway) -> None:
    for method, path in (("GET", "/api/catalog"), ("GET", "/api/nothing-here")):
        status, headers, _ = gateway.request(method, path)
        assert _csp(headers) == {"default-src": ["'none'"], "frame-ancestors": ["'none'"]}, path
        assert headers["x-content-type-options"] == "nosniff" and "strict-transport-security" in headers
        assert "cache-control" not in headers, path


def test_the_csp_names_the_issuers_origin_and_hsts_is_a_switch(tmp_path: Path) -> None:
    values = render.standalone_values(
        tmp_path, listen="127.0.0.1:18000", oidc_issuer="https://sso.example.edu.tw/realms/certhub"
    )
    assert values["CERTHUB_OIDC_ORIGIN"] == "https://sso.example.edu.tw" and values["CERTHUB_HSTS"] == "off"
    assert (
        render.standalone_values(tmp_path, listen="127.0.0.1:18000", oidc_issuer="")["CERTHUB_OIDC_ORIGIN"]
        == "http://127.0.0.1:18000"
    )  # dev login: nothing beyond 'self'
    with pytest.raises(ValueError):
        render.origin_of("sso.example.edu.tw/realms/certhub")
    text = render.render(TEMPLATE, **values)
    assert "connect-src 'self' https://sso.example.edu.tw;" in text and 'map "off" $certhub_hsts' in text


def test_the_web_client_has_no_inline_script() -> None:
    html = (ROOT / "web" / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attributes and not body.strip() for attributes, body in scripts)
    assert not re.search(r"\son[a-z]+=", html) and "style=" not in html
