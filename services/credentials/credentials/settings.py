"""Settings of the credentials service (``CERTHUB_CREDENTIALS_*`` and the common ones)."""

from __future__ import annotations

from pydantic import Field, model_validator

from certhub_kit.settings import ServiceSettings

from .domain.keys import KeyRing

DEMO_DEPARTMENTS = {
    "IM": ["資訊管理學系", "Department of Information Management"],
    "EE": ["電機工程學系", "Department of Electrical Engineering"],
}


class CredentialsSettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8005

    # Ed25519 keys (PEM, or base64 of the 32-byte seed), newest first: the first signs, all are
    # published in /.well-known/did.json. Required in production; relaxed environments without one
    # generate a key on first start and keep it in the service's database.
    credentials_signing_keys: list[str] = Field(default_factory=list)
    school_name: str = "CertHub 示範大學"
    school_name_en: str = "CertHub Demo University"
    centre_office: str = "職涯發展與輔導組"
    centre_office_en: str = "Career Development and Counseling Section"
    department_names: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEMO_DEPARTMENTS.items()}
    )
    status_list_size: int = Field(131_072, ge=131_072, le=8 * 1024 * 1024)
    status_list_ttl_s: int = Field(300, ge=10, le=86_400)
    verify_upload_max_bytes: int = Field(256 * 1024, ge=1024, le=4 * 1024 * 1024)

    @model_validator(mode="after")
    def _check_credentials(self) -> CredentialsSettings:
        if self.status_list_size % 8:
            raise ValueError("CERTHUB_STATUS_LIST_SIZE must be a multiple of 8")
        if self.credentials_signing_keys:
            KeyRing.from_texts(self.credentials_signing_keys)  # refuse a malformed key at start-up
        elif not self.relaxed:
            raise ValueError("CERTHUB_CREDENTIALS_SIGNING_KEYS is required in production")
        return self

    def office_for(self, dept: str | None) -> tuple[str, str]:
        names = self.department_names.get(dept or "")
        if names and len(names) == 2:
            return names[0], names[1]
        return (f"{dept}系所" if dept else "系所審核單位"), (f"department {dept}" if dept else "department office")
