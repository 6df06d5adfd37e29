"""Signing in through a real OpenID Provider (npm oidc-provider, configured from the Keycloak
realm file) against the standalone system run as a small school would: ``./run`` with
``CERTHUB_OIDC_ISSUER`` set. Authorization Code + PKCE in the browser (oauth4webapi), tokens
renewed before they expire, a half-filled form that outlives its access token, what was typed
restored after signing in again, and sign-out that ends the provider's session."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import start_standalone, stop_standalone
from tests.browser.ui import WAIT, days_ago, provider_sign_in, sign_in_at_provider
from tests.support.oidc_provider import start_provider
from tests.support.samples import certificate_jpeg
from tests.support.servers import free_port

ACCESS_TTL = 12  # seconds: short enough to expire while a form is open


@pytest.fixture(scope="module")
def oidc_system(tmp_path_factory):
    work = tmp_path_factory.mktemp("oidc-standalone")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = start_provider([base], access_ttl=ACCESS_TTL, workdir=work)
    try:
        # No clock leeway here, so an expired token is refused the moment it expires.
        process = start_standalone(
            port, work / "data", {**provider.app_env(), "CERTHUB_PUBLIC_BASE_URL": base, "CERTHUB_OIDC_LEEWAY_S": "0"}
        )
    except Exception:
        provider.stop()
        raise
    yield base, provider
    stop_standalone(process)
    provider.stop()


@pytest.fixture
def oidc_page(browser, oidc_system):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-TW")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def test_dev_login_is_off_and_the_client_is_told_where_to_sign_in(oidc_system):
    base, provider = oidc_system
    config = httpx.get(f"{base}/api/auth/config").json()
    assert config == {
        "mode": "oidc",
        "mailbox": True,
        "issuer": provider.issuer,
        "client_id": "certhub-web",
        "scopes": "openid profile email",
        "redirect_uri": f"{base}/auth/callback",
        "post_logout_redirect_uri": f"{base}/",
    }
    assert httpx.post(f"{base}/api/auth/dev-login", json={"username": "admin"}).status_code == 404
    assert httpx.get(f"{base}/api/auth/demo-users").status_code == 404


@pytest.mark.parametrize(
    ("username", "name", "home", "nav"),
    [
        ("s1100001", "王小明", "#/certificates", "nav-cert-new"),
        ("rev-im", "林審核", "#/review/queue", "nav-first-review"),
        ("center", "職輔組", "#/review/queue", "nav-payouts"),
    ],
)
def test_each_role_signs_in_at_the_provider(oidc_page, oidc_system, username, name, home, nav):
    base, _ = oidc_system
    page = oidc_page
    page.goto(base + "/")
    expect(page.get_by_test_id("login-user-s1100001")).to_have_count(0)  # no demo buttons
    with page.expect_request(re.compile(r"^http://127\.0\.0\.1:\d+/auth\?")) as authorization:
        page.get_by_test_id("login-oidc").click()
    asked = authorization.value.url
    assert all(
        part in asked
        for part in (
            "code_challenge_method=S256",
            "code_challenge=",
            "nonce=",
            "state=",
            "response_type=code",
            "client_id=certhub-web",
        )
    )
    provider_sign_in(page, username, "wrong")
    expect(page.locator("#op-error")).to_be_visible()
    provider_sign_in(page, username)
    user = page.get_by_test_id("current-user")
    expect(user).to_have_attribute("data-username", username, timeout=WAIT)
    expect(user).to_contain_text(name)  # the person's name, never the provider's subject UUID
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", user.inner_text())
    expect(page).to_have_url(base + "/" + home)
    expect(page.get_by_test_id(nav)).to_be_visible()


def fill_half_a_certificate(page) -> None:
    page.get_by_test_id("nav-cert-new").click()
    page.get_by_test_id("cert-entry-search").fill("全民英語")
    page.get_by_test_id("cert-entry-option").first.click()
    page.get_by_test_id("cert-level").select_option(index=1)
    page.get_by_test_id("cert-issued-on").fill(days_ago(10))
    page.get_by_test_id("cert-certificate-no").fill("GEPT-OIDC-0001")
    page.get_by_test_id("cert-remarks").fill("填到一半 / half-filled")


def submit_with_scan(page, tmp_path, seed: int) -> None:
    scan = tmp_path / f"scan-{seed}.jpg"
    scan.write_bytes(certificate_jpeg(seed))
    page.get_by_test_id("cert-scan").set_input_files(str(scan))
    page.get_by_test_id("cert-submit").click()


def test_a_half_filled_form_outlives_its_access_token(oidc_page, oidc_system, tmp_path):
    base, _ = oidc_system
    page = oidc_page
    sign_in_at_provider(page, base, "s1100002")
    first_token = page.evaluate("localStorage.getItem('certhub.token')")
    fill_half_a_certificate(page)
    # The access token lives ACCESS_TTL seconds; the client renews it before it runs out.
    page.wait_for_function(
        "t => localStorage.getItem('certhub.token') !== t", arg=first_token, timeout=(ACCESS_TTL + 10) * 1000
    )
    page.wait_for_timeout(ACCESS_TTL * 1000)  # longer than the first token ever lived
    expect(page.get_by_test_id("cert-certificate-no")).to_have_value("GEPT-OIDC-0001")
    submit_with_scan(page, tmp_path, 7)
    row = page.get_by_test_id("cert-row").first
    expect(row).to_be_visible(timeout=WAIT)
    expect(row).to_contain_text("全民英語")
    expect(page).to_have_url(re.compile(r"#/certificates$"))


def test_what_was_typed_comes_back_after_signing_in_again(oidc_page, oidc_system, tmp_path):
    base, _ = oidc_system
    page = oidc_page
    sign_in_at_provider(page, base, "s1100003")
    fill_half_a_certificate(page)
    # The refresh token is gone (revoked, or the provider forgot it): the token simply expires.
    page.evaluate("localStorage.removeItem('certhub.refresh_token')")
    page.wait_for_timeout((ACCESS_TTL + 2) * 1000)
    submit_with_scan(page, tmp_path, 8)  # 401 → sign in again at the provider (its session still holds)
    expect(page).to_have_url(re.compile(r"#/certificates/new$"), timeout=WAIT)
    expect(page.get_by_test_id("form-message")).to_contain_text("已還原", timeout=WAIT)
    expect(page.get_by_test_id("cert-certificate-no")).to_have_value("GEPT-OIDC-0001")
    expect(page.get_by_test_id("cert-remarks")).to_have_value("填到一半 / half-filled")
    expect(page.get_by_test_id("cert-issued-on")).to_have_value(days_ago(10))
    expect(page.get_by_test_id("cert-entry-search")).to_have_value(re.compile("全民英語"))
    submit_with_scan(page, tmp_path, 9)  # only the file has to be chosen again
    row = page.get_by_test_id("cert-row").first
    expect(row).to_contain_text("全民英語", timeout=WAIT)


def test_sign_out_ends_the_provider_session(oidc_page, oidc_system):
    base, provider = oidc_system
    page = oidc_page
    sign_in_at_provider(page, base, "s1100001")
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(re.escape(provider.issuer) + r"/session/end"), timeout=WAIT)
    page.locator("#op-logout-yes").click()
    expect(page.get_by_test_id("login-oidc")).to_be_visible(timeout=WAIT)
    assert page.evaluate("localStorage.getItem('certhub.token')") is None
    page.get_by_test_id("login-oidc").click()
    expect(page.locator("#op-username")).to_be_visible(timeout=WAIT)  # credentials asked for again
