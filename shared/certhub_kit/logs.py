"""JSON logs (structlog) carrying the correlation id of the request or event in hand.

Both kinds of logger write the same JSON lines to stdout: structlog's (the services' own events,
and one ``request`` line per HTTP request from :mod:`certhub_kit.http`) and the standard library's
(uvicorn's errors and tracebacks, SQLAlchemy, aio-pika), through one handler on the root logger.
Uvicorn runs with ``log_config=None`` (:func:`certhub_kit.runtime.serve`) so it keeps no handler of its own.
"""

from __future__ import annotations

import logging
import re
import sys

import structlog
from structlog.typing import EventDict, Processor

_configured = False

# What a database error carries besides its message: the bound values (SQLAlchemy's "[parameters: …]",
# asyncpg's "invalid input for query argument $1: <value>") and PostgreSQL's DETAIL line ("Key (email)=
# (…) already exists"). Engines are built with hide_parameters=True; this is the second line of defence.
_SQL_VALUES = [
    (re.compile(r"\[parameters: .*?\](?=\n|$|\s*\(Background)", re.S), "[parameters hidden]"),
    (re.compile(r"(query argument \$\d+:).*"), r"\1 [value hidden]"),
    (re.compile(r"(DETAIL:).*"), r"\1 [hidden]"),
]


def without_sql_values(text: str) -> str:
    for pattern, replacement in _SQL_VALUES:
        text = pattern.sub(replacement, text)
    return text


def _drop_sql_values(logger, method, event: EventDict) -> EventDict:
    """structlog processor (after ``format_exc_info``): exception texts without bound values."""
    for key in ("exception", "error"):
        if isinstance(event.get(key), str):
            event[key] = without_sql_values(event[key])
    return event


class SqlValuesFilter(logging.Filter):
    """The same for stdlib records (SQLAlchemy, uvicorn): message and traceback without bound values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = without_sql_values(record.exc_text)
        message = record.getMessage()
        cleaned = without_sql_values(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if json else structlog.dev.ConsoleRenderer()
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                _drop_sql_values,
                renderer,
            ],
        )
    )
    handler.addFilter(SqlValuesFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiormq", "aio_pika", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):  # their records go to the root handler above
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, _drop_sql_values, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(),
        cache_logger_on_first_use=True,
    )
