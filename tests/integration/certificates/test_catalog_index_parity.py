"""The in-memory catalog answers exactly as the SQL query does (ids, order, levels), and the SQL query
answers when the catalog is larger than ``catalog_cache_entries``."""

from __future__ import annotations

import pytest

from certificates.adapters.catalog_cache import CatalogCache
from certificates.domain.catalog import search_term
from certificates.service_layer.views import entry_item

from .catalog_samples import insert_generated

ISOLATION = "certcatidx"
ENTRIES = 2500
TERMS = [
    "資訊",
    "資",
    "訊",
    "資訊管理",
    "電腦資訊",
    "TQC",
    "tqc",
    "Tqc",
    "cloud",
    "CLOUD",
    "Cloud 架構",
    "excel",
    "excel tqc",
    "A",
    "b",
    "1",
    "%",
    "_",
    "\\",
    "50%",
    "a_b",
    "back\\slash",
    "A0012",
    "b0001",
    "TQC-1",
    "straße",
    "STRASSE",
    "ß",
    "ss",
    "istanbul",
    "İstanbul",
    "σοφια",
    "ΣΟΦΙΑ",
    "ﬁle",
    "file",
    "zzzz",
    "no such thing",
    "x_1",
    "%1",
    " 資訊 ",
    "勞動部",
    "Microsoft",
    "網路",
    "雲端 ",
    "Ｔｑｃ",
    "1 勞",
    "qc-1",
    "0012",
    "C-1",
    None,
]
PAGES = [(20, 0), (7, 5), (100, 40)]


@pytest.fixture(scope="module")
async def generated(service):
    await insert_generated(service.runtime.db.engine, ENTRIES)
    return service


async def answers(service, cache, term, **options):
    async with service.runtime.uow() as uow:
        sql = await uow.catalog.search(term, **options)
        memory = await cache.search(uow.catalog, term, **options)
    return [entry_item(e) for e in sql], [entry_item(e) for e in memory]


@pytest.mark.parametrize("category", [None, 3])
@pytest.mark.parametrize("include_inactive", [False, True])
async def test_memory_answers_equal_sql(generated, category, include_inactive):
    cache = CatalogCache(max_entries=10 * ENTRIES)
    nonempty = 0
    for raw in TERMS:
        term = search_term(raw)
        for limit, offset in PAGES:
            sql, memory = await answers(
                generated, cache, term, category=category, include_inactive=include_inactive, limit=limit, offset=offset
            )
            assert [e["id"] for e in memory] == [e["id"] for e in sql], (raw, limit, offset)
            assert memory == sql, (raw, limit, offset)
            nonempty += bool(sql)
    assert cache.index is not None and len(cache.index) > ENTRIES
    assert nonempty > len(TERMS)  # the comparison is not between empty pages


async def test_larger_catalogs_are_searched_in_sql(generated):
    cache = CatalogCache(max_entries=10)
    for raw in ("資訊", "cloud", "A"):
        sql, answered = await answers(
            generated, cache, search_term(raw), category=None, include_inactive=False, limit=20, offset=0
        )
        assert answered == sql and sql
    assert cache.revision is not None and cache.index is None
