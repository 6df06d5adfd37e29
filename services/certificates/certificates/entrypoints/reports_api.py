"""HTTP: the MOE 技專校院校務基本資料庫 certificate report (centre, admin) as JSON, CSV or XLSX."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from certhub_kit.exports import XLSX_TYPE, csv_sections_response, xlsx_book_response
from certhub_kit.http import CurrentUser, runtime_of

from ..domain.moe_report import COLUMNS, COUNT_COLUMNS
from ..service_layer.moe_report import ensure_report_reader, moe_report, term_of_query
from .responses import MoeReport

router = APIRouter(prefix="/api/certificates/reports", tags=["reports"])
DOWNLOADS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report (JSON without format; CSV UTF-8 with BOM; XLSX)",
        "content": {
            "application/json": {},  # the schema is MoeReport (response_model)
            "text/csv": {"schema": {"type": "string"}},
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
UNCODED_TITLE = "無技專代號（請先補齊證照代號）"


@router.get("/moe", responses=DOWNLOADS, response_model=MoeReport)
async def moe(
    request: Request,
    user: CurrentUser,
    year: Annotated[int, Query(ge=60, le=250, description="ROC academic year (學年), e.g. 113")],
    semester: Annotated[int | None, Query(ge=1, le=2, description="學期 1 = Aug–Jan, 2 = Feb–Jul")] = None,
    format: Literal["json", "csv", "xlsx"] | None = None,
) -> Response | dict:
    """Approved certificates of 學年 ``year`` (學期 ``semester`` 1/2, else the whole year) with the KSU
    columns, counts by 技專代號, and those whose catalog entry has no national code apart."""
    ensure_report_reader(user)
    term = term_of_query(year, semester)
    runtime = runtime_of(request)
    async with runtime.uow() as uow:
        departments = {**runtime.settings.department_names, **await uow.departments.names()}
        report = await moe_report(uow, term, departments)
    if format in (None, "json"):
        return {**report, "columns": COLUMNS}
    name = f"moe-certificates-{term.year}" + (f"-{term.semester}" if term.semester else "")
    rows = [COLUMNS, *(item["cells"] for item in report["rows"])]
    counts = [COUNT_COLUMNS, *([c["national_code"], c["name"], c["issuer"], c["count"]] for c in report["counts"])]
    uncoded = [COLUMNS, *(item["cells"] for item in report["uncoded"])]
    if format == "csv":
        return csv_sections_response([rows, [["技專代號統計"], *counts], [[UNCODED_TITLE], *uncoded]], f"{name}.csv")
    return xlsx_book_response([("證照明細", rows), ("技專代號統計", counts), ("無技專代號", uncoded)], f"{name}.xlsx")
