"""A small shipped advisory table for the locked packages that matter most (parsers of untrusted
input, crypto, templating, HTTP): the first release fixing each published advisory. Used by S4
when no vulnerability service (PyPI JSON API, OSV) is reachable; extend it when an advisory is
published for one of these packages.
"""

from __future__ import annotations

# (package, first fixed version, advisory, what it is)
ADVISORIES: list[tuple[str, str, str, str]] = [
    ("python-multipart", "0.0.7", "CVE-2024-24762", "ReDoS in the Content-Type options parser"),
    ("python-multipart", "0.0.18", "CVE-2024-53981", "DoS: CPU burn on bytes before the first/after the last boundary"),
    ("starlette", "0.40.0", "CVE-2024-47874", "DoS: multipart form fields without a filename buffered unbounded"),
    ("starlette", "0.47.2", "CVE-2025-54121", "DoS: large multipart file rollover blocks the event loop"),
    ("fastapi", "0.109.1", "CVE-2024-24762", "ReDoS via python-multipart form parsing"),
    ("pillow", "10.2.0", "CVE-2023-50447", "arbitrary code execution through PIL.ImageMath.eval"),
    ("pillow", "10.3.0", "CVE-2024-28219", "buffer overflow in _imagingcms.c"),
    ("pillow", "11.3.0", "CVE-2025-48379", "heap buffer overflow writing large DDS images"),
    ("jinja2", "3.1.5", "CVE-2024-56201", "sandbox breakout through a template file name"),
    ("jinja2", "3.1.5", "CVE-2024-56326", "sandbox breakout through str.format indirection"),
    ("jinja2", "3.1.6", "CVE-2025-27516", "sandbox breakout through the |attr filter"),
    ("cryptography", "42.0.4", "CVE-2024-26130", "NULL dereference in PKCS#12 serialisation"),
    ("cryptography", "44.0.1", "CVE-2024-12797", "OpenSSL RPK authentication bypass in bundled wheels"),
    ("pyjwt", "2.4.0", "CVE-2022-29217", "algorithm confusion with jwt.algorithms.get_default_algorithms"),
    ("pyjwt", "2.10.1", "CVE-2024-53861", "issuer check by partial string comparison"),
    ("h11", "0.16.0", "CVE-2025-43859", "request smuggling through lenient chunked-encoding parsing"),
    ("requests", "2.32.0", "CVE-2024-35195", "verify=False sticks to later requests of a session"),
    ("requests", "2.32.4", "CVE-2024-47081", ".netrc credentials leak to a crafted URL"),
    ("urllib3", "2.5.0", "CVE-2025-50181", "redirects not disabled through the PoolManager retries"),
    ("idna", "3.7", "CVE-2024-3651", "quadratic-time idna.encode on crafted input"),
    ("certifi", "2024.7.4", "CVE-2024-39689", "GLOBALTRUST root certificates still trusted"),
    ("werkzeug", "3.0.6", "CVE-2024-49767", "resource exhaustion parsing multipart/form-data"),
]
