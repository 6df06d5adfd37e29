"""Every JSON answer of every service has its shape in the OpenAPI document (a response model), so the
documents show what the web client reads. Files, pages, redirects, 204s and signed documents are listed
below by path, each with why it has no response model; a listed route that starts answering JSON, or one
not listed without a shaped schema, fails."""

from __future__ import annotations

import importlib

import pytest
from pydantic import ValidationError

from certhub_kit import response_models
from certhub_kit.response_models import ResponseModel
from certhub_kit.services import SERVICES

# "METHOD path" → what it answers instead of a JSON object of ours
NOT_A_MODEL: dict[str, str] = {
    "GET /metrics": "Prometheus text",
    "DELETE /api/certificates/{certificate_id}": "204",
    "GET /api/certificates/{certificate_id}/scan": "the stored file or a 307 to it",
    "GET /api/certificates/{certificate_id}/thumbnail": "the stored file or a 307 to it",
    "GET /api/certificates/rosters/template.csv": "CSV",
    "GET /api/catalog/import/template.csv": "CSV",
    "GET /api/confirm/{token}": "HTML page",
    "POST /api/confirm/{token}": "HTML page",
    "GET /api/review/{certificate_id}/original": "the stored file",
    "GET /api/review/thresholds/export.csv": "CSV",
    "DELETE /api/rewards/standards/{standard_id}": "204",
    "DELETE /api/rewards/applications/{application_id}": "204",
    "GET /api/rewards/applications/export.csv": "CSV",
    "GET /api/rewards/applications/export.xlsx": "XLSX",
    "GET /api/rewards/applications/{application_id}/passbook": "the stored file",
    "GET /api/rewards/payouts/{batch_id}/export.csv": "CSV",
    "GET /api/rewards/payouts/returns/template.csv": "CSV",
    "GET /api/credentials/{public_id}/download.zip": "zip",
    "GET /api/credentials/{public_id}/qr.png": "PNG",
    "GET /verify/static/verify.css": "CSS",
    "GET /verify/{public_id}": "HTML page",
    "GET /credentials/{public_id}": "303 to the verify page",
}
# JSON, but a signed W3C document served byte for byte as issued: an open object, never a model
SIGNED: set[str] = {
    "GET /api/credentials/status/{number}",
    "GET /api/credentials/{public_id}/credential",
    "GET /api/certificates/{certificate_id}/credential",
}


def openapi_of(service: str) -> dict:
    bootstrap = importlib.import_module(f"{service}.bootstrap")
    # dev sign-in on: the dev-login, demo users and captured mailbox routes are documented too
    return bootstrap.create_app(bootstrap.load_settings(env="test", auth_mode="dev")).openapi()


def resolved(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def shaped(doc: dict, schema: dict | None) -> bool:
    """A named object with its properties, or a list of them."""
    if not schema:
        return False
    if schema.get("type") == "array":
        return "$ref" in schema.get("items", {}) and shaped(doc, schema["items"])
    return "$ref" in schema and bool(resolved(doc, schema).get("properties"))


def json_answers(op: dict) -> list[dict | None]:
    return [
        answer["content"]["application/json"].get("schema")
        for status, answer in op["responses"].items()
        if status[0] in "23" and "application/json" in (answer.get("content") or {})
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_every_json_answer_has_its_shape(service):
    doc = openapi_of(service)
    operations = {f"{m.upper()} {path}": op for path, ops in doc["paths"].items() for m, op in ops.items()}
    unshaped = [
        name
        for name, op in operations.items()
        if name not in NOT_A_MODEL
        and name not in SIGNED
        and not all(shaped(doc, s) for s in json_answers(op) or [None])
    ]
    assert not unshaped, f"{service}: JSON answers without a response model: {unshaped}"
    json_after_all = [name for name, op in operations.items() if name in NOT_A_MODEL and json_answers(op)]
    assert not json_after_all, f"{service}: listed as not JSON but documented as JSON: {json_after_all}"
    signed = [name for name, op in operations.items() if name in SIGNED]
    assert all(
        json_answers(operations[name]) == [{"type": "object", "description": "the signed document, as issued"}]
        for name in signed
    )


def test_the_lists_name_only_routes_that_exist():
    names = {f"{m.upper()} {p}" for s in SERVICES for p, ops in openapi_of(s)["paths"].items() for m in ops}
    assert not (set(NOT_A_MODEL) | SIGNED) - names


@pytest.mark.parametrize("service", SERVICES)
def test_error_answers_keep_their_shape(service):
    """Response models change only the 2xx answers: every 422 is still ``{"error": {...}}`` (web/api.js)."""
    doc = openapi_of(service)
    for path, ops in doc["paths"].items():
        for op in ops.values():
            invalid = op["responses"].get("422")
            if invalid is not None:
                schema = resolved(doc, invalid["content"]["application/json"]["schema"])
                assert "error" in schema["properties"], path


def test_the_suites_run_with_strict_response_models():
    """tests/conftest.py turns them strict before any service is imported: a field a view returns and its
    model lacks fails the suite that reaches it, instead of vanishing from the answer."""

    class Answer(ResponseModel):
        status: str

    assert response_models.STRICT
    with pytest.raises(ValidationError, match="extra"):
        Answer.model_validate({"status": "ok", "added_later": 1})
