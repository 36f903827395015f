"""What notifications hear from the map domain (registered in apps.py): each runs once the
change has committed, in the request or worker that made it, and only queues a task, so that
no change waits for a message to be built or sent. Events no endpoint wants cost no query."""

from .deliveries import announce_map_event, announce_version, wanting
from .mentions import comments_to_tell, mention_mails_send
from .models import Event
from .payloads import MAP_EVENT_DATA


def on_map_event(event) -> None:
    if event.type in MAP_EVENT_DATA and wanting(event.map.workshop_id, event.type):
        announce_map_event.enqueue(event.pk)
    if comments := comments_to_tell(event):  # mentions.py: a mail to each person mentioned
        mention_mails_send.enqueue(comments)


def on_announcement(kind: str, subject) -> None:
    if kind == Event.VERSION_SAVED and wanting(subject.map.workshop_id, kind):
        announce_version.enqueue(subject.pk)
