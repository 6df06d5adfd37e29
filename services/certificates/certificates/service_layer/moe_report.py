"""The MOE certificate report for the centre: JSON for the screen, CSV/XLSX for the upload."""

from __future__ import annotations

from certhub_kit.auth import ADMIN, CENTER, Principal
from certhub_kit.errors import Forbidden

from ..adapters.moe_report_query import reported_certificates
from ..domain.errors import FieldInvalid
from ..domain.moe_report import Term, counts_by_code, report_row, split_by_code
from .unit_of_work import CertificatesUnitOfWork


def ensure_report_reader(user: Principal) -> Principal:
    if not user.has(CENTER, ADMIN):
        raise Forbidden(
            "只有職涯發展與輔導組與管理者可以查看教育部報表",
            "Only the career centre and admins may read the MOE report",
            code="forbidden_role",
        )
    return user


def term_of_query(year: int, semester: int | None) -> Term:
    if not 60 <= year <= 250:
        raise FieldInvalid(
            "year", "學年應為民國年，例如 113", "The year is an ROC academic year such as 113", code="bad_year"
        )
    if semester not in (None, 1, 2):
        raise FieldInvalid("semester", "學期應為 1 或 2", "The semester is 1 or 2", code="bad_semester")
    return Term(year, semester)


async def moe_report(uow: CertificatesUnitOfWork, term: Term, departments: dict[str, list[str]]) -> dict:
    """``{year, semester, rows, counts, uncoded}``: rows and uncoded are KSU rows (lists in COLUMNS order)
    plus the certificate and entry ids, counts the certificates per national code."""
    certs = await reported_certificates(uow.session, *term.bounds())
    coded, uncoded = split_by_code(certs)
    return {
        "year": term.year,
        "semester": term.semester,
        "rows": [_item(c, departments) for c in coded],
        "counts": counts_by_code(coded),
        "uncoded": [_item(c, departments) for c in uncoded],
    }


def _item(cert: dict, departments: dict[str, list[str]]) -> dict:
    return {
        "certificate_id": str(cert["id"]),
        "entry_id": str(cert["entry_id"]),
        "cells": report_row(cert, departments),
    }
