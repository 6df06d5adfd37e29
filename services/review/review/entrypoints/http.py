"""HTTP endpoints of the review service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
