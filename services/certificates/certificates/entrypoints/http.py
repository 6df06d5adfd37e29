"""HTTP endpoints of the certificates service."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
