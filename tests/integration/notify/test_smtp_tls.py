"""The SMTP password travels only over TLS (real aiosmtpd servers, with and without STARTTLS)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notify.adapters.smtp import SmtpTransport
from notify.domain.delivery import TransientMailError
from notify.domain.mail import Mail
from notify.settings import NotifySettings
from tests.support.servers import free_port

MAIL = Mail(
    recipient="s1100001@demo.certhub.tw",
    subject="測試 / Test",
    text="內容",
    html="<p>內容</p>",
    template="certificate_recorded",
)


class Server:
    """An aiosmtpd server that offers AUTH even in clear (a badly set-up relay) and records each login."""

    def __init__(self, tls_context: ssl.SSLContext | None = None):
        self.logins: list[tuple[str, bool]] = []  # (user, over TLS)
        self.accepted = 0
        self.port = free_port()
        self.controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=tls_context,
            auth_require_tls=False,
            authenticator=self.authenticate,
        )

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        self.logins.append((auth_data.login.decode(), session.ssl is not None))
        return AuthResult(success=auth_data.password == b"s3cret")

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.accepted += 1
        return "250 OK"

    def transport(self, **options) -> SmtpTransport:
        return SmtpTransport(
            host="127.0.0.1",
            port=self.port,
            user="certhub",
            password="s3cret",
            mail_from="CertHub <no-reply@certhub.test>",
            **options,
        )


@pytest.fixture
def plain_server():
    server = Server()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smtp.certhub.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "smtp.pem", tmp_path / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.fixture
def tls_server(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    server = Server(tls_context=context)
    server.controller.start()
    yield server
    server.controller.stop()


async def test_a_server_without_tls_never_sees_the_password(plain_server):
    with pytest.raises(TransientMailError, match="refusing to send the password"):
        await plain_server.transport().send(MAIL)
    assert plain_server.logins == [] and plain_server.accepted == 0


async def test_plaintext_auth_only_when_explicitly_allowed(plain_server):
    await plain_server.transport(allow_plaintext_auth=True).send(MAIL)
    assert plain_server.logins == [("certhub", False)] and plain_server.accepted == 1


async def test_with_starttls_the_login_happens_inside_tls(tls_server, certificate):
    await tls_server.transport(ca_file=str(certificate[0])).send(MAIL)
    assert tls_server.logins == [("certhub", True)] and tls_server.accepted == 1


async def test_an_untrusted_certificate_is_not_logged_into(tls_server):
    with pytest.raises(TransientMailError):
        await tls_server.transport().send(MAIL)  # self-signed, and no CA bundle given
    assert tls_server.logins == [] and tls_server.accepted == 0


async def test_without_credentials_a_plain_relay_is_used_as_before(plain_server):
    transport = SmtpTransport(host="127.0.0.1", port=plain_server.port, mail_from="CertHub <no-reply@certhub.test>")
    await transport.send(MAIL)
    assert plain_server.accepted == 1 and plain_server.logins == []


def test_production_settings_refuse_a_password_without_tls():
    production = dict(
        env="production",
        database_url="postgresql+asyncpg://x@db/n",
        amqp_url="amqp://mq/",
        oidc_issuer="https://sso/realms/certhub",
        oidc_audience="certhub",
    )
    with pytest.raises(ValueError, match="without TLS.*CERTHUB_SMTP_ALLOW_PLAINTEXT_AUTH"):
        NotifySettings(**production, smtp_user="certhub", smtp_password="s3cret", smtp_starttls=False)
    with pytest.raises(ValueError, match="set together"):
        NotifySettings(**production, smtp_user="certhub")
    assert NotifySettings(
        **production, smtp_user="certhub", smtp_password="s3cret", smtp_starttls=False, smtp_allow_plaintext_auth=True
    ).smtp_allow_plaintext_auth
    assert NotifySettings(**production, smtp_user="u", smtp_password="p", smtp_port=465, smtp_starttls=False)
    assert NotifySettings(**production, smtp_user="u", smtp_password="p").smtp_starttls is None  # TLS or no login
