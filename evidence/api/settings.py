"""The map's evidence settings (settings/): the age after which evidence is flagged as stale,
and whether personal data in the text of evidence is masked (evidence/masking.py). Anyone on the
map reads them; a facilitator sets them, each as a change of the map."""

from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import (
    TYPED,
    ApiView,
    changed,
    expect_event,
    op_id,
    parse,
    reads,
    whole_number,
    writes,
)
from workshops.api.parsers import LimitedJSONParser
from workshops.models import Role

from .. import coverage, masking, services
from .base import TAGGED


class StrictBooleanField(serializers.BooleanField):
    """In a JSON body, true or false; not "true" or 1, as the schema says."""

    def to_internal_value(self, data):
        if self.context.get(TYPED) and not isinstance(data, bool):
            self.fail("invalid", input=data)
        return super().to_internal_value(data)


class EvidenceSettingsInput(serializers.Serializer):
    stale_after_days = whole_number(
        required=False,
        help_text="Evidence collected more than this many days ago is flagged as stale (1-3650).",
    )
    mask_personal_data = StrictBooleanField(
        required=False,
        help_text="Mask e-mail addresses, phone numbers and IP addresses in the text of evidence "
        "stored from now on (true by default).",
    )


class EvidenceSettingsOutput(serializers.Serializer):
    stale_after_days = serializers.IntegerField()
    mask_personal_data = serializers.BooleanField()


def settings_of(journey_map) -> dict:
    return {
        "stale_after_days": coverage.stale_after_days(journey_map),
        "mask_personal_data": masking.is_on(journey_map),
    }


@TAGGED
class EvidenceSettings(ApiView):
    parser_classes = [LimitedJSONParser]

    @reads(EvidenceSettingsOutput, summary="The map's evidence settings: stale age, masking")
    def get(self, request, map_id):
        return Response(settings_of(map_for(request.user, map_id)))

    @writes(
        EvidenceSettingsInput,
        EvidenceSettingsOutput,
        map_change=True,
        summary="Set the stale age and whether personal data in text is masked (facilitator)",
    )
    def put(self, request, map_id):
        journey_map = map_for(request.user, map_id, Role.FACILITATOR)
        data = parse(EvidenceSettingsInput, request)
        if not data:
            raise ValidationError(
                {"non_field_errors": ["Give stale_after_days, mask_personal_data or both."]}
            )
        key = op_id(request)
        changes = []  # each setting is a change of its own, with its own event
        if "stale_after_days" in data:
            event = services.evidence_stale_age_set(
                actor=request.user, map=journey_map, op_id=key, days=data["stale_after_days"]
            )
            changes.append(expect_event(event, "evidence.stale_age_set"))
        if "mask_personal_data" in data:
            # Both in one request: the second change needs a key of its own, the same on a resend.
            second = f"{key[:90]}:masking" if key and changes else key
            event = services.evidence_masking_set(
                actor=request.user, map=journey_map, op_id=second, on=data["mask_personal_data"]
            )
            changes.append(expect_event(event, "evidence.masking_set"))
        journey_map.refresh_from_db(fields=["controls"])
        return changed(changes[-1], changes[-1].type, body=settings_of(journey_map))
