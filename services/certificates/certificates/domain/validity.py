"""How long a certificate counts (per catalog entry) and when a student's certificate expires (pure).

``{"kind": "never"}`` (also NULL), ``{"kind": "years", "years": N}`` counted from the issue date, or
``{"kind": "until", "date": "YYYY-MM-DD"}`` for every certificate of the entry. Expired certificates are
marked (``expired``), not a review status; rewards refuse them (services/rewards/README.md).
"""

from __future__ import annotations

from datetime import date

from .errors import FieldInvalid

MAX_YEARS = 50
NEVER = {"kind": "never"}


def check_validity(raw) -> dict | None:
    """The stored form (None for never) of what the admin or an import sent; a 422 naming ``validity``."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("kind") not in ("never", "years", "until"):
        raise _bad("有效期限的種類只能是 never、years 或 until", "validity.kind must be never, years or until")
    kind = raw["kind"]
    extra = set(raw) - {"kind", {"years": "years", "until": "date"}.get(kind, "")}
    if extra:
        raise _bad(f"有效期限不認得欄位 {', '.join(sorted(extra))}", f"validity has unknown fields {sorted(extra)}")
    if kind == "never":
        return None
    if kind == "years":
        years = raw.get("years")
        if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
            raise _bad(f"有效年數必須是 1–{MAX_YEARS} 的整數", f"validity.years must be an integer 1–{MAX_YEARS}")
        return {"kind": "years", "years": years}
    try:
        until = date.fromisoformat(str(raw.get("date", "")))
    except ValueError:
        raise _bad("有效期限日期格式錯誤（YYYY-MM-DD）", "validity.date must be YYYY-MM-DD") from None
    return {"kind": "until", "date": until.isoformat()}


def _bad(zh: str, en: str) -> FieldInvalid:
    return FieldInvalid("validity", zh, en, code="bad_validity")


def shown(validity: dict | None) -> dict:
    return validity or dict(NEVER)


def expires_on(validity: dict | None, issued_on: date) -> date | None:
    """The last day the certificate counts; None = never expires. 29 February + N years → 28 February."""
    if not validity or validity.get("kind") == "never":
        return None
    if validity["kind"] == "until":
        return date.fromisoformat(validity["date"])
    year = issued_on.year + int(validity["years"])
    try:
        return issued_on.replace(year=year)
    except ValueError:
        return issued_on.replace(year=year, day=28)


def is_expired(expiry: date | None, today: date) -> bool:
    return expiry is not None and expiry < today


def parse_import(text: str) -> dict | None:
    """The catalog CSV's ``validity``/有效期限 column: empty or ``never``, ``3y`` / ``3``, or a date."""
    value = (text or "").strip().lower()
    if value in ("", "never", "永久", "無"):
        return None
    if value.rstrip("y年").isdigit():
        return check_validity({"kind": "years", "years": int(value.rstrip("y年"))})
    return check_validity({"kind": "until", "date": value})


def export_text(validity: dict | None) -> str:
    if not validity:
        return "never"
    return f"{validity['years']}y" if validity["kind"] == "years" else validity["date"]
