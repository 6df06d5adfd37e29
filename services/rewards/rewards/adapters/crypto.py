"""Bank accounts sealed at rest with AES-GCM (authenticated; bound to their application id)."""

from __future__ import annotations

import base64
import json
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..domain.banking import BankAccount

NONCE_BYTES = 12
FORMAT = b"\x01"  # leading version byte, so a future key or format can be told apart


class AccountCipher:
    def __init__(self, key: bytes):
        self._aead = AESGCM(key)

    @classmethod
    def from_settings(cls, bank_key: str, *, relaxed: bool) -> AccountCipher:
        if bank_key:
            return cls(base64.b64decode(bank_key))
        if not relaxed:
            raise RuntimeError("a bank key is required outside dev/standalone/test")
        return cls(AESGCM.generate_key(bit_length=256))  # ephemeral: sealed data dies with the process

    def seal(self, application_id: uuid.UUID, account: BankAccount) -> bytes:
        plain = json.dumps(
            {
                "account_no": account.account_no,
                "postal_code": account.postal_code,
                "address": account.address,
                "other_reason": account.other_reason,
            },
            ensure_ascii=False,
        ).encode()
        nonce = os.urandom(NONCE_BYTES)
        return FORMAT + nonce + self._aead.encrypt(nonce, plain, application_id.bytes)

    def open(self, application_id: uuid.UUID, sealed: bytes) -> dict:
        if not sealed or sealed[:1] != FORMAT:
            raise ValueError("unknown sealed bank account format")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return json.loads(self._aead.decrypt(nonce, body, application_id.bytes))
        except InvalidTag:
            raise ValueError("bank account cannot be opened with this key") from None
