"""RabbitMQ through aio-pika: topology, confirmed publishing, and consumers.

Topology (declared whole by every service, so no event is published before its
queue exists): one durable topic exchange; per consuming service a quorum queue
bound to the types it handles, with a delivery limit and broker dead-lettering;
a retry queue whose TTL sends messages back after a delay; a dead-letter queue
that ops inspect and ``replay``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import aio_pika
import structlog
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange, AbstractIncomingMessage
from aiormq.exceptions import PublishError

from .batching import AckCursor, Batcher
from .context import bind_correlation_id
from .db import unavailable
from .delivery_headers import ATTEMPT_HEADER, ERROR_HEADER, attempts_of, fresh_headers
from .events import Envelope, EventData
from .events.topology import queue_name
from .events.topology import subscriptions as topology
from .inbox import Inbox
from .metrics import EVENTS_CONSUMED, QUEUE_DEPTH
from .relay import Unroutable

log = structlog.get_logger("certhub.broker")

CONNECT_TIMEOUT_S = 60.0
# Declaring the whole topology and starting the consumers: a busy broker may take many seconds
# (dozens of quorum-queue declarations and bindings), but never this long unless it is stuck.
OPEN_TIMEOUT_S = 180.0
STOP_WAIT_S = 10.0  # a lost connection's consumer may finish the batch in hand


class QueueNames:
    def __init__(self, service: str, prefix: str):
        self.main = queue_name(service, prefix)
        self.retry = f"{self.main}.retry"
        self.dead = f"{self.main}.dead"


class RabbitBroker:
    def __init__(
        self,
        url: str,
        *,
        exchange: str = "certhub.events",
        prefix: str = "",
        prefetch: int = 200,
        max_retries: int = 3,
        retry_delay_ms: int = 1000,
        delivery_limit: int = 10,
        subscriptions: dict[str, list[str]] | None = None,
        batch: int = 100,
        batch_wait_ms: float = 5.0,
    ):
        self.url = url
        self.exchange_name = exchange
        self.prefix = prefix
        self.batch = max(1, batch)
        self.batch_wait_s = batch_wait_ms / 1000
        self.prefetch = max(prefetch, self.batch)  # a batch must be able to fill
        self.max_retries = max_retries
        self.retry_delay_ms = retry_delay_ms
        self.delivery_limit = delivery_limit
        self.subscriptions = subscriptions if subscriptions is not None else topology()
        self.connection: AbstractConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._connected = asyncio.Event()
        self._consumers: list[tuple[str, Inbox]] = []
        self._tasks: list[asyncio.Task] = []

    # --- lifecycle -------------------------------------------------------
    def consume(self, service: str, inbox: Inbox) -> None:
        """Register a consumer; it starts (and restarts) with the connection."""
        self._consumers.append((service, inbox))

    async def start(self) -> None:
        self._tasks.append(asyncio.create_task(self._stay_connected(), name="broker-connect"))
        self._tasks.append(asyncio.create_task(self._watch_depth(), name="broker-depth"))

    async def wait_connected(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
            return True
        except TimeoutError:
            return False

    async def _stay_connected(self) -> None:
        """Connect, declare the topology, start the consumers; when the connection or any of
        its channels closes, drop everything of it and start again (with a back-off).

        Each attempt is bounded (``OPEN_TIMEOUT_S``): a broker that has just restarted can accept
        a connection yet leave a ``basic.consume`` unanswered, and a consumer that never started
        must not look connected. Unsettled deliveries of a lost connection go
        back to their queue; the inbox makes their second delivery harmless.
        """
        delay = 0.5
        while True:
            lost = asyncio.Event()
            batchers: list[tuple[Batcher, asyncio.Task]] = []
            self.connection = None
            try:
                self.connection = await aio_pika.connect(self.url, timeout=CONNECT_TIMEOUT_S)
                self.connection.close_callbacks.add(_setter(lost))
                async with asyncio.timeout(OPEN_TIMEOUT_S):  # not wait_for: it can swallow a cancel (polling.Wake)
                    await self._open(self.connection, lost, batchers)
                self._connected.set()
                delay = 0.5
                log.info("broker_connected")
                await lost.wait()
                log.warning("broker_connection_lost")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("broker_connect_failed", error=repr(exc), retry_in=delay)
            finally:
                self._connected.clear()
                await _stop(batchers)
                if self.connection is not None:
                    await asyncio.gather(self.connection.close(), return_exceptions=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    async def _open(
        self, connection: AbstractConnection, lost: asyncio.Event, batchers: list[tuple[Batcher, asyncio.Task]]
    ) -> None:
        self._publish_channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        self._publish_channel.close_callbacks.add(_setter(lost))
        await self.declare_topology(self._publish_channel)
        self._exchange = await self._publish_channel.get_exchange(self.exchange_name)
        for service, inbox in self._consumers:
            batchers.append(await self._start_consumer(connection, lost, service, inbox))

    async def declare_topology(self, channel: AbstractChannel) -> None:
        exchange = await channel.declare_exchange(self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        for service, types in self.subscriptions.items():
            names = QueueNames(service, self.prefix)
            await channel.declare_queue(names.dead, durable=True, arguments={"x-queue-type": "quorum"})
            await channel.declare_queue(
                names.retry,
                durable=True,
                arguments={
                    "x-message-ttl": self.retry_delay_ms,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": names.main,
                },
            )
            queue = await channel.declare_queue(
                names.main,
                durable=True,
                arguments={
                    "x-queue-type": "quorum",
                    "x-delivery-limit": self.delivery_limit,
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": names.dead,
                    "x-dead-letter-strategy": "at-least-once",
                    "x-overflow": "reject-publish",
                },
            )
            for event_type in types:
                await queue.bind(exchange, routing_key=event_type)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        self._connected.clear()

    async def ready(self) -> bool:
        return bool(self.connection and not self.connection.is_closed and self._connected.is_set())

    # --- publishing ------------------------------------------------------
    async def publish(self, envelope: Envelope) -> None:
        if not self._connected.is_set() or self._exchange is None:
            raise ConnectionError("broker not connected")
        message = aio_pika.Message(
            body=envelope.model_dump_json().encode(),
            message_id=str(envelope.id),
            type=envelope.type,
            content_type="application/cloudevents+json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            correlation_id=envelope.correlationid,
            timestamp=envelope.time,
        )
        try:
            await self._exchange.publish(message, routing_key=envelope.type, mandatory=True, timeout=10)
        except PublishError as exc:
            raise Unroutable(envelope.type) from exc

    async def _send_to_queue(self, queue: str, message: AbstractIncomingMessage, headers: dict) -> None:
        """A confirmed copy of ``message`` with ``headers`` (all of them) on ``queue``."""
        assert self._publish_channel is not None
        copy = aio_pika.Message(
            body=message.body,
            headers=headers,
            message_id=message.message_id,
            type=message.type,
            content_type=message.content_type,
            correlation_id=message.correlation_id,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await self._publish_channel.default_exchange.publish(copy, routing_key=queue, mandatory=True, timeout=10)

    # --- consuming -------------------------------------------------------
    async def _start_consumer(
        self, connection: AbstractConnection, lost: asyncio.Event, service: str, inbox: Inbox
    ) -> tuple[Batcher, asyncio.Task]:
        channel = await connection.channel()
        channel.close_callbacks.add(_setter(lost))
        await channel.set_qos(prefetch_count=self.prefetch)
        names = QueueNames(service, self.prefix)
        queue = await channel.get_queue(names.main)
        batcher = Batcher(
            self._batch_handler(service, names, inbox), size=self.batch, wait_s=self.batch_wait_s, name=names.main
        )
        task = asyncio.create_task(batcher.run(), name=f"consumer-{names.main}")
        await queue.consume(batcher.put)
        return batcher, task

    def _batch_handler(self, service: str, names: QueueNames, inbox: Inbox) -> Callable:
        """One inbox transaction per batch, acks after its commit; if anything in it fails,
        nothing of it is committed and its messages go through one by one (``on_message``),
        so only a failing one is retried or dead-lettered."""
        on_message = self._handler(service, names, inbox)
        cursor = AckCursor()

        async def on_batch(messages: list[AbstractIncomingMessage]) -> None:
            await settle(messages)
            cursor.settled(messages)

        async def settle(messages: list[AbstractIncomingMessage]) -> None:
            decoded = []
            for message in messages:
                envelope, payload = await self._decode(service, names, message)
                if envelope is not None:
                    decoded.append((message, envelope, payload))
            if len(decoded) < 2:
                for message, envelope, _ in decoded:
                    await on_message(message, envelope)
                return
            try:
                outcomes = await inbox.process_batch([e for _, e, _ in decoded], [p for _, _, p in decoded])
            except Exception as exc:
                if unavailable(exc):  # the database is down: every message round the retry queue, none spent
                    log.warning("batch_failed_database_down", queue=names.main, size=len(decoded), error=repr(exc))
                    for message, _, _ in decoded:
                        await self._fail(service, names, message, repr(exc), counted=False)
                    return
                log.warning("batch_failed_one_by_one", queue=names.main, size=len(decoded), error=repr(exc))
                for message, envelope, _ in decoded:
                    await on_message(message, envelope)
                return
            await cursor.ack(messages, [message for message, _, _ in decoded])
            for outcome in outcomes:
                EVENTS_CONSUMED.labels(service, names.main, outcome).inc()

        return on_batch

    async def _decode(
        self, service: str, names: QueueNames, message: AbstractIncomingMessage
    ) -> tuple[Envelope | None, EventData | None]:
        """The envelope and its typed payload; an undecodable message goes to the DLQ at once."""
        try:
            envelope = Envelope.model_validate_json(message.body)
            return envelope, envelope.payload()
        except Exception as exc:
            await self._fail(service, names, message, f"undecodable event: {exc!r}", final=True)
            return None, None

    def _handler(self, service: str, names: QueueNames, inbox: Inbox) -> Callable:
        async def on_message(message: AbstractIncomingMessage, envelope: Envelope) -> None:
            bind_correlation_id(envelope.correlationid)
            try:
                outcome = await inbox.process(envelope)
            except Exception as exc:
                down = unavailable(exc)  # the database was unreachable: not the event's fault
                log.warning(
                    "handler_failed",
                    queue=names.main,
                    type=envelope.type,
                    id=str(envelope.id),
                    error=repr(exc),
                    infrastructure=down,
                )
                await self._fail(service, names, message, repr(exc), counted=not down)
                return
            await message.ack()
            EVENTS_CONSUMED.labels(service, names.main, outcome).inc()

        return on_message

    async def _fail(
        self,
        service: str,
        names: QueueNames,
        message: AbstractIncomingMessage,
        reason: str,
        *,
        final: bool = False,
        counted: bool = True,
    ) -> None:
        """Move a failed message to the retry queue, or to the dead-letter queue with its reason.

        The original is acked only after the copy is confirmed; if that fails it is
        nacked back to its queue, where the delivery limit ends it in the DLQ anyway.
        A failure that is not the message's fault (``counted=False``: the database was
        down) goes round the retry queue without spending an attempt, so an outage longer
        than the retry budget does not dead-letter every event that arrived during it.
        """
        attempt = attempts_of(message) + (1 if counted else 0)
        dead = final or attempt > self.max_retries
        target = names.dead if dead else names.retry
        headers = {ATTEMPT_HEADER: attempt, ERROR_HEADER: reason[:1000]}
        if dead:
            headers["x-certhub-failed-at"] = datetime.now(UTC).isoformat()
        try:
            await self._send_to_queue(target, message, {**(message.headers or {}), **headers})
        except Exception as exc:
            log.error("failed_message_not_moved", queue=names.main, error=repr(exc))
            await message.nack(requeue=True)
            return
        await message.ack()
        EVENTS_CONSUMED.labels(service, names.main, "dead" if dead else "retry").inc()

    async def _watch_depth(self) -> None:
        while True:
            try:
                await self._connected.wait()
                assert self._publish_channel is not None
                for service, _ in self._consumers:
                    names = QueueNames(service, self.prefix)
                    for name in (names.main, names.dead):
                        q = await self._publish_channel.declare_queue(name, passive=True)
                        QUEUE_DEPTH.labels(name).set(q.declaration_result.message_count or 0)
            except asyncio.CancelledError:
                raise
            except Exception:
                pass
            await asyncio.sleep(10)

    async def replay(self, service: str, limit: int | None = None) -> int:
        """Put dead letters back on the service's own queue (ops, after a fix)."""
        assert self._publish_channel is not None
        names = QueueNames(service, self.prefix)
        dead = await self._publish_channel.get_queue(names.dead)
        moved = 0
        while limit is None or moved < limit:
            message = await dead.get(no_ack=False, fail=False)
            if message is None:
                break
            await self._send_to_queue(names.main, message, fresh_headers(message))
            await message.ack()
            moved += 1
        return moved


def _setter(event: asyncio.Event) -> Callable[..., None]:
    """A close callback that sets ``event`` (bound now, not when it fires)."""
    return lambda *_: event.set()


async def _stop(batchers: list[tuple[Batcher, asyncio.Task]]) -> None:
    """The consumers of a lost connection finish the batch in hand (its settling fails and the
    broker redelivers it) and take nothing more; one still busy after a while is cancelled."""
    for batcher, _ in batchers:
        batcher.stop()
    tasks = [task for _, task in batchers]
    if tasks:
        _, busy = await asyncio.wait(tasks, timeout=STOP_WAIT_S)
        for task in busy:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
