"""Accessible by default: axe-core finds no serious or critical violation on any page but the
live board (whose layout has its own checks), as each role sees it, with every folded section
opened. axe-core comes from npm at test time (`make test-browser` installs it under
.test-tools/, never committed) and is injected through the browser's own devtools channel, so
the app's Content Security Policy stays as it is: the page never allows a script it would not."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from documents import versions
from documents.sharing import links as share_links
from evidence import services as evidence
from workshops import services
from workshops.services import invites

from .conftest import ROOT, orm, session_key

pytestmark = pytest.mark.browser

AXE = ROOT / ".test-tools" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: `make {AXE.relative_to(ROOT)}` installs it from npm")
    return Path(AXE).read_text()


def _world(cast):
    """A workshop in the middle of its life: a map with cards, evidence, a persona, a saved
    version and an invite; a second map to compare with; a third archived."""
    alice, workshop = cast["alice"], cast["workshop"]
    journey_map = services.map_create(
        actor=alice, workshop=workshop, title="Checkout journey", template="b2c"
    )
    stage = journey_map.stages.first()
    lane = journey_map.lanes.get(kind="pain_points")
    services.card_create(
        actor=alice, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text="Hidden size guide"
    )
    evidence.evidence_attach(
        actor=alice, map=journey_map, stage_id=stage.pk, kind="metric",
        name="Site search before purchase", value=8, unit="%",
    )  # fmt: skip
    evidence.evidence_attach(
        actor=alice, map=journey_map, stage_id=stage.pk, kind="quote",
        text="I keep the cart as my wishlist.", who="Returning buyer",
    )  # fmt: skip
    persona = services.persona_create(actor=alice, workshop=workshop, name="Mia", segment="Mobile")
    services.map_update(actor=alice, map=journey_map, persona=persona.pk)
    version = versions.version_save(actor=alice, map=journey_map, name="Workshop day")
    evidence.evidence_attach(
        actor=alice, map=journey_map, stage_id=stage.pk, kind="recording",
        url="https://www.youtube.com/watch?v=abc123",
    )  # fmt: skip
    services.map_create(actor=alice, workshop=workshop, title="Insurer journey", template="b2b")
    archived = services.map_create(
        actor=alice, workshop=workshop, title="Spring sale", template="blank"
    )
    services.map_archive(actor=alice, map=archived)
    invite = invites.invite_create(
        actor=alice, workshop=workshop, role="editor", expires="1d", map_id=journey_map.pk
    )
    _, share = share_links.share_link_create(actor=alice, map=journey_map, include_evidence=True)
    return {
        "share": share,
        "w": workshop.pk,
        "m": journey_map.pk,
        "v": version.pk,
        "p": persona.pk,
        "i": invite.pk,
        "token": invite.token,
    }


@pytest.fixture(scope="module")
def world(cast):
    return orm(_world, cast)


# (who, the page's path, what shows once its script has drawn it); `who` None: logged out.
PAGES = {
    "login": (None, "/accounts/login/", None),
    "signup": (None, "/accounts/signup/", None),
    "join by a link": (None, "/join/{token}/", None),
    "page not found": (None, "/no-such-page/", None),
    "source": (None, "/source/", None),
    "workshop list": ("alice", "/", None),
    "workshop page, facilitator": ("alice", "/workshops/{w}/", None),
    "workshop page, editor": ("bob", "/workshops/{w}/", None),
    "workshop page, viewer": ("carol", "/workshops/{w}/", None),
    "invite as a QR code": ("alice", "/workshops/{w}/invites/{i}/qr/", None),
    "delete a map": ("alice", "/maps/{m}/delete/", None),
    "delete a persona": ("alice", "/workshops/{w}/personas/{p}/delete/", None),
    "versions": ("alice", "/maps/{m}/versions/", None),
    "a version": ("alice", "/maps/{m}/versions/{v}/", None),
    "restore a version": ("alice", "/maps/{m}/versions/{v}/restore/", None),
    "delete a version": ("alice", "/maps/{m}/versions/{v}/delete/", None),
    "compare with a version": ("alice", "/maps/{m}/compare/?with=version-{v}", "#compare-evidence"),
    "export the PDF": ("alice", "/maps/{m}/export/", None),
    "import evidence": ("alice", "/maps/{m}/evidence/import/", None),
    "webhooks": ("alice", "/workshops/{w}/webhooks/", None),
    "e-mail preferences": ("alice", "/notifications/", None),
    "change the password": ("alice", "/accounts/password_change/", None),
    "share links": ("alice", "/maps/{m}/share/", None),
    "a shared map": (None, "/share/{share}/", ".card"),
    "your data": ("bob", "/accounts/data/", None),
    "search": ("alice", "/search/?q=size+guide", "mark >> nth=0"),
    "mentions": ("bob", "/mentions/", None),
    "opportunities": ("alice", "/workshops/{w}/opportunities/", None),
}


def violations(page, axe_source: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it stands, one line each."""
    page.evaluate(axe_source)  # through devtools: the page's CSP does not apply, nor change
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(browser, server, cast, world, axe_source, name):
    who, template, drawn = PAGES[name]
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        if who:
            value = orm(session_key, cast[who])
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": server.url}]
            )
        page = context.new_page()
        response = page.goto(server.url + template.format(**world))
        assert response.status == (404 if name == "page not found" else 200)
        if drawn:
            expect(page.locator(drawn)).to_be_visible()
        page.wait_for_load_state("networkidle")
        # Every folded part open: its forms and lists are part of the page too.
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        assert violations(page, axe_source) == [], name
    finally:
        context.close()


def test_the_check_finds_a_violation_when_there_is_one(browser, server, axe_source):
    # The check itself can fail: a page with an unlabelled field and an image without text.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "/accounts/login/")
        page.evaluate(
            "document.querySelector('main').insertAdjacentHTML('beforeend',"
            " '<input type=text><img src=x.png>')"
        )
        found = violations(page, axe_source)
        assert any(line.startswith("label ") for line in found)
        assert any(line.startswith("image-alt ") for line in found)
    finally:
        context.close()
