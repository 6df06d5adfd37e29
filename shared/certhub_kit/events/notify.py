"""Events of the notify service."""

from __future__ import annotations

import uuid

from .envelope import EventData


class DeliveryFailed(EventData):
    type_name = "notify.delivery_failed.v1"
    event_id: uuid.UUID
    event_type: str
    recipient: str
    template: str
    error: str
