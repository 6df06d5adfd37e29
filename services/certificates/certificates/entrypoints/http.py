"""HTTP endpoints of the certificates service (each router serves its full ``/api/...`` paths)."""

from __future__ import annotations

from . import catalog_api, certificates_api, confirm_pages, rosters_api

routers = [rosters_api.router, catalog_api.router, certificates_api.router, confirm_pages.router]
