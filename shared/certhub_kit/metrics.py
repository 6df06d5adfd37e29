"""Prometheus metrics shared by every service (labelled by service; defined once per process)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("certhub_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
HTTP_SECONDS = Histogram(
    "certhub_http_request_seconds",
    "HTTP request latency",
    ["service", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
EVENTS_PUBLISHED = Counter("certhub_events_published_total", "Events published from the outbox", ["service", "type"])
EVENTS_UNROUTED = Counter(
    "certhub_events_unrouted_total", "Events the broker returned as unroutable", ["service", "type"]
)
EVENTS_CONSUMED = Counter("certhub_events_consumed_total", "Events consumed", ["service", "queue", "outcome"])
OUTBOX_LAG = Gauge("certhub_outbox_lag_seconds", "Age of the oldest unsent outbox row", ["service"])
QUEUE_DEPTH = Gauge("certhub_queue_depth", "Messages ready in a queue", ["queue"])
MAIL_FAILURES = Counter("certhub_mail_failures_total", "Mails that failed permanently", ["template"])
