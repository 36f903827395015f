"""AGPL section 13: every page leads to the source, and that page is open to everyone."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_the_source(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("source")}"' in page
    assert f'href="{reverse("source-license")}"' in page


def test_the_source_page_needs_no_login(client, settings):
    settings.SOURCE_URL = ""
    response = client.get("/source/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "GNU Affero General Public License" in page
    assert "version 0.1.0" in page or "version unknown" in page
    assert "has not said where to download" in page
    assert 'href="/source/LICENSE"' in page


def test_the_source_page_links_to_the_configured_source(client, settings):
    settings.SOURCE_URL = "https://code.example.org/cjm/archive/v0.1.0.tar.gz"
    page = client.get("/source/").content.decode()
    assert '<a href="https://code.example.org/cjm/archive/v0.1.0.tar.gz">' in page
    assert "has not said" not in page


def test_the_licence_is_served_as_plain_text(client):
    response = client.get("/source/LICENSE")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert text.rstrip().endswith("<https://www.gnu.org/licenses/>.")


def test_the_footer_keeps_to_the_content_security_policy(client):
    # No inline style or script may come with it: the policy refuses them in every mode.
    footer = client.get(reverse("login")).content.decode().split('<footer class="site-footer">')[1]
    footer = footer.split("</footer>")[0]
    assert "style=" not in footer and "<script" not in footer
