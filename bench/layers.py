"""What one statement costs in each layer the services use, in CPU microseconds of this process:
``python -m bench.layers [--dsn postgresql://postgres@127.0.0.1:5432/postgres] [--repeat 5] [-n 2000]``.

The same primary-key SELECT through asyncpg, through SQLAlchemy's AsyncConnection and AsyncSession
with a statement built once, and through an AsyncSession building the statement on every call; then
a transaction around it (BEGIN, the SELECT, COMMIT) through asyncpg and through an AsyncSession; and
one RS256 access-token check (PyJWT). Process CPU time, not wall time, so a busy machine changes the
figures little; medians over ``--repeat`` runs. docs/benchmarks.md uses them to explain how far a
request written with these layers can come towards a floor written with asyncpg alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

TABLE = "bench_layers"


def _cpu_us(n: int) -> Callable[[Callable[[int], Awaitable[object]]], Awaitable[float]]:
    async def measure(call: Callable[[int], Awaitable[object]]) -> float:
        await call(0)
        began = time.process_time()
        for i in range(n):
            await call(i)
        return (time.process_time() - began) / n * 1e6

    return measure


async def once(dsn: str, n: int) -> dict[str, float]:
    import asyncpg
    from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, select
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    table = Table(TABLE, MetaData(), Column("id", Integer, primary_key=True), Column("name", String))
    built_once = select(table.c.id, table.c.name).where(table.c.id == bindparam("id"))
    sql = f"SELECT id, name FROM {TABLE} WHERE id = $1"
    measure, out = _cpu_us(n), {}
    raw = await asyncpg.connect(dsn)
    engine = create_async_engine(dsn.replace("postgresql://", "postgresql+asyncpg://", 1), pool_size=1)
    try:
        await raw.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id int PRIMARY KEY, name text);"
            f"INSERT INTO {TABLE} SELECT g, 'n' || g FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING"
        )
        out["asyncpg statement"] = await measure(lambda i: raw.fetch(sql, i % 1000 + 1))

        async def in_transaction(i: int) -> None:
            async with raw.transaction():
                await raw.fetch(sql, i % 1000 + 1)

        out["asyncpg transaction (BEGIN, statement, COMMIT)"] = await measure(in_transaction)
        async with engine.connect() as conn:
            out["SQLAlchemy AsyncConnection statement"] = await measure(
                lambda i: conn.execute(built_once, {"id": i % 1000 + 1})
            )
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions() as session:
            out["SQLAlchemy AsyncSession statement"] = await measure(
                lambda i: session.execute(built_once, {"id": i % 1000 + 1})
            )
            out["SQLAlchemy AsyncSession statement built per call"] = await measure(
                lambda i: session.execute(select(table.c.id, table.c.name).where(table.c.id == i % 1000 + 1))
            )

        async def session_transaction(i: int) -> None:
            async with sessions() as session, session.begin():
                await session.execute(built_once, {"id": i % 1000 + 1})

        out["SQLAlchemy AsyncSession transaction (BEGIN, statement, COMMIT)"] = await measure(session_transaction)
        out["RS256 access token check (PyJWT)"] = await measure(_token_check())
    finally:
        await raw.execute(f"DROP TABLE IF EXISTS {TABLE}")
        await raw.close()
        await engine.dispose()
    return out


def _token_check() -> Callable[[int], Awaitable[object]]:
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({"sub": "s1", "exp": int(time.time()) + 3600, "aud": "certhub"}, key, algorithm="RS256")
    public = key.public_key()

    async def check(_: int) -> object:
        return jwt.decode(token, public, algorithms=["RS256"], audience="certhub")

    return check


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("-n", type=int, default=2000, help="calls per measurement")
    args = parser.parse_args(argv)
    runs = [asyncio.run(once(args.dsn, args.n)) for _ in range(args.repeat)]
    floor = statistics.median(r["asyncpg statement"] for r in runs)
    print(
        f"{'CPU µs per call (median of ' + str(args.repeat) + ')':<64} {'median':>8} {'min':>8} {'max':>8}  × asyncpg"
    )
    for name in runs[0]:
        values = [r[name] for r in runs]
        median = statistics.median(values)
        print(f"{name:<64} {median:8.0f} {min(values):8.0f} {max(values):8.0f}  {median / floor:8.2f}")


if __name__ == "__main__":
    main()
