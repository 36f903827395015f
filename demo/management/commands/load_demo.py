"""Demo data: two workshops built from the case studies in the design notes, three demo users.

Idempotent: everything is looked up by its natural key (username, workshop name, persona name,
map title) and skipped when it exists, so running it twice creates nothing the second time. All
of it is built through the services, as the demo facilitator, like any other change.
"""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from demo.stories import COMMENTS, EVIDENCE, PASSWORD, STORIES, USERS, WORK, Story
from evidence import services as evidence_services
from workshops import services
from workshops.models import JourneyMap, LaneKind, Workshop
from workshops.services import comments, links, opportunities


class Command(BaseCommand):
    help = "Load the demo workshops and users (demo, maria, sam; password demo). Safe to rerun."

    def handle(self, *args, **options):
        users = {username: self.user(username, first_name) for username, first_name, _ in USERS}
        for story in STORIES:
            self.load(story, users)
        self.stdout.write(
            self.style.SUCCESS(
                "Log in as demo / demo (facilitator), maria / demo (editor) or sam / demo (viewer)."
            )
        )

    def user(self, username: str, first_name: str):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=PASSWORD, first_name=first_name)
            self.stdout.write(f"User {username} created.")
        return user

    def load(self, story: Story, users: dict):
        demo = users["demo"]
        with transaction.atomic():
            workshop = Workshop.objects.filter(name=story.workshop, memberships__user=demo).first()
            if workshop is None:
                workshop = services.workshop_create(
                    actor=demo, name=story.workshop, description=story.description
                )
            for username, _, role in USERS:
                if not workshop.memberships.filter(user=users[username]).exists():
                    services.membership_set(
                        actor=demo, workshop=workshop, user=users[username], role=role
                    )
            persona = workshop.personas.filter(name=story.persona["name"]).first()
            if persona is None:
                persona = services.persona_create(actor=demo, workshop=workshop, **story.persona)
            journey_map = workshop.maps.filter(title=story.map_title).first()
            created = journey_map is None
            if created:
                journey_map = self.build_map(story, workshop, persona, demo)
                self.add_work(journey_map, users)
            # Once only: evidence the team has deleted since is not brought back.
            if not journey_map.events.filter(type__startswith="evidence.").exists():
                self.attach_evidence(journey_map, EVIDENCE.get(story.map_title, []), demo)
        state = "created" if created else "already there, left as it is"
        self.stdout.write(
            f"{workshop.name}: map “{journey_map.title}” {state} "
            f"({journey_map.stages.count()} stages, {journey_map.cards.count()} cards)."
        )

    def build_map(self, story: Story, workshop, persona, actor) -> JourneyMap:
        journey_map = services.map_create(
            actor=actor,
            workshop=workshop,
            title=story.map_title,
            description=story.map_description,
            persona_id=persona.pk,
            template=story.template,
        )
        stages = list(journey_map.stages.all())
        lanes = {lane.kind: lane for lane in journey_map.lanes.all()}
        for kind, entries in story.lanes.items():
            for stage, entry in zip(stages, entries, strict=True):
                for card in _as_list(entry):
                    services.card_create(
                        actor=actor,
                        map=journey_map,
                        stage_id=stage.pk,
                        lane_id=lanes[kind].pk,
                        **_card_fields(kind, card),
                    )
        return journey_map

    def add_work(self, journey_map: JourneyMap, users: dict):
        """What the team did after the workshop: opportunities linked to the pain points they
        answer, with owners, status and tickets; a few comments that mention colleagues."""

        def card(text_start: str):
            return journey_map.cards.get(text__startswith=text_start)

        demo = users["demo"]
        for start, answers, owner, status, impact, effort, tickets in WORK.get(
            journey_map.title, []
        ):
            opportunity = card(start)
            for pain_point in answers:
                links.link_create(
                    actor=demo, map=journey_map, opportunity_id=opportunity.pk,
                    pain_point_id=card(pain_point).pk,
                )  # fmt: skip
            opportunities.opportunity_update(
                actor=demo, map=journey_map, card_id=opportunity.pk, owner=users[owner].pk,
                status=status, impact=impact, effort=effort, tickets=tickets,
            )  # fmt: skip
        for start, author, text in COMMENTS.get(journey_map.title, []):
            comments.comment_create(
                actor=users[author], map=journey_map, card_id=card(start).pk, text=text
            )

    def attach_evidence(self, journey_map: JourneyMap, pieces: list, actor):
        stages = {stage.title: stage for stage in journey_map.stages.all()}
        for stage_title, card_text, values in pieces:
            if stage_title not in stages:
                continue  # the team renamed or removed it
            values = dict(values)
            days = values.pop("days_ago")
            values["collected_on"] = timezone.localdate() - datetime.timedelta(days=days)
            card = (
                card_text
                and journey_map.cards.filter(
                    stage=stages[stage_title], text__startswith=card_text
                ).first()
            )
            place = {"card_id": card.pk} if card else {"stage_id": stages[stage_title].pk}
            if values["kind"] == "image":
                values["image"] = _heatmap()
            evidence_services.evidence_attach(actor=actor, map=journey_map, **place, **values)


def _heatmap() -> SimpleUploadedFile:
    """A click heatmap drawn for the demo: a page outline and blurred hot spots."""
    page = Image.new("RGB", (960, 600), "#f4f5f7")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 960, 70), fill="#1e2a44")
    draw.rectangle((260, 20, 700, 50), fill="#ffffff")
    for top in (120, 300):
        draw.rectangle((60, top, 900, top + 140), outline="#c9ced8", width=3)
    heat = Image.new("L", page.size, 0)
    spots = ImageDraw.Draw(heat)
    for x, y, r, strength in [(480, 190, 90, 255), (640, 200, 40, 150), (300, 370, 50, 120)]:
        spots.ellipse((x - r, y - r, x + r, y + r), fill=strength)
    heat = heat.filter(ImageFilter.GaussianBlur(40))
    colour = Image.new("RGB", page.size, "#e4572e")
    page = Image.composite(colour, page, heat.point(lambda v: min(200, v * 2)))
    data = io.BytesIO()
    page.save(data, "PNG")
    return SimpleUploadedFile("heatmap.png", data.getvalue(), content_type="image/png")


def _as_list(entry) -> list:
    if entry is None:
        return []
    return entry if isinstance(entry, list) else [entry]


def _card_fields(kind: str, card) -> dict:
    if kind == LaneKind.TOUCHPOINTS:
        channel, text = card
        return {"channel": channel, "text": text}
    if kind == LaneKind.EMOTIONS:
        score, text = card
        return {"emotion_score": score, "text": text}
    if kind == LaneKind.PAIN_POINTS:
        severity, text = card
        return {"severity": severity, "text": text}
    return {"text": card}
