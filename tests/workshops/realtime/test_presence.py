"""Presence bookkeeping on its own: what a hub knows of the people on its board."""

from workshops.realtime.presence import Peers, initials, users


def state(user_id, name, editing=None):
    return {"id": user_id, "name": name, "initials": initials(name), "editing": editing}


def test_two_tabs_of_one_user_show_as_one_person_editing_any_tabs_card():
    merged = users([state(2, "Maria Lopez"), state(2, "Maria Lopez", editing=31)])
    assert merged == [{"id": 2, "name": "Maria Lopez", "initials": "ML", "editing": 31}]


def test_unchanged_heartbeat_is_not_a_change_but_keeps_the_hub():
    peers = Peers()
    assert peers.heard("hub-a", {"a|1": state(2, "Maria")}, now=0)
    assert not peers.heard("hub-a", {"a|1": state(2, "Maria")}, now=20)
    assert not peers.expire(now=40, ttl=25)  # heard at 20, so still here at 40
    assert peers.expire(now=46, ttl=25)
    assert list(peers.states()) == []


def test_a_beat_replaces_what_its_hub_said_before():
    peers = Peers()
    peers.heard("hub-a", {"a|1": state(2, "Maria"), "a|2": state(3, "Sam")}, now=0)
    assert peers.heard("hub-a", {"a|2": state(3, "Sam")}, now=1)  # Maria's tab closed
    assert [s["name"] for s in peers.states()] == ["Sam"]
    assert peers.sockets_of(3) == 1 and peers.sockets_of(2) == 0


def test_forgetting_an_unknown_hub_changes_nothing():
    peers = Peers()
    peers.heard("hub-a", {"a|1": state(2, "Maria")}, now=0)
    assert not peers.forget("hub-b")
    assert peers.forget("hub-a")
