"""Applications, bank accounts, reviews, eligibility and reports under `/api/rewards`."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile

from certhub_kit.auth import Principal
from certhub_kit.exports import stored_object
from certhub_kit.http import CurrentUser, runtime_of

from ..adapters.applications_repository import ApplicationFilter
from ..domain.applications import STATUS_LABELS
from ..service_layer import applications as use
from ..service_layer.bank_accounts import acknowledge_other, put_bank_account, read_passbook
from ..service_layer.context import RewardsContext
from ..service_layer.eligibility import eligible_standards
from ..service_layer.reports import report
from ..service_layer.reviews import FIRST, SECOND, bulk_result, record_review, require_reviewer, review
from ..service_layer.views import EXPORT_HEADER, export_row
from .deps import Ctx, UoW
from .exports import CSV_ANSWER, IMAGE_ANSWER, XLSX_ANSWER, csv_response, xlsx_response
from .responses import Application, ApplicationPage, BankAccount, Report, ReviewResults, Suggestion
from .schemas import AcknowledgeIn, ApplicationIn, ApplicationPatch, BulkReviewItem, ReviewIn

router = APIRouter(prefix="/api/rewards", tags=["rewards: applications"])


Year = Annotated[int | None, Query(ge=1, le=999)]  # ROC academic years; larger ones overflow the column


async def _filters(
    year: Year = None,
    division: str | None = None,
    program: str | None = None,
    dept: str | None = None,
    klass: Annotated[str | None, Query(alias="class")] = None,
    student: str | None = None,
    name: str | None = None,
    status: str | None = None,
) -> ApplicationFilter:
    return ApplicationFilter(
        year=year, division=division, program=program, dept=dept, klass=klass, student=student, name=name, status=status
    )


Filters = Annotated[ApplicationFilter, Depends(_filters)]


@router.get("/eligible", response_model=list[Suggestion])
async def eligible(user: CurrentUser, uow: UoW, ctx: Ctx) -> list[dict]:
    return await eligible_standards(uow, ctx, user)


@router.post("/applications", status_code=201, response_model=Application, response_model_exclude_unset=True)
async def apply(body: ApplicationIn, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await use.apply(uow, ctx, user, body.standard_id, body.certificate_ids, body.flags)


@router.get("/applications", response_model=ApplicationPage, response_model_exclude_unset=True)
async def search(
    user: CurrentUser,
    uow: UoW,
    ctx: Ctx,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> dict:
    page = await use.search(uow, ctx, user, filters, limit=limit, cursor=cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/applications/export.csv", response_class=Response, responses=CSV_ANSWER)
async def export_csv(user: CurrentUser, uow: UoW, ctx: Ctx, filters: Filters) -> Response:
    views = await use.export_views(uow, ctx, user, filters)
    return csv_response(EXPORT_HEADER, [export_row(v) for v in views], "reward-applications.csv")


@router.get("/applications/export.xlsx", response_class=Response, responses=XLSX_ANSWER)
async def export_xlsx(user: CurrentUser, uow: UoW, ctx: Ctx, filters: Filters) -> Response:
    views = await use.export_views(uow, ctx, user, filters)
    return xlsx_response(EXPORT_HEADER, [export_row(v) for v in views], "reward-applications.xlsx", "證照獎勵申請")


@router.post("/applications/first-review", response_model=ReviewResults, response_model_exclude_unset=True)
async def first_review_many(items: list[BulkReviewItem], user: CurrentUser, request: Request, ctx: Ctx) -> dict:
    return {"results": await _review_many(request, ctx, user, FIRST, items)}


@router.post("/applications/second-review", response_model=ReviewResults, response_model_exclude_unset=True)
async def second_review_many(items: list[BulkReviewItem], user: CurrentUser, request: Request, ctx: Ctx) -> dict:
    return {"results": await _review_many(request, ctx, user, SECOND, items)}


async def _review_many(
    request: Request, ctx: RewardsContext, user: Principal, stage: str, items: list[BulkReviewItem]
) -> list[dict]:
    """Each decision in its own transaction; the answer says which passed and why others did not."""
    require_reviewer(user, stage)
    outcomes = await runtime_of(request).each_in_own_transaction(
        items, lambda uow, i: record_review(uow, ctx, user, i.application_id, stage, i.result, i.note)
    )
    return [bulk_result(o.item.application_id, o.error) for o in outcomes]


@router.get("/applications/{application_id}", response_model=Application, response_model_exclude_unset=True)
async def read(application_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await use.read_application(uow, ctx, user, application_id, with_reason=True)


@router.patch("/applications/{application_id}", response_model=Application, response_model_exclude_unset=True)
async def edit(application_id: uuid.UUID, body: ApplicationPatch, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await use.replace_certificates(uow, ctx, user, application_id, body.certificate_ids)


@router.delete("/applications/{application_id}", status_code=204)
async def withdraw(application_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx) -> Response:
    await use.withdraw(uow, ctx, user, application_id)
    return Response(status_code=204)


@router.put(
    "/applications/{application_id}/bank-account", response_model=BankAccount, response_model_exclude_unset=True
)
async def bank_account(
    application_id: uuid.UUID,
    user: CurrentUser,
    uow: UoW,
    ctx: Ctx,
    method: Annotated[Literal["bank", "post", "other"], Form()],
    code: Annotated[str | None, Form(max_length=16)] = None,
    account_no: Annotated[str | None, Form(max_length=32)] = None,
    account_name: Annotated[str | None, Form(max_length=100)] = None,
    postal_code: Annotated[str | None, Form(max_length=8)] = None,
    address: Annotated[str | None, Form(max_length=300)] = None,
    other_reason: Annotated[str | None, Form(max_length=500)] = None,
    passbook: UploadFile = File(None),
) -> dict:  # optional; documented as a plain binary part
    data = await passbook.read(ctx.passbook_max_bytes + 1) if passbook is not None else None
    form = dict(
        method=method,
        code=code,
        account_no=account_no,
        account_name=account_name,
        postal_code=postal_code,
        address=address,
        other_reason=other_reason,
    )
    return await put_bank_account(uow, ctx, user, application_id, form, data or None)


@router.post(
    "/applications/{application_id}/bank-account/acknowledge",
    response_model=BankAccount,
    response_model_exclude_unset=True,
)
async def acknowledge(
    application_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx, body: AcknowledgeIn | None = None
) -> dict:
    """The centre accepts the reason of an "other" payment method (no account): needed before 初審 passes."""
    return await acknowledge_other(uow, ctx, user, application_id, body.note if body else None)


@router.get("/applications/{application_id}/passbook", response_class=Response, responses=IMAGE_ANSWER)
async def passbook(application_id: uuid.UUID, user: CurrentUser, uow: UoW, ctx: Ctx) -> Response:
    data, content_type = await read_passbook(uow, ctx, user, application_id)
    return stored_object(data, content_type)


@router.post(
    "/applications/{application_id}/first-review", response_model=Application, response_model_exclude_unset=True
)
async def first_review(application_id: uuid.UUID, body: ReviewIn, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await review(uow, ctx, user, application_id, FIRST, body.result, body.note)


@router.post(
    "/applications/{application_id}/second-review", response_model=Application, response_model_exclude_unset=True
)
async def second_review(application_id: uuid.UUID, body: ReviewIn, user: CurrentUser, uow: UoW, ctx: Ctx) -> dict:
    return await review(uow, ctx, user, application_id, SECOND, body.result, body.note)


STATUS = Annotated[str | None, Query(pattern=f"^({'|'.join(STATUS_LABELS)})$")]  # the schema says what is valid


@router.get("/reports", response_model=Report)
async def reports(user: CurrentUser, uow: UoW, ctx: Ctx, year: Year = None, status: STATUS = None) -> dict:
    return await report(uow, user, year if year is not None else ctx.academic_year(), status)
