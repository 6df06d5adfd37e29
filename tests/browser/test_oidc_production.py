"""The production path a school deploys, proven with processes: the four services as in
docker-compose and Kubernetes (``CERTHUB_ENV=production``, ``CERTHUB_AUTH_MODE=oidc``, RabbitMQ,
S3, SMTP, migrations run first) behind the nginx gateway (``tests/support/stack.py``), and people
signing in through a real OpenID Provider's login page: a student registers a certificate, the
department reviewer finds and approves it, the centre sees it — nobody uses a dev login."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.ui import WAIT, days_ago, open_nav, sign_in_at_provider, until_status, until_visible
from tests.conftest import BROKER_TAGS, RUN_ID
from tests.e2e.conftest import nginx_or_skip
from tests.support import servers
from tests.support.oidc_provider import start_provider
from tests.support.samples import certificate_jpeg
from tests.support.servers import free_port
from tests.support.stack import SERVICES, Stack


def drop_databases(stack: Stack) -> None:
    """Sync Playwright owns this thread's event loop, so the clean-up runs on a thread of its own."""
    from certhub_kit.db import drop_database

    async def drop_all() -> None:
        for service in SERVICES:
            await drop_database(stack.database_url(service))

    worker = threading.Thread(target=lambda: asyncio.run(drop_all()))
    worker.start()
    worker.join(60)


@pytest.fixture(scope="module")
def production(tmp_path_factory, pg_server, s3, smtp_sink):
    # Only sync fixtures: the browser tests' Playwright may already run an event loop here.
    nginx_or_skip()
    work = tmp_path_factory.mktemp("oidc-production")
    port = free_port()
    provider = start_provider([f"http://127.0.0.1:{port}"], workdir=work)
    tag = f"t{RUN_ID}.prod"
    BROKER_TAGS.add(f"{tag}.")  # its queues and exchange are removed with the session's
    stack = Stack(
        pg_server=pg_server,
        amqp_url=servers.amqp_url(),
        s3=s3,
        smtp_host=smtp_sink.host,
        smtp_port=smtp_sink.port,
        dev_key="",
        tag=tag,
        gateway_port=port,
        extra_env={
            "CERTHUB_ENV": "production",
            **provider.app_env(),
            "CERTHUB_DEV_SIGNING_KEY": "",
            "CERTHUB_BANK_KEY": base64.b64encode(os.urandom(32)).decode(),
            # production refuses to sign records without keys (an Ed25519 seed, base64)
            "CERTHUB_CREDENTIALS_SIGNING_KEYS": json.dumps([base64.b64encode(os.urandom(32)).decode()]),
        },
    )
    try:
        stack.start(timeout=90)
    except Exception:
        stack.stop()
        provider.stop()
        raise
    yield stack, provider
    stack.stop()
    provider.stop()
    drop_databases(stack)


@pytest.fixture
def person(browser):
    """A fresh browser profile per person (their own provider session), at a laptop's width."""
    contexts = []

    def open_as() -> object:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-TW")
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def test_production_settings_offer_no_dev_login(production):
    stack, provider = production
    config = httpx.get(f"{stack.url}/api/auth/config").json()
    assert config["mode"] == "oidc" and config["issuer"] == provider.issuer and config["mailbox"] is False
    assert httpx.post(f"{stack.url}/api/auth/dev-login", json={"username": "admin"}).status_code == 404
    # A token the provider did not sign is refused by every service.
    assert httpx.get(f"{stack.url}/api/certificates", headers={"Authorization": "Bearer x.y.z"}).status_code == 401


def test_student_reviewer_and_centre_sign_in_and_work_through_the_gateway(production, person, tmp_path):
    stack, _ = production
    student = person()
    sign_in_at_provider(student, stack.url, "s1100001")
    tokens = student.evaluate("[localStorage.getItem('certhub.token'), localStorage.getItem('certhub.id_token')]")
    answers = [
        httpx.get(f"{stack.url}/api/certificates", headers={"Authorization": f"Bearer {token}"}).status_code
        for token in tokens
    ]
    assert answers == [200, 401]  # the provider's access token works; its ID token is no access token
    student.get_by_test_id("nav-cert-new").click()
    student.get_by_test_id("cert-entry-search").fill("全民英語")
    student.get_by_test_id("cert-entry-option").first.click()
    student.get_by_test_id("cert-level").select_option(index=1)
    student.get_by_test_id("cert-issued-on").fill(days_ago(20))
    scan = tmp_path / "gept.jpg"
    scan.write_bytes(certificate_jpeg(4242))
    student.get_by_test_id("cert-scan").set_input_files(str(scan))
    student.get_by_test_id("cert-submit").click()
    row = student.get_by_test_id("cert-row").first
    expect(row).to_be_visible(timeout=WAIT)
    certificate_id = row.get_attribute("data-id")

    reviewer = person()
    sign_in_at_provider(reviewer, stack.url, "rev-im")
    open_nav(reviewer, "review-queue")
    item = reviewer.locator(f"[data-testid=queue-row][data-id='{certificate_id}']")
    until_visible(lambda: reviewer.get_by_test_id("queue-search").click(), item)
    item.get_by_test_id("decision-approved").click()
    expect(item.get_by_test_id("row-message")).not_to_be_empty(timeout=WAIT)

    until_status(
        lambda: open_nav(student, "certificates"),
        student.locator(f"[data-testid=cert-row][data-id='{certificate_id}']").get_by_test_id("cert-status"),
        "approved",
    )

    centre = person()
    sign_in_at_provider(centre, stack.url, "center")
    expect(centre.get_by_test_id("current-user")).to_contain_text("職輔組")
    expect(centre.get_by_test_id("nav-payouts")).to_be_visible()
    expect(centre.get_by_test_id("nav-mailbox")).to_have_count(0)  # no test mailbox in production
