"""What leaves the server during a vote and during private brainstorming. Everything a person's
socket receives (events, sync replies, snapshots, presence), the REST board and history, the
board page and the PDF: none of them carries someone else's dots, or a hidden card's text or id,
before the facilitator reveals them."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from cjm.asgi import application
from documents import pdf
from tests.live import headers_for, messages_in
from workshops import services
from workshops.models import Card, JourneyMap, Vote
from workshops.services import voting

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def add_card(actor, journey_map, stage, lane, text):
    event = services.card_create(
        actor=actor, map=journey_map, stage_id=stage.pk, lane_id=lane.pk, text=text
    )
    return event.payload["card"]["id"]


@pytest.fixture
def pains(bob, journey_map, stages, lanes):
    return [
        add_card(bob, journey_map, stages[0], lanes["pain_points"], "Shipping costs hidden"),
        add_card(bob, journey_map, stages[1], lanes["pain_points"], "Search finds nothing"),
    ]


class Wire:
    """One person's socket, keeping every message it received, as sent."""

    def __init__(self, headers, journey_map):
        self.headers, self.map_id, self.received, self.count = headers, journey_map.pk, [], 0
        self.taken = set()

    async def open(self):
        self.socket = WebsocketCommunicator(
            application, f"/ws/maps/{self.map_id}/", headers=self.headers
        )
        connected, _ = await self.socket.connect()
        assert connected
        return await self.next("snapshot")

    async def next(self, *types):
        """The first message of one of `types` not taken yet: an event may come before the ack
        of the operation that caused it."""
        while True:
            for index, message in enumerate(self.received):
                if index not in self.taken and message["type"] in types:
                    self.taken.add(index)
                    return message
            self.received += messages_in(json.loads(await self.socket.receive_from(timeout=2)))

    async def event(self, name):
        while (message := await self.next("event"))["event"] != name:
            pass
        return message

    async def op(self, type, **data):
        self.count += 1
        await self.socket.send_json_to({"type": type, "id": f"op-{self.count}", "data": data})
        return await self.next("ack", "error")

    async def settle(self):
        while not await self.socket.receive_nothing(timeout=0.3):
            self.received += messages_in(json.loads(await self.socket.receive_from()))

    async def close(self):
        await self.settle()
        await self.socket.disconnect()


def card_mentions(message) -> set[int]:
    """Every card id a message names: cards, card lists, dots and editing notices."""
    found = set()
    if isinstance(message, dict):
        if {"stage", "lane", "text"} <= message.keys():
            found.add(message.get("id"))
        for key in ("card", "editing"):
            if isinstance(message.get(key), int):
                found.add(message[key])
        found.update(message.get("card_ids", []))
        for value in message.values():
            found |= card_mentions(value)
    elif isinstance(message, list):
        for value in message:
            found |= card_mentions(value)
    return found


def dot_events(messages) -> list[dict]:
    return [m for m in messages if m.get("event") in ("vote.placed", "vote.removed")]


@database_sync_to_async
def revision_of(journey_map):
    return JourneyMap.objects.get(pk=journey_map.pk).revision


# --- dot voting -----------------------------------------------------------------------------


def test_participant_never_receives_others_dots(alice, bob, carol, journey_map, pains):
    headers = {"alice": headers_for(alice), "bob": headers_for(bob), "carol": headers_for(carol)}

    async def scenario():
        wires = {name: Wire(headers[name], journey_map) for name in headers}
        for wire in wires.values():
            await wire.open()
        start = await revision_of(journey_map)
        opened = await wires["alice"].op("vote.open", dots_per_person=2)
        assert opened["type"] == "ack"
        round_id = (await wires["carol"].event("vote.opened"))["payload"]["vote"]["round"]
        assert (await wires["bob"].op("vote.place", round=round_id, card=pains[0]))["type"] == "ack"
        assert (await wires["bob"].op("vote.place", round=round_id, card=pains[0]))["type"] == "ack"
        placed = await wires["carol"].op("vote.place", round=round_id, card=pains[1])
        assert placed["type"] == "ack"
        await wires["carol"].socket.send_json_to({"type": "sync", "since": start})
        synced = await wires["carol"].next("events")
        await wires["carol"].close()
        again = Wire(headers["carol"], journey_map)
        snapshot = await again.open()
        await again.close()

        # Carol learns that three dots were placed, one at a time, and where her own one is.
        carols = wires["carol"].received + again.received
        assert [e["event"] for e in synced["events"]] == [
            "vote.opened",
            "hidden",
            "hidden",
            "vote.placed",
        ]
        # The cards themselves are public (in the snapshots): dots on them are not.
        dots_seen = [m for m in carols if m["type"] != "snapshot"] + [snapshot["board"]["vote"]]
        assert pains[0] not in card_mentions(dots_seen)
        for hidden in (m for m in carols if m.get("event") == "hidden"):
            assert hidden["payload"] == {} and hidden["actor"] is None
        assert all(e["actor"]["id"] == carol.pk for e in dot_events(carols))
        vote = snapshot["board"]["vote"]
        assert vote["mine"] == [{"card": pains[1], "dots": 1}] and vote["dots_left"] == 1
        assert "ranking" not in vote
        # The facilitator sees no one's dots either.
        await wires["alice"].settle()
        assert dot_events(wires["alice"].received) == []
        await wires["bob"].settle()
        assert dot_events(wires["bob"].received)[-1]["payload"]["dots_left"] == 0

        # The close reveals one ranking, the same for everyone.
        await wires["alice"].op("vote.close", round=round_id)
        closes = []
        for name in ("alice", "bob"):
            closes.append(await wires[name].event("vote.closed"))
            await wires[name].close()
        ranking = [{"card": pains[0], "votes": 2}, {"card": pains[1], "votes": 1}]
        assert all(c["payload"]["vote"]["ranking"] == ranking for c in closes)

    async_to_sync(scenario)()


def test_dot_refusals_on_the_wire_change_nothing(alice, bob, journey_map, pains):
    headers = {"alice": headers_for(alice), "bob": headers_for(bob)}

    async def scenario():
        alice_wire = Wire(headers["alice"], journey_map)
        bob_wire = Wire(headers["bob"], journey_map)
        await alice_wire.open()
        await bob_wire.open()
        refusal = await bob_wire.op("vote.open", dots_per_person=3)
        assert refusal["code"] == "forbidden"
        assert refusal["message"] == "Only a facilitator can open a vote."
        await alice_wire.op("vote.open", dots_per_person=1)
        round_id = (await bob_wire.event("vote.opened"))["payload"]["vote"]["round"]
        await bob_wire.op("vote.place", round=round_id, card=pains[0])
        before = await revision_of(journey_map)
        too_many = await bob_wire.op("vote.place", round=round_id, card=pains[1])
        assert too_many["code"] == "invalid" and "placed all 1 of your dots" in too_many["message"]
        await alice_wire.op("vote.close", round=round_id)
        closed = await bob_wire.op("vote.remove", round=round_id, card=pains[0])
        assert closed["code"] == "invalid" and "This vote is closed" in closed["message"]
        assert await revision_of(journey_map) == before + 1  # the close alone
        await alice_wire.close()
        await bob_wire.close()

    async_to_sync(scenario)()
    assert Vote.objects.filter(voter=bob).count() == 1


def test_rest_history_hides_others_dots(alice, bob, carol, journey_map, pains, client_for):
    round_id = voting.vote_open(actor=alice, map=journey_map, dots_per_person=2).payload["vote"][
        "round"
    ]
    voting.vote_place(actor=bob, map=journey_map, round_id=round_id, card_id=pains[0])
    events = client_for(carol).get(f"/api/maps/{journey_map.pk}/events/").json()["events"]
    assert events[-1]["event"] == "hidden" and events[-1]["payload"] == {}
    own = client_for(bob).get(f"/api/maps/{journey_map.pk}/events/").json()["events"]
    assert own[-1]["event"] == "vote.placed" and own[-1]["payload"]["card"] == pains[0]
    assert "_owner" not in own[-1]["payload"]
    board = client_for(carol).get(f"/api/maps/{journey_map.pk}/").json()
    assert board["vote"]["mine"] == [] and board["vote"]["dots_left"] == 2


# --- private brainstorming ------------------------------------------------------------------


def test_hidden_cards_never_reach_another_socket_before_the_reveal(
    alice, bob, journey_map, stages, lanes
):
    public = add_card(alice, journey_map, stages[0], lanes["actions"], "Public card")

    headers = {"alice": headers_for(alice), "bob": headers_for(bob)}

    async def scenario():
        alice_wire = Wire(headers["alice"], journey_map)
        bob_wire = Wire(headers["bob"], journey_map)
        await alice_wire.open()
        await bob_wire.open()
        start = await revision_of(journey_map)
        await alice_wire.op("private.start")
        created = await bob_wire.op(
            "card.create",
            stage=stages[0].pk,
            lane=lanes["actions"].pk,
            text="SECRET idea",
            position=0,
        )
        secret = (await bob_wire.event("card.created"))["payload"]["card"]
        assert created["type"] == "ack" and secret["private"] is True
        await bob_wire.op("card.update", card=secret["id"], text="SECRET better idea")
        await bob_wire.op(
            "card.move", card=secret["id"], stage=stages[1].pk, lane=lanes["actions"].pk, position=0
        )
        await bob_wire.op(
            "card.move", card=secret["id"], stage=stages[0].pk, lane=lanes["actions"].pk, position=0
        )
        await alice_wire.op(
            "card.move", card=public, stage=stages[0].pk, lane=lanes["actions"].pk, position=1
        )
        await bob_wire.socket.send_json_to({"type": "editing", "card": secret["id"]})
        await alice_wire.settle()
        await alice_wire.socket.send_json_to({"type": "sync", "since": start})
        await alice_wire.next("events")
        again = Wire(headers["alice"], journey_map)
        await again.open()
        await again.close()

        alices = alice_wire.received + again.received
        assert "SECRET" not in json.dumps(alices)
        assert secret["id"] not in card_mentions(alices)
        # Her board still counts every revision: the hidden ones arrive empty.
        events = [m for m in alice_wire.received if m["type"] == "event"]
        assert [e["revision"] for e in events] == list(range(start + 1, start + 7))
        # Bob sees his own card, and the public card's move keeps it in the cell.
        await bob_wire.settle()
        moved = [m for m in bob_wire.received if m.get("event") == "card.moved"][-1]
        assert moved["payload"]["to"]["card_ids"] == [secret["id"], public]

        # One change reveals it to everyone, in full.
        assert (await bob_wire.op("private.reveal"))["code"] == "forbidden"
        await alice_wire.op("private.reveal")
        revealed = await alice_wire.event("private.revealed")
        assert [c["text"] for c in revealed["payload"]["cards"]] == ["SECRET better idea"]
        assert revealed["payload"]["cells"][0]["card_ids"] == [secret["id"], public]
        await alice_wire.close()
        await bob_wire.close()

    async_to_sync(scenario)()


def test_hidden_cards_stay_out_of_the_rest_api_and_the_board_page(
    alice, bob, journey_map, stages, lanes, client_for, client
):
    voting.private_start(actor=alice, map=journey_map)
    secret = add_card(bob, journey_map, stages[0], lanes["actions"], "SECRET idea")
    api = client_for(alice)
    base = f"/api/maps/{journey_map.pk}"
    for url in (f"{base}/", f"{base}/events/", f"{base}/cards/"):
        body = api.get(url).content.decode()
        assert "SECRET" not in body and f'"id":{secret},' not in body.replace(" ", "")
    assert api.get(f"{base}/cards/{secret}/").status_code == 404
    assert api.patch(f"{base}/cards/{secret}/", {"text": "x"}, format="json").status_code == 404
    assert api.delete(f"{base}/cards/{secret}/").status_code == 404
    assert client_for(bob).get(f"{base}/cards/{secret}/").json()["private"] is True
    client.force_login(alice)
    page = client.get(f"/maps/{journey_map.pk}/").content.decode()
    assert "SECRET" not in page and f'data-card="{secret}"' not in page
    assert Card.objects.get(pk=secret).text == "SECRET idea"


def test_the_pdf_shows_no_hidden_card_and_ranks_by_revealed_dots(
    alice, bob, carol, journey_map, stages, lanes, pains
):
    round_id = voting.vote_open(actor=alice, map=journey_map, dots_per_person=2).payload["vote"][
        "round"
    ]
    for voter in (bob, carol):
        voting.vote_place(actor=voter, map=journey_map, round_id=round_id, card_id=pains[1])
    ranked = [point.card.pk for point in pdf.gather(journey_map)["pain_points"]]
    assert ranked == pains  # open votes do not count yet
    voting.vote_close(actor=alice, map=journey_map, round_id=round_id)
    voting.private_start(actor=alice, map=journey_map)
    add_card(bob, journey_map, stages[2], lanes["pain_points"], "SECRET pain")
    summary = pdf.gather(journey_map)
    assert [(p.card.pk, p.votes) for p in summary["pain_points"]] == [(pains[1], 2), (pains[0], 0)]
    assert summary["card_count"] == 2
