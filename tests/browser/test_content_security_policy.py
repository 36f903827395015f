"""Every page keeps to the Content Security Policy (cjm/settings.py, SECURE_CSP): no inline
script, handler or style attribute slips in. Chromium reports each refusal on the console."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from .conftest import orm, session_key

pytestmark = pytest.mark.browser


def _admin_user():
    from django.contrib.auth.models import User

    return User.objects.filter(username="root").first() or User.objects.create_superuser(
        "root", password="password", first_name="Root"
    )


@pytest.fixture
def visit(browser, server, cast):
    """visit(user or None, path) -> the CSP refusals Chromium reported while the page loaded."""
    contexts = []

    def open_page(user, path, wait_for=None):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        if user is not None:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": orm(session_key, user),
                        "url": server.url,
                    }
                ]
            )
        page = context.new_page()
        refusals = []
        page.on(
            "console",
            lambda message: (
                refusals.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        page.on("pageerror", lambda error: refusals.append(f"page error: {error}"))
        response = page.goto(f"{server.url}{path}")
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        if wait_for:
            expect(page.locator(wait_for).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        return refusals

    yield open_page
    for context in contexts:
        context.close()


def test_login_page_keeps_to_the_policy(visit):
    assert visit(None, "/accounts/login/") == []


def test_workshop_pages_keep_to_the_policy(visit, cast):
    assert visit(cast["alice"], "/") == []
    assert visit(cast["alice"], f"/workshops/{cast['workshop'].pk}/") == []


def test_the_live_board_keeps_to_the_policy(visit, cast, journey_map):
    assert visit(cast["alice"], f"/maps/{journey_map.pk}/", wait_for="#conn-status") == []


def test_the_api_docs_keep_to_the_policy(visit, cast):
    assert visit(cast["alice"], "/api/docs/", wait_for=".swagger-ui .info") == []


def test_the_admin_keeps_to_the_policy(visit, journey_map):
    root = orm(_admin_user)
    assert visit(root, "/admin/") == []
    assert visit(root, "/admin/workshops/journeymap/") == []
    assert visit(root, f"/admin/workshops/journeymap/{journey_map.pk}/change/") == []
