"""``/api/confirm/{token}``: the link in the mail. GET shows a page with a button (mail
scanners prefetch links, so GET changes nothing); POST confirms. Small zh-TW/English pages."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certhub_kit.http import ERROR_RESPONSES, runtime_of

from ..domain.certificate import Certificate
from ..service_layer import confirmation
from ..service_layer.confirmation import LinkOutcome, LinkState

router = APIRouter(prefix="/api/confirm", tags=["confirmation"])

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'",
}

MESSAGES: dict[LinkState, tuple[int, str, str, str, str]] = {
    # state: (status, title zh, text zh, title en, text en)
    LinkState.UNKNOWN: (
        404,
        "連結無效",
        "找不到這個確認連結，請確認網址是否完整，或登入系統重新寄送確認信。",
        "Invalid link",
        "This confirmation link does not exist. Check that the address is complete, "
        "or sign in and ask for a new confirmation mail.",
    ),
    LinkState.USED: (
        410,
        "連結已使用過",
        "這個確認連結已經使用過了，您的證照已送出申請，不需要再確認。",
        "Link already used",
        "This link has already been used; your certificate was submitted.",
    ),
    LinkState.EXPIRED: (
        410,
        "連結已過期",
        "這個確認連結已過期，請登入系統，在「我的證照」重新寄送確認信。",
        "Link expired",
        "This link has expired. Sign in and resend the confirmation from \u201cMy certificates\u201d.",
    ),
    LinkState.REPLACED: (
        410,
        "連結已失效",
        "已經寄出較新的確認信，請使用最新一封信中的連結。",
        "Link replaced",
        "A newer confirmation mail was sent; please use the link in the latest one.",
    ),
    LinkState.NOT_DRAFT: (
        409,
        "不需要確認",
        "這張證照目前不是等待確認的狀態，不需要再確認。",
        "Nothing to confirm",
        "This certificate is not waiting for a confirmation.",
    ),
    LinkState.CONFIRMED: (
        200,
        "確認完成",
        "您的證照已確認，狀態改為「申請中」，接下來會由承辦單位審核。",
        "Confirmed",
        "Your certificate is confirmed and now \u201cSubmitted\u201d; it will be reviewed.",
    ),
}


_HTML = {"text/html": {"schema": {"type": "string"}}}
# The link's outcomes are pages (a person follows the link from a mail), not JSON.
PAGE_ANSWERS: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown link: a page", "content": {**_HTML, **ERROR_RESPONSES[404]["content"]}},
    409: {"description": "Nothing to confirm: a page", "content": {**_HTML, **ERROR_RESPONSES[409]["content"]}},
    410: {"description": "Link used, expired or replaced: a page", "content": _HTML},
}


def page(title_zh: str, title_en: str, body: str, status: int) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="zh-Hant-TW"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{escape(title_zh)}｜{escape(title_en)} — CertHub</title>
<style>body{{font-family:system-ui,"Noto Sans TC",sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;
line-height:1.6;color:#222}}h1{{font-size:1.4rem}}.en{{color:#555}}button{{font-size:1.1rem;padding:.6rem 1.4rem;
border:0;border-radius:.4rem;background:#1d5fa8;color:#fff;cursor:pointer}}dl{{background:#f4f6f8;padding:1rem}}</style>
</head><body><main>{body}<p><a href="/">CertHub</a></p></main></body></html>"""
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _summary(cert: Certificate | None) -> str:
    if not cert:
        return ""
    level = f"（{escape(cert.level_name)}）" if cert.level_name else ""
    return (
        f"<dl><dt>證照 Certificate</dt><dd>{escape(cert.entry_name)}{level}</dd>"
        f"<dt>發證日期 Issued on</dt><dd>{cert.issued_on.isoformat()}</dd></dl>"
    )


def outcome_page(outcome: LinkOutcome) -> HTMLResponse:
    status, title_zh, text_zh, title_en, text_en = MESSAGES[outcome.state]
    body = (
        f"<h1>{escape(title_zh)} <span class=en>{escape(title_en)}</span></h1>{_summary(outcome.certificate)}"
        f"<p>{escape(text_zh)}</p><p class=en lang=en>{escape(text_en)}</p>"
    )
    return page(title_zh, title_en, body, status)


@router.get("/{token}", response_class=HTMLResponse, responses=PAGE_ANSWERS)
async def show(token: str, request: Request) -> HTMLResponse:
    async with runtime_of(request).uow() as uow:
        outcome = await confirmation.inspect(uow, token)
    if outcome.state is not LinkState.VALID:
        return outcome_page(outcome)
    body = (
        f"<h1>確認證照登錄 <span class=en>Confirm your certificate</span></h1>{_summary(outcome.certificate)}"
        "<p>請按下方按鈕確認這筆證照登錄資料，確認後即送出申請。</p>"
        "<p class=en lang=en>Press the button to confirm this registration and submit it for review.</p>"
        f'<form method="post" action="/api/confirm/{escape(token)}">'
        '<button type="submit" data-testid="confirm-button">確認送出 Confirm</button></form>'
    )
    return page("確認證照登錄", "Confirm your certificate", body, 200)


@router.post("/{token}", response_class=HTMLResponse, responses=PAGE_ANSWERS)
async def perform(token: str, request: Request) -> HTMLResponse:
    outcome = await runtime_of(request).transaction(lambda uow: confirmation.confirm(uow, token))
    return outcome_page(outcome)
