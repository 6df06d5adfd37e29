"""Who signs: the school's DID, names, keys and public URLs, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..domain.credential import Issuer, Office
from ..domain.did import did_document, did_web, verification_method
from ..domain.keys import KeyRing, generate_seed
from ..settings import CredentialsSettings


@dataclass
class IssuerContext:
    settings: CredentialsSettings
    ring: KeyRing | None = field(default=None)

    @property
    def base(self) -> str:
        return self.settings.public_base_url.rstrip("/")

    @property
    def did(self) -> str:
        return did_web(self.base)

    @property
    def issuer(self) -> Issuer:
        return Issuer(self.did, self.settings.school_name, self.settings.school_name_en, self.base)

    @property
    def keys(self) -> KeyRing:
        if self.ring is None:
            raise RuntimeError("the signing keys are not loaded yet")
        return self.ring

    @property
    def signer_method(self) -> str:
        return verification_method(self.did, self.keys.signer.key_id)

    def key_for(self, method: str | None) -> Ed25519PublicKey | None:
        prefix = self.did + "#"
        if not isinstance(method, str) or not method.startswith(prefix):
            return None
        key = self.keys.find(method[len(prefix) :])
        return key.public if key else None

    def document(self) -> dict:
        return did_document(self.did, self.keys)

    def list_url(self, number: int) -> str:
        return f"{self.base}/api/credentials/status/{number}"

    def list_number(self, url: str) -> int | None:
        prefix = f"{self.base}/api/credentials/status/"
        tail = url[len(prefix) :] if url.startswith(prefix) else ""
        return int(tail) if tail.isdigit() and len(tail) < 9 else None

    def verify_url(self, public_id: str) -> str:
        return f"{self.base}/verify/{public_id}"

    def public_id_of(self, credential_url: object) -> str | None:
        prefix = f"{self.base}/credentials/"
        if isinstance(credential_url, str) and credential_url.startswith(prefix):
            return credential_url[len(prefix) :][:32] or None
        return None

    def centre(self) -> Office:
        return Office(self.settings.centre_office, self.settings.centre_office_en)

    def department(self, dept: str | None) -> Office:
        return Office(*self.settings.office_for(dept))


async def load_keys(context: IssuerContext, transaction) -> None:
    """Keys from settings; in dev/standalone/test without any, the one kept in the database
    (generated on the first start, under a lock so replicas agree). ``transaction``: the boundary
    (``Runtime.transaction``) that commits a generated key."""
    if context.settings.credentials_signing_keys:
        context.ring = KeyRing.from_texts(context.settings.credentials_signing_keys)
        return
    context.ring = KeyRing.from_texts(await transaction(stored_seeds))


async def stored_seeds(uow) -> list:
    await uow.keys.lock()
    seeds = await uow.keys.seeds()
    if not seeds:
        seed = generate_seed()
        await uow.keys.add(seed)
        seeds = [seed]
    return seeds
