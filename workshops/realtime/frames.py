"""Frames on the wire: how big one may be, several messages coalesced into one, and the frames
of one of the hub's flushes, built once per audience (hub.py).

Daphne refuses a WebSocket message over 1 MiB, sending as well as receiving: one larger closed
every socket it was sent to with 1011. So no frame the server sends is larger than
REALTIME_MESSAGE_BYTES (512 KiB unless set): a bigger snapshot or event tells the client to
fetch the board over HTTP instead (`board_url`, docs/realtime.md "Boards of any size"), and
events coalesced into one message are cut into several.

Texts are encoded with ensure_ascii (broadcast.encode), so their length in characters is their
length in bytes.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

# An `events` message's own keys, around its list of events.
EVENTS_ROOM = 200


def message_limit() -> int:
    return settings.REALTIME_MESSAGE_BYTES


def fits(text: str) -> bool:
    return len(text) <= message_limit()


def board_url(map_id: int) -> str:
    """Where a client fetches the whole board that was too large for a message."""
    return reverse("api-map-detail", args=[map_id])


def coalesce(parts: list[tuple[int | None, str]]) -> list[str]:
    """The frames that carry these encoded messages, in order. Events (those with a revision)
    that follow one another go as one `events` message (`"live": true`), cut wherever it
    would pass the size limit; one alone, and anything else (presence, a position), as itself.
    Each text fits on its own."""
    frames, run = [], []
    for revision, text in parts:
        if revision is None:
            frames += _live_events(run)
            frames.append(text)
            run = []
        else:
            run.append((revision, text))
    return frames + _live_events(run)


def _live_events(run: list[tuple[int, str]]) -> list[str]:
    frames = []
    for chunk in chunks(run):
        if len(chunk) == 1:
            frames.append(chunk[0][1])
        else:
            body = ",".join(text for _, text in chunk)
            frames.append(
                f'{{"type":"events","live":true,"revision":{chunk[-1][0]},"events":[{body}]}}'
            )
    return frames


def chunks(events: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """(revision, text) events in runs that each fit in one `events` message."""
    room = message_limit() - EVENTS_ROOM
    runs, run, size = [], [], 0
    for event in events:
        if run and size + len(event[1]) + 1 > room:
            runs.append(run)
            run, size = [], 0
        run.append(event)
        size += len(event[1]) + 1
    return [*runs, run] if run else runs


class Frame:
    """One frame for many sockets: its text, and its WebSocket bytes, framed once."""

    __slots__ = ("text", "_framed")

    def __init__(self, text: str):
        self.text, self._framed = text, None

    def framed(self, protocol) -> bytes:
        if self._framed is None:
            self._framed = protocol.factory.prepareMessage(self.text.encode()).payloadHybi
        return self._framed


@dataclass(frozen=True, slots=True)
class Item:
    """One message for the hub's sockets: `text` for everyone, `texts` by user id for those who
    read more of it, none of it for the socket `skip` (a facilitator's own position)."""

    text: str
    texts: dict | None = None
    revision: int | None = None
    skip: str | None = None

    def for_reader(self, user_key: str) -> str:
        return self.texts.get(user_key, self.text) if self.texts else self.text


class Frames:
    """The frames of one flush, built once per audience."""

    def __init__(self, items: list[Item]):
        # Events in revision order (from several processes they may cross), then the rest.
        self.items = sorted(items, key=lambda item: (item.revision is None, item.revision or 0))
        self.readers = {user for item in self.items if item.texts for user in item.texts}
        self.skips = {item.skip for item in self.items if item.skip}
        self.built: dict[tuple, list[Frame]] = {}

    def parts(self, link) -> list[tuple[int | None, str]]:
        reader = str(link.user_id)
        return [
            (item.revision, item.for_reader(reader)) for item in self.items if item.skip != link.key
        ]

    def for_link(self, link) -> list[Frame]:
        reader = str(link.user_id)
        audience = (
            reader if reader in self.readers else None,
            link.key if link.key in self.skips else None,
        )
        if audience not in self.built:
            self.built[audience] = [Frame(text) for text in coalesce(self.parts(link))]
        return self.built[audience]
