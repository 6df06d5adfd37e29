"""One mailbox per email field: a plain ``local@domain`` address, nothing an SMTP client could read as two.

Commas, semicolons, display names (``Name <a@b>``), quotes, spaces, CR/LF and other control characters
are refused, so a field can never become a second recipient or a header. The same pattern is the
OpenAPI ``pattern`` of every email field (JSON Schema and Python read it alike).
"""

from __future__ import annotations

import re

EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"\.[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$"
)
EMAIL_MAX = 254
_EMAIL = re.compile(EMAIL_PATTERN)


def is_single_address(value: str | None) -> bool:
    """Exactly one plain address (``fullmatch``: a trailing newline is not forgiven as ``$`` would)."""
    return value is not None and 0 < len(value) <= EMAIL_MAX and _EMAIL.fullmatch(value) is not None
