"""Application windows: stored per academic year, April 1–30 Taipei by default."""

from __future__ import annotations

from datetime import datetime

from certhub_kit.auth import ADMIN, Principal
from certhub_kit.errors import Conflict, Invalid

from ..domain.calendar import TAIPEI, Window, as_aware, default_window
from .context import RewardsContext
from .unit_of_work import RewardsUnitOfWork


async def window_for(uow: RewardsUnitOfWork, year: int) -> Window:
    return await uow.windows.get(year) or default_window(year)


async def current_window(uow: RewardsUnitOfWork, ctx: RewardsContext) -> Window:
    return await window_for(uow, ctx.academic_year())


def window_view(window: Window, now: datetime) -> dict:
    return {
        "academic_year": window.academic_year,
        "opens_at": window.opens_at.astimezone(TAIPEI).isoformat(),
        "closes_at": window.closes_at.astimezone(TAIPEI).isoformat(),
        "is_open": window.is_open(now),
    }


async def require_open_window(uow: RewardsUnitOfWork, ctx: RewardsContext) -> int:
    """The academic year whose window is open now, or a 409 that says when it opens."""
    return (await open_window(uow, ctx)).academic_year


async def open_window(uow: RewardsUnitOfWork, ctx: RewardsContext) -> Window:
    """The window open now, or a 409 that says when it opens."""
    return await ensure_open(uow, ctx, await current_window(uow, ctx))


async def ensure_open(uow: RewardsUnitOfWork, ctx: RewardsContext, window: Window) -> Window:
    """``window`` (this academic year's) when it is open now, or a 409 that says when it opens."""
    now = ctx.now()
    if window.is_open(now):
        return window
    if now < window.opens_at:
        upcoming = window
    else:
        upcoming = await window_for(uow, window.academic_year + 1)
    raise Conflict(
        f"目前不在證照獎勵申請期間。{upcoming.academic_year} 學年申請期間為 {upcoming.describe_zh()}（臺北時間），"
        f"將於 {upcoming.opens_at.astimezone(TAIPEI):%Y-%m-%d %H:%M} 開放",
        f"Reward applications are closed now. For academic year {upcoming.academic_year} they are open "
        f"{upcoming.describe_en()}; they open at {upcoming.opens_at.astimezone(TAIPEI):%Y-%m-%d %H:%M} Taipei time",
        code="window_closed",
    )


async def set_window(
    uow: RewardsUnitOfWork, principal: Principal, year: int, opens_at: datetime, closes_at: datetime
) -> Window:
    principal.require(ADMIN)
    if not 1 <= year <= 999:
        raise Invalid("學年必須是民國年（例如 114）", "The academic year is a ROC year (e.g. 114)", code="invalid_year")
    try:
        window = Window(year, as_aware(opens_at), as_aware(closes_at))
    except ValueError:
        raise Invalid(
            "結束時間必須晚於開始時間", "The window must close after it opens", code="invalid_window"
        ) from None
    previous = await uow.windows.get(year)
    await uow.windows.put(window, principal.sub)
    await uow.audit(
        "window.set",
        actor_id=principal.sub,
        subject=str(year),
        details={
            "opens_at": window.opens_at.isoformat(),
            "closes_at": window.closes_at.isoformat(),
            "previous": window_view(previous, window.opens_at) if previous else None,
        },
    )
    return window
