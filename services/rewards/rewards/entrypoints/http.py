"""HTTP endpoints of the rewards service (all under `/api/rewards`)."""

from __future__ import annotations

from fastapi import APIRouter

from .applications_api import router as applications_router
from .payouts_api import router as payouts_router
from .rules_api import router as rules_router
from .standards_api import router as standards_router

router = APIRouter()
router.include_router(standards_router)
router.include_router(applications_router)
router.include_router(payouts_router)
router.include_router(rules_router)
