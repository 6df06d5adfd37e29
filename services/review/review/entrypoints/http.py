"""HTTP endpoints of the review service (``/api/review/…``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Body, Depends, File, Path, Query, Request, Response, UploadFile

from certhub_kit.auth import STUDENT
from certhub_kit.errors import Invalid, TooLarge
from certhub_kit.exports import csv_response, stored_object
from certhub_kit.http import CurrentUser, runtime_of
from certhub_kit.scans import checked_scan
from certhub_kit.transactions import Outcome

from ..domain.statuses import ALL_STATUSES
from ..service_layer.access import require_staff
from ..service_layer.configure import (
    defaults_as_dict,
    next_steps_as_dict,
    put_rule_config,
    replace_tracks,
    rule_config_as_dict,
    setup_as_dict,
)
from ..service_layer.decide import decide
from ..service_layer.originals import check_original, ensure_checkable, read_original
from ..service_layer.queue import SORTS, list_queue, one_item
from ..service_layer.reasons import list_reasons, rejections_report, replace_reasons
from ..service_layer.stage_progress import item_progress, my_progress
from ..service_layer.thresholds import EXPORT_HEADER as THRESHOLD_EXPORT_HEADER
from ..service_layer.thresholds import export_rows, list_thresholds, put_threshold, student_progress
from .responses import (
    BulkDecisions,
    Decision,
    NextSteps,
    OriginalChecked,
    Progress,
    ProgressList,
    QueueItem,
    QueuePage,
    Reasons,
    RejectionsReport,
    RuleConfig,
    Rules,
    StudentThreshold,
    Threshold,
    Thresholds,
    TrackSetup,
)
from .schemas import BulkDecisionIn, DecisionIn, ReasonsIn, RuleConfigIn, ThresholdIn, TracksIn

log = structlog.get_logger("review.http")


async def note_staff(request: Request, who: CurrentUser) -> None:
    """Every review request: staff are remembered for notify's digests (service_layer.reviewers)."""
    runtime = runtime_of(request)
    await runtime.deps.reviewers.note(runtime.transaction, who)


router = APIRouter(prefix="/api/review", tags=["review"], dependencies=[Depends(note_staff)])
BULK_MAX = 200
_ONE = "|".join(ALL_STATUSES)
STATUS_LIST = rf"^(all|({_ONE})(,({_ONE}))*)$"  # "all" or a comma-separated list of statuses
CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV, UTF-8 with BOM", "content": {"text/csv": {"schema": {"type": "string"}}}}
}


@router.get("/queue", response_model=QueuePage, response_model_exclude_unset=True)
async def queue(
    request: Request,
    who: CurrentUser,
    status: Annotated[str | None, Query(pattern=STATUS_LIST)] = None,
    dept: str | None = None,
    category: Annotated[int | None, Query(ge=0, le=999)] = None,
    student: Annotated[str | None, Query(max_length=100)] = None,
    min_age_days: Annotated[int | None, Query(ge=0, le=3650)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    overdue: bool | None = None,
    sort: Annotated[str, Query(pattern=f"^({'|'.join(SORTS)})$")] = "queued",
) -> dict:
    require_staff(who)
    async with runtime_of(request).uow() as uow:
        return await list_queue(
            uow,
            who,
            status=status,
            dept=dept,
            category=category,
            student=student,
            min_age_days=min_age_days,
            limit=limit,
            cursor=cursor,
            overdue=overdue,
            sort=sort,
        )


@router.get("/progress", response_model=ProgressList)
async def progress_mine(request: Request, who: CurrentUser) -> dict:
    """The signed-in student's certificates: stage, who holds each, when to expect a decision."""
    who.require(STUDENT)
    async with runtime_of(request).uow() as uow:
        return await my_progress(uow, who)


@router.get("/items/{certificate_id}/progress", response_model=Progress)
async def progress_one(request: Request, who: CurrentUser, certificate_id: uuid.UUID) -> dict:
    async with runtime_of(request).uow() as uow:
        return await item_progress(uow, who, certificate_id)


@router.post("/decisions", response_model=BulkDecisions, response_model_exclude_unset=True)
async def decide_many(
    request: Request, who: CurrentUser, body: Annotated[list[BulkDecisionIn], Body(min_length=1, max_length=BULK_MAX)]
) -> dict:
    """Each item in its own transaction: one refused item never undoes the others."""
    require_staff(who)
    if not body or len(body) > BULK_MAX:
        raise Invalid(f"一次需送出 1 到 {BULK_MAX} 筆審核", f"Send 1 to {BULK_MAX} decisions at once", code="bulk_size")
    outcomes = await runtime_of(request).each_in_own_transaction(
        body,
        lambda uow, entry: decide(
            uow, who, entry.certificate_id, entry.decision, entry.reason, entry.version, entry.reason_code
        ),
        report_crashes=True,
    )
    results = [_bulk_result(outcome) for outcome in outcomes]
    failed = sum(1 for r in results if not r["ok"])
    return {"results": results, "succeeded": len(results) - failed, "failed": failed}


def _bulk_result(outcome: Outcome[BulkDecisionIn, Any]) -> dict:
    entry = outcome.item
    if outcome.ok:
        assert outcome.result is not None  # a decision that passed returns its item
        return {"ok": True, "status": 200, **outcome.result.as_dict()}
    if outcome.error is not None:
        return {
            "ok": False,
            "status": outcome.error.status,
            "certificate_id": str(entry.certificate_id),
            "decision": entry.decision,
            **outcome.error.as_body(),
        }
    return {
        "ok": False,
        "status": 500,
        "certificate_id": str(entry.certificate_id),
        "decision": entry.decision,
        "error": {
            "code": "internal",
            "message": "系統發生錯誤，請稍後再試",
            "message_en": "Internal error; please retry later",
        },
    }


@router.post("/{certificate_id}/decision", response_model=Decision)
async def decide_one(request: Request, who: CurrentUser, certificate_id: uuid.UUID, body: DecisionIn) -> dict:
    result = await runtime_of(request).transaction(
        lambda uow: decide(uow, who, certificate_id, body.decision, body.reason, body.version, body.reason_code)
    )
    return result.as_dict()


@router.post("/{certificate_id}/original", status_code=201, response_model=OriginalChecked)
async def upload_original(
    request: Request, who: CurrentUser, certificate_id: uuid.UUID, scan: Annotated[UploadFile, File()]
) -> dict:
    runtime = runtime_of(request)
    limit = runtime.settings.original_max_bytes
    data = await scan.read(limit + 1)
    if len(data) > limit:
        mb = limit / (1024 * 1024)
        raise TooLarge(
            f"檔案超過 {mb:g} MB 上限，請壓縮後再上傳",
            f"The file exceeds the {mb:g} MB limit; please compress it",
            code="scan_too_large",
        )
    async with runtime.uow() as uow:  # refused before the file is parsed or stored
        await ensure_checkable(uow, who, certificate_id)
    checked = await checked_scan(data, max_bytes=limit)
    return await runtime.transaction(lambda uow: check_original(uow, runtime.files, who, certificate_id, checked))


@router.get(
    "/{certificate_id}/original",
    response_class=Response,
    responses={
        200: {
            "description": "The centre's original scan",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("image/jpeg", "image/png", "application/pdf")
            },
        }
    },
)
async def get_original(request: Request, who: CurrentUser, certificate_id: uuid.UUID) -> Response:
    data, content_type = await read_original(runtime_of(request), who, certificate_id)
    return stored_object(data, content_type)


@router.get("/tracks", response_model=TrackSetup)
async def get_tracks(request: Request, who: CurrentUser) -> dict:
    async with runtime_of(request).uow() as uow:
        return setup_as_dict(await uow.tracks.load())


@router.get("/tracks/next-steps", response_model=NextSteps)
async def get_track_next_steps(request: Request, who: CurrentUser) -> dict:
    """Any signed-in user: each track's next-step texts and the assignments to pick a certificate's track."""
    async with runtime_of(request).uow() as uow:
        return next_steps_as_dict(await uow.tracks.load())


@router.put("/tracks", response_model=TrackSetup)
async def put_tracks(request: Request, who: CurrentUser, body: TracksIn) -> dict:
    setup = await runtime_of(request).transaction(lambda uow: replace_tracks(uow, who, body.to_setup()))
    return setup_as_dict(setup)


@router.get("/rules", response_model=Rules)
async def get_rules(request: Request, who: CurrentUser) -> dict:
    require_staff(who)
    async with runtime_of(request).uow() as uow:
        versions = await uow.rules.versions()
    return {"defaults": defaults_as_dict(), "versions": [rule_config_as_dict(v) for v in versions]}


@router.put("/rules/{academic_year}", response_model=RuleConfig)
async def put_rules(
    request: Request, who: CurrentUser, academic_year: Annotated[int, Path(ge=50, le=300)], body: RuleConfigIn
) -> dict:  # an ROC year, as RuleConfig.validated checks
    config = await runtime_of(request).transaction(lambda uow: put_rule_config(uow, who, body.to_config(academic_year)))
    return rule_config_as_dict(config)


@router.get("/reasons", response_model=Reasons)
async def get_reasons(request: Request, who: CurrentUser) -> dict:
    async with runtime_of(request).uow() as uow:
        return await list_reasons(uow, who)


@router.put("/reasons", response_model=Reasons)
async def put_reasons(request: Request, who: CurrentUser, body: ReasonsIn) -> dict:
    return await runtime_of(request).transaction(lambda uow: replace_reasons(uow, who, body.to_reasons()))


@router.get("/reports/reasons", response_model=RejectionsReport)
async def reasons_report(
    request: Request, who: CurrentUser, year: Annotated[int, Query(ge=50, le=300, description="ROC academic year")]
) -> dict:
    async with runtime_of(request).uow() as uow:
        return await rejections_report(uow, who, year)


@router.get("/thresholds", response_model=Thresholds)
async def get_thresholds(
    request: Request, who: CurrentUser, dept: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,20}$")] = None
) -> dict:
    async with runtime_of(request).uow() as uow:
        return await list_thresholds(uow, who, dept)


@router.put("/thresholds/{dept}/{cohort}", response_model=Threshold)
async def put_threshold_set(
    request: Request,
    who: CurrentUser,
    dept: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,20}$")],
    cohort: Annotated[int, Path(ge=50, le=300, description="入學學年 (ROC)")],
    body: ThresholdIn,
) -> dict:
    rule_set = body.to_rule_set(dept, cohort)
    return await runtime_of(request).transaction(lambda uow: put_threshold(uow, who, rule_set))


@router.get("/thresholds/export.csv", response_class=Response, responses=CSV_ANSWER)
async def export_thresholds(
    request: Request,
    who: CurrentUser,
    dept: Annotated[str, Query(pattern=r"^[A-Za-z0-9_-]{1,20}$")],
    cohort: Annotated[int | None, Query(ge=50, le=300)] = None,
) -> Response:
    async with runtime_of(request).uow() as uow:
        rows = await export_rows(uow, who, dept, cohort)
    suffix = f"-{cohort}" if cohort else ""
    return csv_response(THRESHOLD_EXPORT_HEADER, rows, f"graduation-thresholds-{dept}{suffix}.csv")


@router.get("/thresholds/{student}", response_model=StudentThreshold)
async def threshold_progress(
    request: Request, who: CurrentUser, student: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
) -> dict:
    async with runtime_of(request).uow() as uow:
        return await student_progress(uow, who, student)


# Declared last: the static paths above (queue, tracks, rules, reasons) must win over the id.
@router.get("/{certificate_id}", response_model=QueueItem, response_model_exclude_unset=True)
async def one(request: Request, who: CurrentUser, certificate_id: uuid.UUID) -> dict:
    async with runtime_of(request).uow() as uow:
        return await one_item(uow, who, certificate_id)
