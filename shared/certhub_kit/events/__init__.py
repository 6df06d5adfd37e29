"""Event envelope, the typed event catalog, and who subscribes to what."""

from . import certificates, credentials, notify, review, rewards  # noqa: F401  (registers the types)
from .envelope import EVENT_TYPES, Envelope, EventData

__all__ = ["EVENT_TYPES", "Envelope", "EventData"]
