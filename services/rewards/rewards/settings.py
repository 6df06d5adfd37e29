"""Settings of the rewards service."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from pydantic import model_validator

from certhub_kit.settings import ServiceSettings


class RewardsSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8003
    demo_data: bool = False
    # base64 of a 32-byte AES-GCM key sealing bank accounts; required outside dev/standalone/test.
    bank_key: str = ""
    # Pretend "now" is this moment (dev/test only; e.g. to demo the April window in November).
    clock_override: datetime | None = None
    passbook_max_bytes: int = 2 * 1024 * 1024

    @model_validator(mode="after")
    def _check_bank_key(self) -> RewardsSettings:
        if self.bank_key:
            try:
                key = base64.b64decode(self.bank_key, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("CERTHUB_BANK_KEY must be base64") from None
            if len(key) != 32:
                raise ValueError("CERTHUB_BANK_KEY must be 32 bytes (base64 of 32 random bytes)")
        elif not self.relaxed:
            raise ValueError("CERTHUB_BANK_KEY is required in production (base64 of 32 random bytes)")
        if self.clock_override is not None and not self.relaxed:
            raise ValueError("CERTHUB_CLOCK_OVERRIDE is for dev/test only")
        return self
