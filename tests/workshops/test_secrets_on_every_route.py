"""One rule for secrets on every way out: a secret change (a card made during private
brainstorming, a dot in an open vote) must not change anything another member can read, but
the map's revision. The routes are enumerated from the URL configuration, so that a route added
later is swept too (or this test names it, until it is taught its ids)."""

import json
import re
import subprocess

import pytest
from asgiref.sync import async_to_sync
from django.urls import URLPattern, URLResolver, get_resolver

from documents import versions
from documents.sharing import links as share_links
from tests.live import headers_for, open_board
from workshops import services
from workshops.services import comments, voting

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_TEXT = "PSST-nobody-else-may-read-this"
# Values that change with any change of the map, a secret one included: its revision, its
# times, the moment of an export. A secret change may move them; nothing else.
MOVING = {"revision", "updated_at", "exported_at", "at", "now"}
# The reader's own logins, in the access export (/api/me/data/): the sweep itself makes them.
MOVING |= {"last_login", "logins"}
NOT_SWEPT = {"api-schema", "api-docs"}  # about the API, not any map
# Which ids each route parameter takes, from the world below.
PARAMETERS = {
    "workshop_id",
    "map_id",
    "user_id",
    "invite_id",
    "persona_id",
    "stage_id",
    "lane_id",
    "card_id",
    "pk",
    "version_id",
    "import_id",
    "export_id",
    "webhook_id",
    "comment_id",
    "share_link_id",
}
ROUTE_PARAMETER = re.compile(r"<\w+:(\w+)>")  # <id:map_id>, <int:pk>: whatever the converter


def read_routes():
    """(route pattern, name) of every API route that answers GET."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name, pattern.callback

    for route, name, view in walk(get_resolver().url_patterns):
        view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
        if route.startswith("api/") and hasattr(view_class, "get") and name not in NOT_SWEPT:
            yield route, name


def url_of(route: str, ids: dict) -> str:
    names = ROUTE_PARAMETER.findall(route)
    unknown = set(names) - PARAMETERS
    assert not unknown, f"teach this sweep the ids of {route}: {unknown}"
    return "/" + ROUTE_PARAMETER.sub(lambda match: str(ids[match.group(1)]), route)


def variants(name: str, ids: dict) -> list[str]:
    """Query strings worth reading each route with."""
    return {
        # Bob's changes newest first, as the history panel's filter reads them (a page of all
        # changes holds a placeholder for a secret one: everyone may know a revision passed).
        "api-map-events": [
            f"?actor={ids['bob']}&before=1000000&limit=1",
            "",
            f"?actor={ids['bob']}",
            f"?actor={ids['bob']}&limit=1",
            f"?before={ids['before']}&limit=2",
            f"?actor={ids['bob']}&before={ids['before']}&limit=1",
        ],
        "api-map-compare": [f"?version={ids['version_id']}", f"?with={ids['other_map']}"],
        "api-evidence-scores": ["", f"?stage={ids['stage_id']}"],
        "api-map-list": ["", f"?workshop={ids['workshop_id']}", "?archived=true"],
        # The secret's own words, and words every map of the world holds.
        "api-search": ["?q=PSST", "?q=nobody+else+may+read", "?q=stage", "?q=card"],
    }.get(name, [""])


def steady(data):
    """The reading less what any change moves; hidden placeholders in lists left out."""
    if isinstance(data, dict):
        return {key: steady(value) for key, value in data.items() if key not in MOVING}
    if isinstance(data, list):
        return [
            steady(item)
            for item in data
            if not (isinstance(item, dict) and item.get("event") == "hidden")
        ]
    return data


def reading(client, url: str):
    response = client.get(url)
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        return ("pdf", pdf_words(response.content))
    if "json" in kind:
        return (response.status_code, steady(json.loads(response.content or b"null")))
    return (response.status_code, kind)  # a picture: its status is what a reader learns


def pdf_words(data: bytes) -> str:
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True).stdout
    return re.sub(r"\d", "#", text.decode())  # dates and revisions move; words must not


def everything_carol_reads(client_for, carol, ids) -> dict:
    client = client_for(carol)
    found = {}
    for route, name in read_routes():
        for query in variants(name, ids):
            url = url_of(route, ids) + query
            found[url] = reading(client, url)
    found["socket snapshot"] = steady(
        async_to_sync(snapshot_for)(headers_for(carol), ids["map_id"])
    )
    # Whoever holds a share link (with the evidence, following the presentation) sees no more.
    found["share link"] = reading(client_for(None), f"/share/{ids['share_token']}/board.json")
    return found


async def snapshot_for(headers, map_id):
    board, snapshot = await open_board(headers, map_id)
    await board.disconnect()
    return snapshot


def assert_unchanged(before: dict, after: dict):
    changed = [url for url in before if before[url] != after[url]]
    assert not changed, (
        f"a secret change shows on {changed[0]}: {before[changed[0]]} -> {after[changed[0]]}"
    )


@pytest.fixture
def world(alice, bob, carol, workshop, journey_map, stages, lanes, card, client_for):
    """Everything a route can be asked about, as Carol (a viewer) may ask."""
    services.persona_create(actor=alice, workshop=workshop, name="Returning shopper")
    from evidence import services as evidence

    evidence.evidence_attach(
        actor=bob,
        map=journey_map,
        kind="survey",
        stage_id=stages[0].pk,
        question="How likely are you to recommend us?",
        score=9,
    )
    piece = journey_map.evidence.get()
    comment = comments.comment_create(
        actor=bob, map=journey_map, card_id=card.pk, text="@alice three visits?"
    )
    version = versions.version_save(actor=bob, map=journey_map, name="Before the workshop")
    other = services.map_create(actor=alice, workshop=workshop, title="Future state")
    share_link, share_token = share_links.share_link_create(
        actor=alice, map=journey_map, include_evidence=True, follow_present=True
    )
    journey_map.refresh_from_db()
    return {
        "workshop_id": workshop.pk,
        "map_id": journey_map.pk,
        "user_id": bob.pk,
        "bob": bob.pk,
        "invite_id": 1,
        "persona_id": workshop.personas.get().pk,
        "stage_id": stages[0].pk,
        "lane_id": lanes["pain_points"].pk,
        "card_id": card.pk,
        "pk": piece.pk,
        "version_id": version.pk,
        "import_id": 1,
        "export_id": 1,
        "webhook_id": 1,
        "share_link_id": share_link.pk,
        "share_token": share_token,
        "comment_id": comment.payload["comment"]["id"],
        "other_map": other.pk,
        "before": journey_map.revision + 1,
    }


def test_a_card_made_in_private_brainstorming_shows_nowhere_else(
    alice, bob, carol, journey_map, stages, lanes, world, client_for
):
    voting.private_start(actor=alice, map=journey_map)
    before = everything_carol_reads(client_for, carol, world)

    services.card_create(
        actor=bob,
        map=journey_map,
        stage_id=stages[1].pk,
        lane_id=lanes["pain_points"].pk,
        text=SECRET_TEXT,
    )

    after = everything_carol_reads(client_for, carol, world)
    assert_unchanged(before, after)
    assert SECRET_TEXT not in json.dumps(after, default=str)


def test_a_dot_in_an_open_vote_shows_nowhere_else(
    alice, bob, carol, journey_map, stages, lanes, world, client_for
):
    pain = services.card_create(
        actor=alice,
        map=journey_map,
        stage_id=stages[1].pk,
        lane_id=lanes["pain_points"].pk,
        text="Shipping costs hidden",
    )
    vote = voting.vote_open(actor=alice, map=journey_map, dots_per_person=3)
    round_id = vote.payload["vote"]["round"]
    before = everything_carol_reads(client_for, carol, world)

    voting.vote_place(
        actor=bob, map=journey_map, round_id=round_id, card_id=pain.payload["card"]["id"]
    )

    assert_unchanged(before, everything_carol_reads(client_for, carol, world))


def test_restoring_a_version_in_private_brainstorming_does_not_count_the_hidden_cards(
    alice, bob, journey_map, stages, lanes, world
):
    from django.core.exceptions import ValidationError

    voting.private_start(actor=alice, map=journey_map)
    for text in ("one", "two", "three"):
        services.card_create(
            actor=alice,
            map=journey_map,
            stage_id=stages[0].pk,
            lane_id=lanes["thoughts"].pk,
            text=text,
        )
    version = journey_map.versions.get()

    with pytest.raises(ValidationError) as refused:
        versions.version_restore(actor=bob, map=journey_map, version=version)

    assert not re.search(r"\d", " ".join(refused.value.messages))


def test_a_comment_on_a_private_card_shows_nowhere_else(
    alice, bob, carol, journey_map, stages, lanes, world, client_for
):
    voting.private_start(actor=alice, map=journey_map)
    card = services.card_create(
        actor=bob, map=journey_map, stage_id=stages[1].pk, lane_id=lanes["pain_points"].pk
    ).payload["card"]["id"]
    before = everything_carol_reads(client_for, carol, world)

    comments.comment_create(actor=bob, map=journey_map, card_id=card, text=f"@carol {SECRET_TEXT}")

    after = everything_carol_reads(client_for, carol, world)
    assert_unchanged(before, after)
    assert SECRET_TEXT not in json.dumps(after, default=str)
