"""Email confirmation: tokens (only their hash is kept) and which tracks need one."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str  # goes only into the mail (via the event), never stored
    token_hash: str
    expires_at: datetime


def issue_token(*, now: datetime, ttl: timedelta) -> IssuedToken:
    token = secrets.token_urlsafe(32)  # 256 bits
    return IssuedToken(token=token, token_hash=hash_token(token), expires_at=now + ttl)


def confirmation_url(public_base_url: str, token: str) -> str:
    """Built from configuration only, never from the request's Host header."""
    return f"{public_base_url.rstrip('/')}/api/confirm/{token}"


def looks_like_token(token: str) -> bool:
    return 20 <= len(token) <= 100 and all(c.isalnum() or c in "-_" for c in token)


@dataclass(frozen=True)
class TrackRule:
    category: int
    dept: str | None
    confirmation_required: bool


def needs_confirmation(category: int, dept: str | None, rules: Iterable[TrackRule],
                       default_categories: Iterable[int]) -> bool:
    """A department override wins over the category rule. Before review has told us its
    tracks, the configured default categories need confirmation; after, unlisted ones do not."""
    by_key = {(r.category, r.dept or None): r.confirmation_required for r in rules}
    if not by_key:
        return category in set(default_categories)
    if dept and (category, dept) in by_key:
        return by_key[(category, dept)]
    if (category, None) in by_key:
        return by_key[(category, None)]
    return False
