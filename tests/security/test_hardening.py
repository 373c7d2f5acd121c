"""Hardening of the security review: the PDF engine fetches nothing, pages are private, methods are strict,
the health check tells the outside nothing but its status, and production refuses a short key."""

import http.server
import io
import threading

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from reports.services import html_to_pdf
from tests.deploy import PRODUCTION, run_manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def http_server():
    """A web server on the loopback address that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def test_the_pdf_engine_fetches_nothing_and_attaches_no_file(http_server):
    base, hits = http_server
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body>'
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        '<link rel="attachment" href="file:///etc/hostname">'
        f'<img src="{base}/image.png"><img src="../../../../etc/passwd">'
        "<p>Body text</p></body></html>"
    )
    reader = PdfReader(io.BytesIO(html_to_pdf(html)))
    assert hits == []
    assert reader.attachments == {}
    assert "Body text" in reader.pages[0].extract_text()


def test_signed_in_pages_and_downloads_are_not_cached(client, world):
    client.force_login(world.adviser)
    for url in (reverse("reviews:list"), reverse("reviews:detail", args=[world.review.pk]), reverse("api-reviews")):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, url


def test_html_pages_are_compressed(client, world):
    client.force_login(world.adviser)
    response = client.get(reverse("reviews:workspace", args=[world.review.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize("name", ["reviews:list", "reviews:portfolio", "home"])
def test_read_only_pages_answer_405_to_other_methods(client, world, name):
    client.force_login(world.manager)
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)(reverse(name)).status_code == 405, method


def test_form_pages_answer_405_to_put_and_delete(client, world):
    client.force_login(world.adviser)
    for url in (reverse("reviews:edit", args=[world.review.pk]), reverse("preferences")):
        assert client.put(url).status_code == 405
        assert client.delete(url).status_code == 405


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(client, world):
    client.force_login(world.adviser)
    response = client.generic(
        "POST",
        reverse("instruments:instrument_create", args=["XD"]),
        b"x",
        CONTENT_TYPE="application/octet-stream",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_the_health_check_tells_the_outside_only_its_status(client):
    outside = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    assert set(outside.json()) == {"status"}
    assert "database" in client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1").json()
    with override_settings(HEALTHZ_TOKEN="probe-token"):
        detailed = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer probe-token")
        assert "database" in detailed.json()
        wrong = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")
        assert set(wrong.json()) == {"status"}


def test_the_api_schema_needs_a_signed_in_person_in_production():
    result = run_manage(
        [
            "shell",
            "-c",
            "from django.test import Client; c = Client(); print(c.get('/api/schema/', secure=True).status_code)",
        ],
        **PRODUCTION,
    )
    assert result.stdout.strip().endswith(("401", "403")), result.stdout + result.stderr


def test_a_short_secret_key_stops_start_up():
    result = run_manage(["check"], **{**PRODUCTION, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_sessions_end_after_the_idle_time(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
