"""Render the CertHub gateway template for nginx running outside a container.

The template ``certhub.conf.template`` (next to this file) holds the gateway's
http{}-level configuration with ``${CERTHUB_*}`` placeholders. The nginx Docker
image fills them with envsubst; this module does the same with the standard
library so that Debian's nginx can run the gateway from a test harness or a
workstation, without root and without touching /etc:

    from render import render, write_standalone
    text = render("deploy/nginx/certhub.conf.template", CERTHUB_LISTEN="8000", ...)
    conf = write_standalone("/tmp/gw", listen="127.0.0.1:18000")
    # then: nginx -p /tmp/gw -c /tmp/gw/nginx.conf -e stderr

or from a shell:

    python deploy/nginx/render.py --prefix /tmp/gw --listen 127.0.0.1:8000
    nginx -p /tmp/gw -c /tmp/gw/nginx.conf -e stderr

Only ``${CERTHUB_NAME}`` (braced, upper case, CERTHUB_ prefix) is a placeholder;
nginx variables such as ``$host`` pass through untouched. Stdlib only.
"""

from __future__ import annotations

import argparse
import os
import re
import string
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "certhub.conf.template"
REPO_ROOT = HERE.parent.parent

# Values that must not be able to smuggle extra directives into the config.
_UNSAFE = re.compile(r"[;{}\s\"'`$#]")

# Defaults for a gateway in front of the four services on this machine,
# on the ports fixed by docs/CONVENTIONS.md.
DEFAULT_UPSTREAMS = {
    "CERTHUB_CERTIFICATES_UPSTREAM": "127.0.0.1:8001",
    "CERTHUB_REVIEW_UPSTREAM": "127.0.0.1:8002",
    "CERTHUB_REWARDS_UPSTREAM": "127.0.0.1:8003",
    "CERTHUB_NOTIFY_UPSTREAM": "127.0.0.1:8004",
    "CERTHUB_CREDENTIALS_UPSTREAM": "127.0.0.1:8005",
    "CERTHUB_STORAGE_URL": "http://127.0.0.1:9000",
}
DEFAULT_LIMITS = {
    "CERTHUB_UPLOAD_RATE": "200r/s",
    "CERTHUB_UPLOAD_BURST": "400",
    "CERTHUB_LOGIN_RATE": "50r/s",
    "CERTHUB_LOGIN_BURST": "100",
    "CERTHUB_CONFIRM_RATE": "2r/s",
    "CERTHUB_CONFIRM_BURST": "20",
}

# The nginx image ships /etc/nginx/mime.types; a standalone config must not
# depend on a system path, so it carries the types the web client uses.
_MIME_TYPES = {
    "text/html": "html htm",
    "text/css": "css",
    "text/plain": "txt",
    "application/javascript": "js mjs",
    "application/json": "json map",
    "application/manifest+json": "webmanifest",
    "image/svg+xml": "svg svgz",
    "image/png": "png",
    "image/jpeg": "jpeg jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "image/x-icon": "ico",
    "font/woff": "woff",
    "font/woff2": "woff2",
    "application/pdf": "pdf",
}


class _GatewayTemplate(string.Template):
    """string.Template that only knows braced ``${CERTHUB_...}`` placeholders."""

    flags = 0  # case-sensitive: ${certhub_x} is not a placeholder
    pattern = r"""
        \$(?:
            (?P<escaped>(?!))                     # no escape sequence
          | (?P<named>(?!))                       # no bare $NAME form
          | \{(?P<braced>CERTHUB_[A-Z0-9_]+)\}    # ${CERTHUB_NAME}
          | (?P<invalid>(?!))                     # anything else is literal
        )
    """


def placeholders(template_path: str | os.PathLike[str] = TEMPLATE) -> set[str]:
    """Names of the placeholders a template needs."""
    text = Path(template_path).read_text(encoding="utf-8")
    return set(_GatewayTemplate(text).get_identifiers())


def render(template_path: str | os.PathLike[str] = TEMPLATE, **values: object) -> str:
    """Fill every ``${CERTHUB_*}`` placeholder of the template.

    Raises KeyError naming a missing placeholder, and ValueError for a value
    that contains characters able to break out of its directive.
    """
    text = Path(template_path).read_text(encoding="utf-8")
    clean: dict[str, str] = {}
    for name, value in values.items():
        value = str(value)
        if not value or _UNSAFE.search(value):
            raise ValueError(f"unsafe or empty value for {name}: {value!r}")
        clean[name] = value
    missing = sorted(set(_GatewayTemplate(text).get_identifiers()) - clean.keys())
    if missing:
        raise KeyError(f"missing template values: {', '.join(missing)}")
    return _GatewayTemplate(text).substitute(clean)


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL (the CSP's connect-src names origins, not paths)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def oidc_origin(listen: str, issuer: str | None = None) -> str:
    """The OIDC provider's origin from ``issuer`` (else ``$CERTHUB_OIDC_ISSUER``); without a provider
    (dev login), the gateway's own origin, which adds nothing to ``'self'``."""
    issuer = issuer if issuer is not None else os.environ.get("CERTHUB_OIDC_ISSUER", "")
    if issuer:
        return origin_of(issuer)
    host, _, port = listen.rpartition(":")
    return f"http://{host or '127.0.0.1'}:{port}"


def standalone_values(
    prefix: str | os.PathLike[str],
    *,
    listen: str = "127.0.0.1:8000",
    web_root: str | os.PathLike[str] | None = None,
    oidc_issuer: str | None = None,
    **overrides: object,
) -> dict[str, str]:
    """Template values for a gateway whose logs and buffers live under ``prefix``."""
    prefix = Path(prefix).resolve()
    values: dict[str, str] = {
        "CERTHUB_LISTEN": listen,
        "CERTHUB_OIDC_ORIGIN": oidc_origin(listen, oidc_issuer),
        "CERTHUB_HSTS": "off",
        "CERTHUB_WEB_ROOT": str(Path(web_root).resolve() if web_root else REPO_ROOT / "web"),
        "CERTHUB_ACCESS_LOG": str(prefix / "logs" / "access.log"),
        "CERTHUB_ERROR_LOG": str(prefix / "logs" / "error.log"),
        "CERTHUB_TEMP_DIR": str(prefix / "tmp"),
        "CERTHUB_TRUSTED_PROXY": "127.0.0.1/32",
        **DEFAULT_UPSTREAMS,
        **DEFAULT_LIMITS,
    }
    values.update({k: str(v) for k, v in overrides.items()})
    return values


def standalone_config(
    prefix: str | os.PathLike[str],
    *,
    template: str | os.PathLike[str] = TEMPLATE,
    user: str | None = None,
    worker_processes: int = 1,
    **values: object,
) -> str:
    """A complete nginx.conf (foreground, no system paths) around the rendered template.

    ``values`` are passed to :func:`standalone_values` (``listen``, ``web_root``
    and any ``CERTHUB_*`` override). ``user`` sets the worker user when nginx
    is started as root (root's default, ``nobody``, may not read a private
    web root); it is ignored by nginx otherwise.
    """
    prefix = Path(prefix).resolve()
    http = render(template, **standalone_values(prefix, **values))
    types = "\n".join(f"        {mime:<28} {exts};" for mime, exts in _MIME_TYPES.items())
    user_line = f"user {user};\n" if user else ""
    tmp = prefix / "tmp"
    return f"""# Generated by deploy/nginx/render.py from {Path(template).name} — do not edit.
# Run: nginx -p {prefix} -c {prefix / "nginx.conf"} -e stderr
{user_line}daemon off;
master_process on;
worker_processes {int(worker_processes)};
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} warn;

events {{
    worker_connections 1024;
}}

http {{
    types {{
{types}
    }}
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;

    # Temp paths of modules the gateway does not use (nginx creates them anyway).
    fastcgi_temp_path {tmp / "fastcgi"};
    uwsgi_temp_path   {tmp / "uwsgi"};
    scgi_temp_path    {tmp / "scgi"};

{_indent(http, 4)}
}}
"""


def write_standalone(prefix: str | os.PathLike[str], **kwargs: object) -> Path:
    """Create ``prefix/{logs,tmp}`` and write ``prefix/nginx.conf``; return its path."""
    prefix = Path(prefix).resolve()
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(standalone_config(prefix, **kwargs), encoding="utf-8")
    return conf


def _indent(text: str, width: int) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def _parse_overrides(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.startswith("CERTHUB_"):
            raise SystemExit(f"--set expects CERTHUB_NAME=value, got {pair!r}")
        out[name] = value
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a standalone nginx.conf for the CertHub gateway.")
    parser.add_argument("--prefix", required=True, help="directory for nginx.conf, pid, logs and temp files")
    parser.add_argument("--listen", default="127.0.0.1:8000", help="listen address (default %(default)s)")
    parser.add_argument("--web-root", default=None, help="static web client directory (default: <repo>/web)")
    parser.add_argument("--template", default=str(TEMPLATE), help="template file (default: next to this script)")
    parser.add_argument("--user", default=None, help="worker user when started as root")
    parser.add_argument(
        "--oidc-issuer",
        default=None,
        help="the OIDC issuer URL, whose origin the CSP allows (default: $CERTHUB_OIDC_ISSUER)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="CERTHUB_NAME=VALUE",
        help="override a template value, e.g. --set CERTHUB_UPLOAD_RATE=500r/s",
    )
    parser.add_argument("--stdout", action="store_true", help="print the http-level config instead of writing files")
    args = parser.parse_args(argv)

    overrides = _parse_overrides(args.set)
    if args.stdout:
        values = standalone_values(
            args.prefix, listen=args.listen, web_root=args.web_root, oidc_issuer=args.oidc_issuer, **overrides
        )
        sys.stdout.write(render(args.template, **values))
        return 0
    conf = write_standalone(
        args.prefix,
        template=args.template,
        user=args.user,
        listen=args.listen,
        web_root=args.web_root,
        oidc_issuer=args.oidc_issuer,
        **overrides,
    )
    print(conf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
