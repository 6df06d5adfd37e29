"""The headers CertHub and RabbitMQ write on a message that failed: how many attempts it has spent,
why it failed, and what a replay of a dead letter strips so the message starts afresh."""

from __future__ import annotations

from aio_pika.abc import AbstractIncomingMessage

ATTEMPT_HEADER = "x-certhub-attempt"
ERROR_HEADER = "x-certhub-error"

# What the broker and the retry path wrote on a dead letter; a replayed message starts afresh.
BROKER_HEADERS = {
    "x-death",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-first-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
    "x-last-death-exchange",
    "x-delivery-count",
}


def fresh_headers(message: AbstractIncomingMessage) -> dict:
    return {
        k: v for k, v in (message.headers or {}).items() if not k.startswith("x-certhub-") and k not in BROKER_HEADERS
    }


def attempts_of(message: AbstractIncomingMessage) -> int:
    """The attempts a message has spent (its header, set when it went round the retry queue)."""
    value = (message.headers or {}).get(ATTEMPT_HEADER, 0)
    return int(value) if isinstance(value, int | float | str | bytes) else 0
