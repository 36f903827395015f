"""Presence bookkeeping on its own: what one socket knows of the people on its board."""

from workshops.realtime.presence import Peers, initials


def state(user_id, name, editing=None):
    return {"id": user_id, "name": name, "initials": initials(name), "editing": editing}


def test_two_tabs_of_one_user_show_as_one_person_editing_any_tabs_card():
    peers = Peers()
    peers.heard("tab-1", state(2, "Maria Lopez"), now=0)
    peers.heard("tab-2", state(2, "Maria Lopez", editing=31), now=0)
    assert peers.users() == [{"id": 2, "name": "Maria Lopez", "initials": "ML", "editing": 31}]


def test_unchanged_heartbeat_is_not_a_change_but_keeps_the_peer():
    peers = Peers()
    assert peers.heard("a", state(2, "Maria"), now=0)
    assert not peers.heard("a", state(2, "Maria"), now=20)
    assert not peers.expire(now=40, ttl=25)  # heard at 20, so still here at 40
    assert peers.expire(now=46, ttl=25)
    assert peers.users() == []


def test_leaving_an_unknown_channel_changes_nothing():
    peers = Peers()
    peers.heard("a", state(2, "Maria"), now=0)
    assert not peers.left("b")
    assert peers.left("a")
