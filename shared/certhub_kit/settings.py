"""Settings common to every service (pydantic-settings, prefix ``CERTHUB_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .oidc import plain_http_refused

Environment = Literal["production", "dev", "standalone", "test"]
RELAXED_ENVIRONMENTS = {"dev", "standalone", "test"}


class ServiceSettings(BaseSettings):
    """What a service needs to reach its database, broker, storage and issuer."""

    model_config = SettingsConfigDict(env_prefix="CERTHUB_", extra="ignore")

    env: Environment = "production"
    database_url: str = ""
    database_app_role: str = ""  # migrations run as the owner grant this role what the service needs
    amqp_url: str = ""
    events_exchange: str = "certhub.events"
    queue_prefix: str = ""
    consumer_prefetch: int = 200  # raised to at least consumer_batch
    consumer_batch: int = 100  # deliveries per inbox transaction (1 = one transaction per message)
    consumer_batch_wait_ms: float = 5.0  # how long a batch waits for more after its first message
    broker_start_wait_s: float = 10.0
    consumer_max_retries: int = 3
    consumer_retry_delay_ms: int = 1000
    consumer_delivery_limit: int = 10

    storage_dir: str = ""
    s3_endpoint: str = ""
    s3_public_endpoint: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_region: str = "us-east-1"
    s3_secure: bool = False
    bucket_prefix: str = "certhub-"
    scan_max_pixels: int = 20_000_000  # an uploaded image with more is refused from its header (pixels.py)
    scan_pixels_in_flight: int = 20_000_000  # decoded at once by this process, all uploads together

    public_base_url: str = "http://127.0.0.1:8000"
    auth_mode: Literal["dev", "oidc"] = "oidc"
    dev_signing_key: str = ""
    oidc_issuer: str = ""
    oidc_audience: str = ""
    oidc_client_id: str = "certhub-web"  # the web client; a token whose azp names another client is refused
    oidc_scopes: str = "openid profile email"
    oidc_claims: dict[str, str] = {}  # renamed claims, e.g. {"roles": "groups"} (certhub_kit.auth.CLAIM_NAMES)
    oidc_jwks_url: str = ""  # empty: the jwks_uri of the issuer's discovery document
    oidc_leeway_s: float = Field(30.0, ge=0, le=60)  # clock skew allowed on exp/nbf/iat
    oidc_allow_http: bool = False  # plain-HTTP issuer/JWKS on a private network (compose); loopback always may

    migrate_on_start: bool = True
    relay_interval_s: float = 0.5
    relay_idle_interval_s: float = 5.0  # an idle relay backs off to this; a commit in the process wakes it at once
    relay_batch: int = 100
    log_level: str = "INFO"
    log_json: bool = True

    @field_validator("oidc_claims")
    @classmethod
    def _known_claims(cls, names: dict[str, str]) -> dict[str, str]:
        from .auth import CLAIM_NAMES

        unknown = sorted(set(names) - set(CLAIM_NAMES))
        if unknown:
            raise ValueError(f"CERTHUB_OIDC_CLAIMS renames unknown parts {unknown}; known: {sorted(CLAIM_NAMES)}")
        return names

    @property
    def relaxed(self) -> bool:
        return self.env in RELAXED_ENVIRONMENTS

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> ServiceSettings:
        if self.relaxed:
            return self
        if self.auth_mode == "dev" or self.dev_signing_key:
            raise ValueError("dev auth cannot be enabled in production (CERTHUB_ENV=production)")
        if not self.database_url:
            raise ValueError("CERTHUB_DATABASE_URL is required in production")
        if not self.amqp_url:
            raise ValueError("CERTHUB_AMQP_URL is required in production (the in-process bus is standalone only)")
        self._refuse_unsafe_oidc()
        if self.s3_endpoint and self.s3_secret_key in {"", "minioadmin", "changeme", "secret"}:
            raise ValueError("refusing a default or empty S3 secret in production")
        return self

    def _refuse_unsafe_oidc(self) -> None:
        if not self.oidc_issuer:
            raise ValueError("CERTHUB_OIDC_ISSUER is required in production (the provider's issuer URL)")
        if not self.oidc_audience:
            raise ValueError("CERTHUB_OIDC_AUDIENCE is required in production (the aud of access tokens for this API)")
        for name, url in (("CERTHUB_OIDC_ISSUER", self.oidc_issuer), ("CERTHUB_OIDC_JWKS_URL", self.oidc_jwks_url)):
            if url and plain_http_refused(url) and not self.oidc_allow_http:
                raise ValueError(
                    f"{name} must use https:// in production (got {url}); plain http is allowed only "
                    "to a loopback host, or on a private network with CERTHUB_OIDC_ALLOW_HTTP=true"
                )
