"""Named versions of a map ("Q3 review"), restoring one, and duplicating a map.

A version's snapshot is the map's export document (mapfile.py), pictures included. Restoring
replaces the map's content with the snapshot as ONE change of the map (`map.restored`, carrying
the whole board so that open boards reload); the history before it stays, and what the restore
removes is first saved as an automatic version, so it can be restored in turn. A restore is not
undoable through undo/redo: restoring that automatic version is its undo; the event's keys
(restore.tracked) guard others' undo of what the restore replaced.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404

from evidence import masking
from evidence.models import Evidence
from workshops.access import require_role
from workshops.models import TITLE_MAX, Card, JourneyMap, Lane, MapVersion, Role, Stage
from workshops.serializers import BoardSerializer
from workshops.services import restore
from workshops.services.checks import refuse, text
from workshops.services.pipeline import Change, announce, map_change, next_revision, replayed

from . import mapfile


def version_for(user, map: JourneyMap, version_id) -> MapVersion:
    """A version of this map, for a member of its workshop: else 404, never another map's."""
    require_role(user, map.workshop, Role.VIEWER)
    return get_object_or_404(MapVersion, map=map, pk=version_id)


def version_save(*, actor, map: JourneyMap, name: str) -> MapVersion:
    """Save the map as it is now under a name. Saving changes nothing on the map itself."""
    require_role(actor, map.workshop, Role.EDITOR)
    name = text("name", name, max_length=TITLE_MAX, required=True)
    with transaction.atomic():
        # Locked, so that the snapshot and its revision are of one and the same moment.
        locked = JourneyMap.objects.select_for_update(no_key=True).get(pk=map.pk)
        version = MapVersion.objects.create(
            map=locked,
            name=name,
            revision=locked.revision,
            snapshot=mapfile.map_export(locked),
            created_by=actor,
        )
        announce("version.saved", version)  # once committed: a restore that fails saves none
        return version


def version_delete(*, actor, version: MapVersion) -> None:
    require_role(actor, version.map.workshop, Role.FACILITATOR)
    version.delete()


def version_restore(*, actor, map: JourneyMap, version: MapVersion, op_id: str = ""):
    """Make the map's content that of the version again, as one new change; returns its event."""
    if version.map_id != map.pk:
        raise MapVersion.DoesNotExist  # callers look versions up by map: this is a bug
    require_role(actor, map.workshop, Role.EDITOR)
    if op_id and (done := replayed(map, actor, op_id)):
        return done  # a resend: no second "Before restoring" version, no pictures stored again
    _refuse_with_private_cards(map)
    # Who the map is about and its state are the facilitator's call (and the version's persona
    # may be gone): a restore brings back the content, title and description.
    snapshot = {**version.snapshot, "map": {**version.snapshot["map"], "persona": None}}
    # A map with masking off gets its evidence text back as it was saved, not masked now.
    plan = mapfile.check_document(snapshot, map.workshop, mask=masking.is_on(map))
    stored = mapfile.store_pictures(plan)
    try:
        with transaction.atomic():
            before = version_save(actor=actor, map=map, name=before_name(version))
            return _restore(
                actor=actor,
                map=map,
                op_id=op_id,
                version=version,
                before=before,
                plan=plan,
                stored=stored,
            )
    except BaseException:
        mapfile.discard_pictures(stored)
        raise


def before_name(version: MapVersion) -> str:
    name = f"Before restoring “{version.name}”"
    return name if len(name) <= TITLE_MAX else name[: TITLE_MAX - 2] + "…”"


def _refuse_with_private_cards(map: JourneyMap):
    # Not how many: the count of someone else's hidden cards is theirs until the reveal.
    if map.controls.get("private") or map.cards.filter(private=True).exists():
        refuse(
            "version",
            "Private brainstorming is on: reveal the private cards before restoring a version.",
        )


@map_change(role=Role.EDITOR)
def _restore(*, actor, map, version: MapVersion, before: MapVersion, plan, stored: dict):
    old_files, touched = _image_files(map), _content_keys(map)
    map.title, map.description = plan.map["title"], plan.map["description"]
    map.save(update_fields=["title", "description", "updated_at"])
    map.evidence.all().delete()  # evidence comes back whole from the snapshot
    mapfile.write_content(map, plan, stored, actor=actor, reuse=True)
    for file in old_files:
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))
    payload = {
        "board": _board_data(map),
        "version": {"id": version.pk, "name": version.name, "revision": version.revision},
        "saved_before": {"id": before.pk, "name": before.name},
    }
    # Not undoable (restoring `before` is its undo); its keys stop others' undo of what it
    # replaced from overwriting the restored content.
    keys = sorted(touched | _content_keys(map))
    return Change(
        "map.restored",
        payload,
        restore.tracked(keys, why=f"Restore the version “{before.name}” to go back."),
    )


def _content_keys(map: JourneyMap) -> set[str]:
    keys = {"map:title", "map:description"}
    for name, model in (("stage", Stage), ("lane", Lane), ("card", Card), ("evidence", Evidence)):
        keys.update(
            f"{name}:{pk}" for pk in model.objects.filter(map=map).values_list("pk", flat=True)
        )
    return keys


def _image_files(map: JourneyMap) -> list:
    files = []
    for piece in map.evidence.exclude(image=""):
        files += [f for f in (piece.image, piece.thumbnail) if f]
    return files


def _board_data(map: JourneyMap) -> dict:
    board = JourneyMap.objects.with_board().get(pk=map.pk)
    return {**BoardSerializer(board).data, "revision": next_revision(map)}


def map_duplicate(*, actor, map: JourneyMap, title: str, state: str | None = None) -> JourneyMap:
    """A new map in the same workshop with a copy of the map's stages, lanes, cards and
    evidence: for instance the future state, drafted from the current one."""
    require_role(actor, map.workshop, Role.FACILITATOR)
    document = mapfile.map_export(map)
    return mapfile.map_import(
        actor=actor,
        workshop=map.workshop,
        data=document,
        title=title,
        state=state,
        event_extra={"duplicated_from": map.pk},
    )
