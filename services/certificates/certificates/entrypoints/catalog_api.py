"""HTTP: catalog search and admin management, CSV import, catalog requests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from certhub_kit.errors import not_found
from certhub_kit.guards import checked_form
from certhub_kit.http import CurrentUser, runtime_of
from certhub_kit.pagination import decode_cursor, encode_cursor

from ..domain.catalog import EntrySpec, LevelSpec
from ..domain.catalog_import import template_csv
from ..domain.errors import FieldInvalid
from ..service_layer import catalog, catalog_requests
from ..service_layer.catalog import parse_id
from ..service_layer.views import entry_item
from .responses import (
    AcceptedRequest,
    CatalogRequest,
    CatalogRequestPage,
    CategoryList,
    Entry,
    EntryList,
    EntryPage,
    ImportCounts,
)

router = APIRouter(prefix="/api/catalog", tags=["catalog"])
MAX_CSV_BYTES = 10 * 1024 * 1024


# What the domain accepts, said in the schema (a decimal as a JSON number or a plain numeric string).
Score = Annotated[
    Decimal,
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9]{1,9}(\.[0-9]{1,4})?$"}]}),
]


class NeverExpires(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["never"]


class ValidForYears(BaseModel):
    """N years from each certificate's issue date."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["years"]
    years: int = Field(ge=1, le=50)


class ValidUntil(BaseModel):
    """Every certificate of the entry counts until this day."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["until"]
    date: datetime.date


Validity = Annotated[NeverExpires | ValidForYears | ValidUntil, Field(discriminator="kind")]


class LevelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    name_en: str | None = Field(None, max_length=100)
    cefr: str | None = Field(None, pattern=r"^\s*([ABCabc][12])?\s*$")  # A1–C2, any case, as check_level reads it
    min_score: Score | None = None
    max_score: Score | None = None

    def spec(self) -> LevelSpec:
        return LevelSpec(**self.model_dump())


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str | None = Field(None, max_length=80, pattern=r"^([a-z0-9][a-z0-9._-]*)?$")
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    name_en: str | None = Field(None, max_length=200)
    issuer: str = Field(min_length=1, max_length=200, pattern=r"\S")
    category: int = Field(ge=0, le=999)  # one of GET /api/catalog/categories (data, so unknown_category is a 422)
    foreign: bool = False
    national_code: str | None = Field(None, max_length=40)
    it_certificate: bool = False
    bundle: str | None = Field(None, max_length=20)
    active: bool = True
    levels: list[LevelIn] = []
    validity: Validity | None = None
    aliases: list[Annotated[str, Field(max_length=50)]] = Field(
        [], max_length=20, description="names people type, e.g. 英檢 for GEPT"
    )


class EntryPatch(BaseModel):
    """Absent fields stay; the required ones cannot be cleared, so their schema has no null (their
    default None means "absent", which the type does not say: hence the ignores)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(None, min_length=1, max_length=200, pattern=r"\S")  # type: ignore[assignment]
    name_en: str | None = Field(None, max_length=200)
    issuer: str = Field(None, min_length=1, max_length=200, pattern=r"\S")  # type: ignore[assignment]
    category: int = Field(None, ge=0, le=999)  # type: ignore[assignment]
    foreign: bool = None  # type: ignore[assignment]
    national_code: str | None = Field(None, max_length=40)
    it_certificate: bool = None  # type: ignore[assignment]
    bundle: str | None = Field(None, max_length=20)
    active: bool = None  # type: ignore[assignment]
    levels: list[LevelIn] | None = None
    validity: Validity | None = None
    aliases: list[Annotated[str, Field(max_length=50)]] = Field(None, max_length=20)  # type: ignore[arg-type]


class RequestIn(BaseModel):
    """What the use case checks, said in the schema too: a name is required, each text has its limit."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200, pattern=r"\S")
    issuer: str | None = Field(default=None, max_length=200)
    level_name: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=1000)


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str | None = None
    name: str | None = None
    name_en: str | None = None
    issuer: str | None = None
    category: int = Field(ge=0, le=999, description="required: the entry's category (GET /api/catalog/categories)")
    foreign: bool = False
    national_code: str | None = None
    it_certificate: bool = False
    bundle: str | None = None
    levels: list[LevelIn] | None = None


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = None


def offset_cursor(offset: int | None) -> str | None:
    return encode_cursor(offset) if offset is not None else None


def offset_of(cursor: str | None) -> int:
    position = decode_cursor(cursor, int)
    return position[0] if position else 0


def paged(result: dict) -> dict:
    return {"items": result["items"], "next_cursor": offset_cursor(result.pop("next_offset"))}


Limit = Annotated[int, Query(ge=1, le=100)]


@router.get("", response_model=EntryPage)
async def search_catalog(
    request: Request,
    user: CurrentUser,
    q: str | None = None,
    category: Annotated[int | None, Query(ge=0, le=999)] = None,
    include_inactive: bool = False,
    limit: Limit = 20,
    cursor: str | None = None,
) -> dict:
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        return paged(
            await catalog.search(
                uow,
                user,
                q=q,
                category=category,
                include_inactive=include_inactive,
                limit=limit,
                offset=offset_of(cursor),
                cache=runtime.deps.catalog_cache,
            )
        )


@router.get("/categories", response_model=CategoryList)
async def list_categories(request: Request, user: CurrentUser) -> dict:
    async with runtime_of(request).uow() as uow:
        return {"items": await uow.catalog.categories()}


@router.get("/entries", response_model=EntryList)
async def entries_by_key(
    request: Request,
    user: CurrentUser,
    key: Annotated[list[Annotated[str, StringConstraints(max_length=80)]], Query(max_length=200)] = (),  # type: ignore[assignment]
) -> dict:
    """The entries of the given keys (what admin screens and standards store), to show them by name."""
    async with runtime_of(request).uow() as uow:
        return {"items": [entry_item(e) for e in await uow.catalog.entries_by_key(list(dict.fromkeys(key)))]}


@router.post("", status_code=201, response_model=Entry)
async def create_entry(body: EntryIn, request: Request, user: CurrentUser) -> dict:
    spec = EntrySpec(
        **body.model_dump(exclude={"levels", "validity"}),
        levels=[lvl.spec() for lvl in body.levels],
        validity=_validity(body.validity),
    )
    spec.key = spec.key or ""
    return await runtime_of(request).transaction(lambda uow: catalog.create_entry(uow, user, spec))


@router.post("/import", response_model=ImportCounts)
async def import_catalog(request: Request, user: CurrentUser) -> dict:
    """CSV as the multipart file ``file`` or as the raw body (``text/csv``)."""
    user.require("admin")
    data = await _csv_bytes(request)
    return await runtime_of(request).transaction(lambda uow: catalog.import_csv(uow, user, data))


@router.get(
    "/import/template.csv",
    response_class=Response,
    responses={
        200: {
            "description": "A CSV template: the header row and one example row",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_template(user: CurrentUser) -> Response:
    user.require("admin")
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="catalog-import-template.csv"'},
    )


async def _csv_bytes(request: Request) -> bytes:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await checked_form(request, max_files=1)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise FieldInvalid(
                "file", "請上傳 CSV 檔（欄位名稱 file）", "Upload the CSV as the file field 'file'", code="required"
            )
        data = await upload.read(MAX_CSV_BYTES + 1)
    else:
        data = await request.body()
    if len(data) > MAX_CSV_BYTES:
        raise FieldInvalid("file", "CSV 檔超過 10 MB", "The CSV exceeds 10 MB", code="too_large")
    return data


@router.post("/requests", status_code=201, response_model=CatalogRequest)
async def file_request(body: RequestIn, request: Request, user: CurrentUser) -> dict:
    return await runtime_of(request).transaction(
        lambda uow: catalog_requests.file_request(uow, user, **body.model_dump())
    )


@router.get("/requests", response_model=CatalogRequestPage)
async def list_requests(
    request: Request, user: CurrentUser, status: str | None = None, limit: Limit = 50, cursor: str | None = None
) -> dict:
    async with runtime_of(request).uow() as uow:
        return paged(
            await catalog_requests.list_requests(uow, user, status=status, limit=limit, offset=offset_of(cursor))
        )


def _request_id(value: str):
    try:
        return parse_id(value, "request_id", "", "")
    except FieldInvalid:
        raise not_found("這筆目錄申請", "Catalog request") from None


@router.post("/requests/{request_id}/accept", response_model=AcceptedRequest)
async def accept_request(request_id: str, request: Request, user: CurrentUser, body: AcceptIn | None = None) -> dict:
    overrides = body.model_dump(exclude_none=True, exclude={"levels"}) if body else {}
    if body and body.levels is not None:
        overrides["levels"] = [lvl.spec() for lvl in body.levels]
    return await runtime_of(request).transaction(
        lambda uow: catalog_requests.accept(uow, user, _request_id(request_id), overrides)
    )


@router.post("/requests/{request_id}/decline", response_model=CatalogRequest)
async def decline_request(request_id: str, body: DeclineIn, request: Request, user: CurrentUser) -> dict:
    return await runtime_of(request).transaction(
        lambda uow: catalog_requests.decline(uow, user, _request_id(request_id), body.reason)
    )


def _validity(body: BaseModel | None) -> dict | None:
    return body.model_dump(mode="json") if body is not None else None


def _entry_id(value: str):
    try:
        return parse_id(value, "entry_id", "", "")
    except FieldInvalid:
        raise not_found("這筆證照目錄", "Catalog entry") from None


@router.get("/{entry_id}", response_model=Entry)
async def get_entry(entry_id: str, request: Request, user: CurrentUser) -> dict:
    async with runtime_of(request).uow() as uow:
        entry = await uow.catalog.entry(_entry_id(entry_id))
    if entry is None or (not entry["active"] and not user.has("admin")):
        raise not_found("這筆證照目錄", "Catalog entry")
    return entry_item(entry)


@router.patch("/{entry_id}", response_model=Entry)
async def update_entry(entry_id: str, body: EntryPatch, request: Request, user: CurrentUser) -> dict:
    user.require("admin")
    changes = body.model_dump(exclude_unset=True, exclude={"levels", "validity"})
    if "validity" in body.model_fields_set:
        changes["validity"] = _validity(body.validity)
    for name in ("name", "issuer", "category", "foreign", "it_certificate", "active"):
        if name in changes and changes[name] is None:
            raise FieldInvalid(name, f"欄位 {name} 不能清空", f"{name} cannot be cleared", code="required")
    levels = [lvl.spec() for lvl in body.levels] if body.levels is not None else None
    return await runtime_of(request).transaction(
        lambda uow: catalog.update_entry(uow, user, _entry_id(entry_id), changes, levels)
    )
