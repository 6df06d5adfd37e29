"""The issuer's Ed25519 keys: the first signs, every one stays published so old records verify.

Ids count from the oldest key (the last in the list is ``key-1``), so putting a new key in front
keeps every earlier id — and every credential signed with it — valid (docs: README, key rotation).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .encoding import ed25519_multikey


class SigningKeyProblem(ValueError):
    pass


@dataclass(frozen=True)
class SigningKey:
    key_id: str  # the fragment, e.g. "key-1"
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def public_bytes(self) -> bytes:
        return self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def multikey(self) -> str:
        return ed25519_multikey(self.public_bytes)


def parse_key(text: str) -> Ed25519PrivateKey:
    """A PEM (PKCS#8) Ed25519 private key, or base64/base64url of its 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SigningKeyProblem("a credentials signing key must be Ed25519")
        return key
    try:
        seed = base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))
    except ValueError as exc:
        raise SigningKeyProblem("a credentials signing key is PEM or base64 of 32 bytes") from exc
    if len(seed) != 32:
        raise SigningKeyProblem("a credentials signing key is PEM or base64 of 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def seed_text(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate_seed() -> str:
    return seed_text(Ed25519PrivateKey.generate())


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[SigningKey, ...]

    @classmethod
    def from_texts(cls, texts: list[str]) -> KeyRing:
        if not texts:
            raise SigningKeyProblem("no credentials signing key")
        count = len(texts)
        return cls(tuple(SigningKey(f"key-{count - i}", parse_key(t)) for i, t in enumerate(texts)))

    @property
    def signer(self) -> SigningKey:
        return self.keys[0]

    def find(self, key_id: str) -> SigningKey | None:
        return next((k for k in self.keys if k.key_id == key_id), None)
