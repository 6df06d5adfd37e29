"""A 422 that names the field it is about (``{"error": {..., "field": name}}``)."""

from __future__ import annotations

from certhub_kit.errors import Invalid


class FieldInvalid(Invalid):
    def __init__(self, field: str, message: str, message_en: str, *, code: str = "invalid_field"):
        super().__init__(message, message_en, code=code)
        self.field = field

    def as_body(self) -> dict:
        body = super().as_body()
        body["error"]["field"] = self.field
        return body
