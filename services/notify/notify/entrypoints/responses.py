"""What the notify service answers: the response models of its endpoints (from ``service_layer.queries``)."""

from __future__ import annotations

from certhub_kit.response_models import Page, ResponseModel


class Delivery(ResponseModel):
    id: int
    event_id: str
    event_type: str
    recipient: str
    template: str
    status: str
    attempts: int
    last_error: str | None
    created_at: str
    sent_at: str | None


class DeliveryPage(Page):
    items: list[Delivery]


class CapturedMail(ResponseModel):
    to: str
    subject: str
    text: str
    html: str | None
    sent_at: str
