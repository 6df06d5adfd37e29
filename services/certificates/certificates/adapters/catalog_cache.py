"""Each process's in-memory catalog, kept exact by the database's catalog revision.

Every search reads ``catalog_revision`` (one cheap row, in the request's own transaction); when it differs
from the revision the copy was loaded at, the copy is rebuilt first — once, under a lock, however many
requests are waiting. Triggers bump the revision for every statement writing the catalog (API, imports,
plain SQL, COPY), so another replica's change is seen by the next search here. Catalogs larger than
``max_entries`` are searched in SQL instead (the repository's query, which defines the semantics).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import structlog

from ..domain.catalog import SearchTerm
from .catalog_index import CatalogIndex, CatalogIndexBuilder, EntryRow, TermForms
from .catalog_repository import CatalogRepository

log = structlog.get_logger("certificates.catalog_cache")


class CatalogCache:
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.revision: int | None = None  # the revision ``index`` was loaded at
        self.index: CatalogIndex | None = None  # None at that revision: too large, SQL answers
        self._lock = asyncio.Lock()

    async def search(
        self,
        repo: CatalogRepository,
        term: SearchTerm | None,
        *,
        category: int | None,
        include_inactive: bool,
        limit: int,
        offset: int,
    ) -> list[dict[str, Any]]:
        revision, lower_db = await repo.revision(term.text if term else "")
        index = await self._index_at(repo, revision) if revision is not None else None
        if index is None:
            return await repo.search(
                term, category=category, include_inactive=include_inactive, limit=limit, offset=offset
            )
        forms = TermForms.of(term.text, lower_db, term.codes_only) if term else None
        return index.search(forms, category=category, include_inactive=include_inactive, limit=limit, offset=offset)

    async def _index_at(self, repo: CatalogRepository, revision: int) -> CatalogIndex | None:
        if self.revision != revision:
            async with self._lock:
                if self.revision != revision:
                    self.revision = self.index = None  # drop the old copy first (memory); a failed load retries
                    self.index = await self._load(repo)
                    self.revision = revision
        return self.index

    async def _load(self, repo: CatalogRepository) -> CatalogIndex | None:
        """Rows read after the revision are at least as new as it: a newer change means one more reload."""
        began = time.monotonic()
        size = await repo.entry_count()
        if size > self.max_entries:
            log.info("catalog_cache_skipped", entries=size, max_entries=self.max_entries)
            return None
        builder = CatalogIndexBuilder()
        async for row in repo.index_rows():
            if isinstance(row, EntryRow):
                builder.add_entry(row)
            else:
                builder.add_level(row)
        index = builder.build()
        log.info("catalog_cache_loaded", entries=len(index), ms=round((time.monotonic() - began) * 1000, 1))
        return index
