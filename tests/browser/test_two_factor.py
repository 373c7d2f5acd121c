"""A counterpart sets up two-factor sign-in, in French, at their first sign-in (the test computes the codes with
pyotp, as an authenticator app would), then signs in again with a code."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_counterpart_enrols_in_french_and_signs_in_with_a_code(live_world, browser, live_server, settings):
    settings.MFA_REQUIRED_GROUPS = ["Counterparts"]
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Nom d'utilisateur").fill("counterpart")
    page.get_by_label("Mot de passe").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Se connecter").click()
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

    second = browser.new_context(base_url=live_server.url, locale="fr-FR")
    again = second.new_page()
    again.goto("/accounts/login/")
    again.get_by_label("Nom d'utilisateur").fill("counterpart")
    again.get_by_label("Mot de passe").fill(factories.PASSWORD)
    again.locator("main").get_by_role("button", name="Se connecter").click()
    expect(again.get_by_role("heading", name="Second facteur")).to_be_visible()
    again.get_by_role("textbox", name="Code").fill(codes[0])  # a recovery code
    again.get_by_role("button", name="Continuer").click()
    expect(again.get_by_text("Vous avez utilisé un code de secours")).to_be_visible()
    second.close()
