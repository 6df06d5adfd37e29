"""What use cases need besides the unit of work: the clock, the bank cipher and list, storage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from certhub_kit.storage import ObjectStorage

from ..adapters.crypto import AccountCipher
from ..adapters.reference_data import bank_rows
from ..domain.banking import BankDirectory
from ..domain.calendar import TAIPEI, academic_year_of, utc_now

PASSBOOKS = "passbooks"


@dataclass
class RewardsContext:
    clock: Callable[[], datetime]
    cipher: AccountCipher
    banks: BankDirectory
    storage: ObjectStorage | None
    passbook_max_bytes: int

    def now(self) -> datetime:
        return self.clock()

    @property
    def files(self) -> ObjectStorage:
        """The object storage, for the steps that cannot do without it (storing a passbook)."""
        if self.storage is None:
            raise RuntimeError("object storage is not configured")
        return self.storage

    def today(self) -> date:
        """Today in Taipei (a certificate counts through its expiry date)."""
        return self.now().astimezone(TAIPEI).date()

    def academic_year(self) -> int:
        return academic_year_of(self.now())


def build_context(
    settings: Any, storage: ObjectStorage | None, clock: Callable[[], datetime] | None = None
) -> RewardsContext:
    """``clock`` (tests, demos) replaces "now"; else ``settings.clock_override``, else the real time."""
    if clock is None and settings.clock_override is not None:
        fixed = settings.clock_override
        clock = lambda: fixed  # noqa: E731
    return RewardsContext(
        clock=clock or utc_now,
        cipher=AccountCipher.from_settings(settings.bank_key, relaxed=settings.relaxed),
        banks=BankDirectory(bank_rows()),
        storage=storage,
        passbook_max_bytes=settings.passbook_max_bytes,
    )
