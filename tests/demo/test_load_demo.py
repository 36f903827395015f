"""`manage.py load_demo`: the two case-study workshops, built through the services, and safe to
run again."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from evidence import coverage
from evidence import services as evidence_services
from evidence.models import Evidence
from workshops import services
from workshops.models import (
    Card,
    CardLink,
    Comment,
    JourneyMap,
    LaneKind,
    MapEvent,
    Membership,
    Mention,
    Opportunity,
    Persona,
    Role,
    Stage,
    Workshop,
)

pytestmark = pytest.mark.django_db

MODELS = [
    *(User, Workshop, Membership, Persona, JourneyMap, Stage, Card, MapEvent, Evidence),
    *(CardLink, Opportunity, Comment, Mention),
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module: loading it is most of this module's time. Each
    test's own changes are rolled back with its transaction; the demo goes after the module."""
    media = tmp_path_factory.mktemp("media")  # the demo's heatmap picture
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as the tests log in (conftest)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        load_demo()
        yield
        call_command("flush", interactive=False, verbosity=0)


def test_loading_twice_creates_no_duplicates(demo):
    first = counts()
    output = load_demo()
    assert counts() == first
    assert "already there" in output


def test_it_builds_two_workshops_with_a_persona_and_a_current_state_map_each(demo):
    assert Workshop.objects.count() == 2
    for workshop in Workshop.objects.all():
        assert workshop.personas.count() == 1
        [journey_map] = workshop.maps.all()
        assert journey_map.state == "current"
        assert journey_map.persona == workshop.personas.get()


def test_the_maps_use_the_b2c_and_b2b_templates(demo):
    stage_sets = {tuple(m.stages.values_list("title", flat=True)) for m in JourneyMap.objects.all()}
    assert (
        "Awareness",
        "Research",
        "Decision",
        "Purchase",
        "Onboarding",
        "Retention",
        "Advocacy",
    ) in stage_sets
    assert (
        "Awareness",
        "Research",
        "Demo",
        "Internal approval",
        "Purchase",
        "Onboarding",
        "Renewal",
    ) in stage_sets


def test_every_lane_of_every_map_has_cards(demo):
    for journey_map in JourneyMap.objects.all():
        for lane in journey_map.lanes.all():
            assert lane.cards.exists(), f"{journey_map}: lane {lane.title} is empty"


def test_each_stage_has_an_emotion_and_the_curve_goes_up_and_down(demo):
    for journey_map in JourneyMap.objects.all():
        scores = [
            stage.cards.get(lane__kind=LaneKind.EMOTIONS).emotion_score
            for stage in journey_map.stages.all()
        ]
        assert None not in scores
        assert min(scores) < 0 < max(scores)


def test_pain_points_have_severities_and_touchpoints_channels(demo):
    pains = Card.objects.filter(lane__kind=LaneKind.PAIN_POINTS)
    assert pains.exists()
    assert set(pains.values_list("severity", flat=True)) == {1, 2, 3}
    touchpoints = Card.objects.filter(lane__kind=LaneKind.TOUCHPOINTS)
    assert touchpoints.exists() and not touchpoints.filter(channel="").exists()


def test_the_case_study_figures_are_on_the_maps(demo):
    texts = " ".join(Card.objects.values_list("text", flat=True))
    for figure in ["three times", "8%", "5x", "+15%", "3%", "4.5-5%", "0.84%", "1.2%", "+37%"]:
        assert figure in texts, figure


def test_every_change_was_recorded_by_who_made_it(demo):
    # The facilitator built everything; colleagues wrote the comments.
    demo_user = User.objects.get(username="demo")
    for journey_map in JourneyMap.objects.all():
        made = [
            journey_map.cards,
            journey_map.evidence,
            journey_map.card_links,
            journey_map.comments,
        ]
        owned = Opportunity.objects.filter(card__map=journey_map).count()  # one update each
        changes = sum(part.count() for part in made) + owned + 1
        assert journey_map.revision == journey_map.events.count() == changes
        commented = set(journey_map.comments.values_list("author", flat=True))
        others = journey_map.events.exclude(actor=demo_user)
        assert set(others.values_list("actor", flat=True)) <= commented
        assert others.count() == journey_map.comments.exclude(author=demo_user).count()


def test_demo_users_have_their_roles_in_both_workshops(demo):
    expected = {"demo": Role.FACILITATOR, "maria": Role.EDITOR, "sam": Role.VIEWER}
    for workshop in Workshop.objects.all():
        roles = dict(workshop.memberships.values_list("user__username", "role"))
        assert roles == expected


@pytest.mark.parametrize("username", ["demo", "maria", "sam"])
def test_demo_users_log_in_with_demo(client, demo, username):
    response = client.post(reverse("login"), {"username": username, "password": "demo"})
    assert response.status_code == 302
    page = client.get(reverse("workshop-list")).content.decode()
    assert "Fernway Clothing" in page and "Harbour Mutual" in page


def test_a_second_run_leaves_edited_maps_alone(demo):
    card = Card.objects.filter(lane__kind=LaneKind.ACTIONS).select_related("map").first()
    # As if the team had removed it in the workshop: the demo must not put it back.
    services.card_delete(actor=User.objects.get(username="demo"), map=card.map, card_id=card.pk)
    before = counts()
    load_demo()
    assert counts() == before


# --- evidence ---------------------------------------------------------------------------------


def map_titled(word: str) -> JourneyMap:
    return JourneyMap.objects.get(title__icontains=word)


def test_each_map_has_evidence_of_all_three_layers_and_some_assumptions(demo):
    for journey_map in JourneyMap.objects.all():
        report = coverage.map_coverage(journey_map)
        assert all(report["summary"]["by_layer"].values()), journey_map
        assumptions = [stage["title"] for stage in report["stages"] if stage["assumption"]]
        assert "Awareness" in assumptions and "Onboarding" in assumptions
        assert report["summary"]["evidenced_cards"] > 0


def test_the_case_study_metrics_are_evidence_with_their_baselines(demo):
    retail = map_titled("clothing").evidence.filter(kind="metric")
    assert set(retail.values_list("value", "unit")) >= {(8, "%"), (3, "visits"), (5, "x")}
    insurer = map_titled("insurance").evidence.filter(kind="metric")
    assert set(insurer.values_list("baseline", "value")) >= {(3, 4.5), (0.84, 1.2)}
    assert insurer.filter(value=15, unit="%").exists()


def test_the_demo_has_quotes_surveys_a_recording_and_a_heatmap(demo):
    kinds = set(map_titled("clothing").evidence.values_list("kind", flat=True))
    assert kinds == {"metric", "survey", "quote", "recording", "image"}
    heatmap = Evidence.objects.get(kind="image")
    assert heatmap.width == 960 and heatmap.image.storage.exists(heatmap.image.name)
    recording = Evidence.objects.filter(kind="recording").first()
    assert recording.provider == "hotjar" and recording.start_seconds


def test_some_demo_evidence_is_stale(demo):
    board = JourneyMap.objects.with_board().get(pk=map_titled("clothing").pk)
    evidence = coverage.board_evidence(board)
    research = board.stages.get(title="Research").pk
    assert evidence["stages"][research]["stale"] == 1
    assert sum(stage["stale"] for stage in evidence["stages"].values()) == 1


def test_evidence_the_team_deleted_is_not_brought_back(demo):
    demo_user = User.objects.get(username="demo")
    journey_map = map_titled("insurance")
    for piece in journey_map.evidence.all():
        evidence_services.evidence_delete(actor=demo_user, map=journey_map, evidence_id=piece.pk)

    load_demo()

    assert not journey_map.evidence.exists()


def test_each_map_shows_the_work_after_the_workshop(demo):
    # Opportunities answering pain points, owned by members, with a status and tickets, and
    # comments that mention colleagues: what a newcomer sees on the board and the work page.
    for journey_map in JourneyMap.objects.all():
        linked = CardLink.objects.filter(map=journey_map)
        assert linked.exists()
        assert all(link.opportunity.lane.kind == LaneKind.OPPORTUNITIES for link in linked)
        assert all(link.pain_point.lane.kind == LaneKind.PAIN_POINTS for link in linked)
        owned = Opportunity.objects.filter(card__map=journey_map, owner__isnull=False)
        assert {work.status for work in owned} - {"idea"}
        assert Comment.objects.filter(map=journey_map, mentions__isnull=False).exists()
    tickets = [url for work in Opportunity.objects.all() for url in work.tickets]
    assert any("atlassian.net/browse/" in url for url in tickets)
