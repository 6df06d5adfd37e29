"""Email confirmation: tokens (only their hash is kept) and which tracks need one."""

from __future__ import annotations

import hashlib
import math
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


def needs_confirmation(
    category: int, dept: str | None, rules: Iterable[TrackRule], default_categories: Iterable[int]
) -> bool:
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


@dataclass(frozen=True)
class ResendLimits:
    """At most one confirmation mail per certificate per ``interval_s``, and ``per_hour`` resends per student
    in any hour (settings ``confirmation_resend_interval_s`` and ``confirmation_resends_per_hour``)."""

    interval_s: int = 60
    per_hour: int = 5


@dataclass(frozen=True)
class ResendWait:
    seconds: int
    per_student: bool  # the student's hourly budget, not this certificate's interval


def resend_wait(
    now: datetime, last_mail_at: datetime | None, recent_resends: Iterable[datetime], limits: ResendLimits
) -> ResendWait | None:
    """How long until a resend may go out (None: now). ``recent_resends``: the student's resends of the
    last hour, over all their certificates."""
    waits = []
    if last_mail_at is not None:
        left = limits.interval_s - (now - last_mail_at).total_seconds()
        if left > 0:
            waits.append(ResendWait(math.ceil(left), per_student=False))
    within = sorted(at for at in recent_resends if (now - at).total_seconds() < 3600)
    if len(within) >= limits.per_hour:
        freed = within[len(within) - limits.per_hour]  # the oldest of the last per_hour resends
        waits.append(ResendWait(max(1, math.ceil(3600 - (now - freed).total_seconds())), per_student=True))
    return max(waits, key=lambda w: w.seconds) if waits else None
