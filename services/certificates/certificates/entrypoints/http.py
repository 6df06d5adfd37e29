"""HTTP endpoints of the certificates service (each router serves its full ``/api/...`` paths)."""

from __future__ import annotations

from . import catalog_api, certificates_api, confirm_pages, departments_api, reports_api, rosters_api

# reports, rosters and departments first: /api/certificates/reports/moe must not be read as a certificate id
routers = [
    reports_api.router,
    rosters_api.router,
    departments_api.router,
    catalog_api.router,
    certificates_api.router,
    confirm_pages.router,
]
