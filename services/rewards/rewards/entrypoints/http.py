"""HTTP endpoints of the rewards service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
