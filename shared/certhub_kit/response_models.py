"""The base of every endpoint's ``response_model``: the shapes the OpenAPI documents show.

A response model filters what an endpoint answers to its fields, so each model lists every field the
code returns (and the web client reads). ``CERTHUB_STRICT_RESPONSES=1`` turns a field the code returns
but the model lacks into an error (a 500) instead of dropping it silently: the way to check the models
against the test suites (docs/CONVENTIONS.md, Responses).
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict

STRICT = os.environ.get("CERTHUB_STRICT_RESPONSES", "").lower() in ("1", "true")


class ResponseModel(BaseModel):
    model_config = ConfigDict(extra="forbid" if STRICT else "ignore")


class Page(ResponseModel):
    """A page of a list: the cursor of the next page, null on the last one."""

    next_cursor: str | None


class Health(ResponseModel):
    status: str


class Readiness(ResponseModel):
    status: str
    checks: dict[str, bool]
    message: str | None = None
    message_en: str | None = None


JsonObject = dict[str, Any]


class ErrorDetail(BaseModel):
    """``{"code", "message", "message_en"}`` and what the error adds (``field``, ``line``, ``rows``)."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str
    message_en: str
