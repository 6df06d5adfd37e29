"""Settings of the notify service."""

from __future__ import annotations

from pydantic import Field, model_validator

from certhub_kit.settings import ServiceSettings

DEMO_REVIEWERS = {"IM": ["rev-im@demo.certhub.tw"], "EE": ["rev-ee@demo.certhub.tw"]}
DEMO_CENTER = ("center@demo.certhub.tw",)


class NotifySettings(ServiceSettings):
    host: str = "0.0.0.0"
    port: int = 8004

    # sending
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool | None = None  # None: upgrade when the server offers STARTTLS; True: require it
    # With a user and password, the password is sent only over TLS (STARTTLS, or implicit TLS on port 465):
    # a server offering none is refused unless this is true (a relay on a trusted private network).
    smtp_allow_plaintext_auth: bool = False
    smtp_ca_file: str = ""  # extra CA bundle (PEM) for the SMTP server's certificate, e.g. a campus CA
    smtp_timeout_s: float = 15.0
    mail_from: str = "CertHub 證照系統 <no-reply@certhub.local>"
    mail_capture: bool = False  # standalone: keep mails in the database instead of SMTP
    sender_interval_s: float = 0.5
    sender_idle_interval_s: float = 5.0  # an idle sender backs off to this (at most the first retry delay)
    # Mails in flight at once, each its own SMTP session and transaction. More is faster, but a database
    # outage between the server's 250 and the commit can then repeat up to that many mails (R7's budget
    # is 0.1 %), so one is the default.
    sender_concurrency: int = 1
    sender_batch: int = 20
    mail_retry_base_s: float = 5.0
    mail_retry_max_s: float = 900.0
    mail_max_attempts: int = 10

    # reminders and digests (Asia/Taipei)
    scheduler_enabled: bool = True
    scheduler_interval_s: float = 300.0
    reminder_hour: int = Field(8, ge=0, le=23)
    digest_hour: int = Field(8, ge=0, le=23)
    reward_window_opens: str = "04-01"  # MM-DD, each year
    reward_window_closes: str = "04-30"
    # Digest recipients per department besides the reviewers seen using the review API. Unset: the demo
    # addresses in dev/standalone/test, none in production (then only reviewers seen get digests).
    reviewer_emails: dict[str, list[str]] | None = None
    # The centre's overdue digest, besides centre staff seen using the review API (demo address outside production).
    center_emails: list[str] | None = None
    reviewer_seen_days: int = Field(180, ge=1, le=3650)  # a reviewer not seen for this long gets no digest

    @model_validator(mode="after")
    def _check_notify(self) -> NotifySettings:
        for value in (self.reward_window_opens, self.reward_window_closes):
            month, _, day = value.partition("-")
            if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
                raise ValueError(f"reward window dates are MM-DD (got {value!r})")
        if not self.relaxed and self.mail_capture:
            raise ValueError("mail capture is for standalone/dev only (CERTHUB_ENV=production)")
        if not self.relaxed:
            self._refuse_plaintext_smtp_auth()
        if self.reviewer_emails is None:
            self.reviewer_emails = {k: list(v) for k, v in DEMO_REVIEWERS.items()} if self.relaxed else {}
        if self.center_emails is None:
            self.center_emails = list(DEMO_CENTER) if self.relaxed else []
        return self

    def _refuse_plaintext_smtp_auth(self) -> None:
        if bool(self.smtp_user) != bool(self.smtp_password):
            raise ValueError("CERTHUB_SMTP_USER and CERTHUB_SMTP_PASSWORD are set together or not at all")
        if (
            self.smtp_user
            and self.smtp_starttls is False
            and self.smtp_port != 465
            and not self.smtp_allow_plaintext_auth
        ):
            raise ValueError(
                "CERTHUB_SMTP_STARTTLS=false with CERTHUB_SMTP_USER would send the SMTP password "
                "without TLS; use STARTTLS (or port 465), or set CERTHUB_SMTP_ALLOW_PLAINTEXT_AUTH=true"
            )

    @property
    def serves_mailbox(self) -> bool:
        """The captured-mail viewer exists only in relaxed environments, never in production."""
        return self.relaxed and (self.mail_capture or self.auth_mode == "dev")
