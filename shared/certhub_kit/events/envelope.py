"""The CloudEvents 1.0 envelope, built in exactly one place."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

EVENT_TYPES: dict[str, type[EventData]] = {}


class EventData(BaseModel):
    """Base of every event payload; subclasses declare ``type_name`` (versioned)."""

    model_config = ConfigDict(extra="forbid")
    type_name: ClassVar[str] = ""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.type_name:
            if cls.type_name in EVENT_TYPES and EVENT_TYPES[cls.type_name] is not cls:
                raise RuntimeError(f"event type {cls.type_name} declared twice")
            EVENT_TYPES[cls.type_name] = cls


class Envelope(BaseModel):
    """CloudEvents attributes plus ``correlationid``; ``data`` is the typed payload as JSON."""

    specversion: Literal["1.0"] = "1.0"
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    source: str
    type: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    datacontenttype: Literal["application/json"] = "application/json"
    data: dict[str, Any]
    correlationid: str | None = None

    @classmethod
    def wrap(
        cls, data: EventData, *, source: str, subject: str | None = None, correlation_id: str | None = None
    ) -> Envelope:
        return cls(
            source=source,
            type=data.type_name,
            subject=subject,
            data=data.model_dump(mode="json"),
            correlationid=correlation_id,
        )

    def payload(self) -> EventData:
        """The typed payload; raises ``KeyError`` for an unknown type, ``ValidationError`` for bad data."""
        return EVENT_TYPES[self.type].model_validate(self.data)
