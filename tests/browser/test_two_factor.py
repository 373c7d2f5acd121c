"""A counterpart sets up two-factor sign-in, in French, at their first sign-in (the test computes the codes with
pyotp, as an authenticator app would), then signs in again with a code."""

import re

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def password_in_french(browser, live_server):
    """A new browser of a French speaker, signed in with the counterpart's password: the second factor is next."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Nom d'utilisateur").fill("counterpart")
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
    return context, page


def test_a_counterpart_enrols_in_french_and_signs_in_with_a_code(live_world, browser, live_server, settings):
    settings.MFA_REQUIRED_GROUPS = ["Counterparts"]
    context, page = password_in_french(browser, live_server)
    expect(page.get_by_role("heading", name="Activer la connexion à deux facteurs")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("code").first.inner_text().replace(" ", "")
    page.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="L’activer").click()
    expect(page.get_by_role("heading", name="La connexion à deux facteurs est activée")).to_be_visible()
    codes = [c for c in page.locator(".recovery-codes code").all_inner_texts() if re.fullmatch(r"[0-9a-f]{10}", c)]
    assert len(codes) == 10
    page.get_by_role("link", name="Continuer").click()
    expect(page.locator("main")).to_be_visible()
    context.close()

    context, page = password_in_french(browser, live_server)
    expect(page.get_by_role("heading", name="Second facteur")).to_be_visible()
    page.get_by_role("textbox", name="Code").fill(codes[0])  # a recovery code
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text("Vous avez utilisé un code de secours")).to_be_visible()
    context.close()

    # And with the app's code (the code used at enrolment is not taken twice: the test forgets it was used).
    TOTPDevice.objects.filter(user__username="counterpart").update(last_t=-1)
    context, page = password_in_french(browser, live_server)
    page.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Second facteur")).to_have_count(0)
    context.close()


def virtual_authenticator(context, page):
    """Chromium's virtual authenticator (the CDP WebAuthn domain): a platform passkey that says yes by itself."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    return cdp, authenticator


def test_a_manager_enrols_a_passkey_and_signs_in_with_it(live_world, browser, live_server, settings):
    from core.models import ActionLog
    from iomborder.models import SecurityKey

    settings.MFA_REQUIRED_GROUPS = ["Managers"]
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    cdp, authenticator = virtual_authenticator(context, page)

    def password():
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("manager")
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()

    password()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    page.get_by_label("Name of the key").fill("Laptop passkey")
    page.get_by_role("button", name="Add a security key or passkey").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is on")).to_be_visible()
    assert len(page.locator(".recovery-codes code").all_inner_texts()) == 10
    key = SecurityKey.objects.get(user__username="manager")
    assert key.name == "Laptop passkey" and key.confirmed
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    page.get_by_role("link", name="Continue").click()
    page.goto("/reviews/portfolio/")
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()

    page.locator("form[action='/accounts/logout/'] button").first.click()
    password()
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    page.get_by_role("button", name="Use your security key or passkey").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/reviews/portfolio/")
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None
    verified = ActionLog.objects.filter(action="accounts.second_factor.verified").last()
    assert verified.data["method"] == "security key"

    # A forged key (the passkey's id, another private key): refused, said, and counted for the lockout.
    page.locator("form[action='/accounts/logout/'] button").first.click()
    genuine = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"][0]
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    forged = forged_credential(genuine["credentialId"])
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": forged})
    password()
    page.get_by_role("button", name="Use your security key or passkey").click()
    expect(page.get_by_role("status").filter(has_text="could not be verified")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/accounts/two-factor/")
    failed = ActionLog.objects.filter(action="accounts.second_factor.failed").last()
    assert failed.data["method"] == "security key"
    context.close()


def forged_credential(credential_id: str) -> dict:
    """A credential with the id of a genuine one, but a private key of its own: a forgery or a bad clone."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return {
        "credentialId": credential_id,
        "isResidentCredential": False,
        "rpId": "localhost",
        "privateKey": base64.b64encode(der).decode(),
        "signCount": 100,
    }
