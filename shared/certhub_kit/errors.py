"""Domain errors carry their HTTP status and a message in zh-TW and English.

Services raise these from any room; the HTTP layer maps them in one place
(:func:`certhub_kit.http.install_error_handlers`).
"""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "bad_request"
    denial = False  # an authorisation failure: the HTTP layer writes one audit row for it

    def __init__(self, message: str, message_en: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message_en)
        self.message = message
        self.message_en = message_en
        if code:
            self.code = code
        if status:
            self.status = status

    def as_body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "message_en": self.message_en}}


class Invalid(DomainError):
    status = 422
    code = "invalid"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    denial = True


class Concealed(NotFound):
    """Another person's record: answered exactly like a missing one (404), so its existence stays
    hidden, but audited as an authorisation failure."""

    denial = True


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooLarge(DomainError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


class TooManyRequests(DomainError):
    """Throttled: answered with ``Retry-After`` (whole seconds)."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, message_en: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, message_en, code=code)
        self.retry_after = max(1, int(retry_after))

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def not_found(what_zh: str, what_en: str) -> NotFound:
    return NotFound(f"找不到{what_zh}", f"{what_en} not found")


def concealed(what_zh: str, what_en: str) -> Concealed:
    """The same answer as :func:`not_found`, for a record the caller may not know exists."""
    return Concealed(f"找不到{what_zh}", f"{what_en} not found")
