"""NPS, CSAT and CES of a map, a stage or a segment, computed from the stored survey answers
(evidence/scores.py); per stage for the whole board in one answer, and per segment.

Built like pieces.py: any member of the map's workshop reads (outsiders get 404), the query
string is parsed by a small input serializer (types only), and the one stage rule (a stage of
this map) lives in evidence/scores.py, refused through the validation kit as a 400 naming
`stage`.
"""

from rest_framework import serializers
from rest_framework.response import Response

from workshops.access import map_for
from workshops.api.base import ApiView, parse, reads, whole_number

from .. import scores
from .base import TAGGED


class NpsOutput(serializers.Serializer):
    score = serializers.FloatField(help_text="% promoters (9-10) minus % detractors (0-6).")
    n = serializers.IntegerField(help_text="NPS answers (0-10).")
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()


class CsatOutput(serializers.Serializer):
    mean = serializers.FloatField(help_text="Mean of the CSAT answers (1-5).")
    top2 = serializers.FloatField(help_text="% of the answers that are 4 or 5.")
    n = serializers.IntegerField()


class CesOutput(serializers.Serializer):
    mean = serializers.FloatField(help_text="Mean of the CES answers (1-7).")
    n = serializers.IntegerField()


class ScoresOutput(serializers.Serializer):
    nps = NpsOutput(allow_null=True, help_text="Null when there is no NPS answer.")
    csat = CsatOutput(allow_null=True, help_text="Null when there is no CSAT answer.")
    ces = CesOutput(allow_null=True, help_text="Null when there is no CES answer.")


class SegmentScoresOutput(ScoresOutput):
    segment = serializers.CharField(help_text='The respondents\' segment; "" for none given.')


class SegmentInput(serializers.Serializer):
    segment = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Only this segment's answers; blank for those without a segment.",
    )


class StageInput(serializers.Serializer):
    stage = whole_number(required=False, help_text="A stage of this map, its cards' included.")


class ScoresFilter(StageInput, SegmentInput):
    pass


def query(serializer_class, request) -> dict:
    # As a plain dict, not the QueryDict: DRF reads a blank "?stage=" from a form-like input as
    # no stage at all, and a client whose stage id went missing would silently get the map's.
    return parse(serializer_class, request, source=request.query_params.dict())


# A bare object keyed by stage id: no serializer describes that, so the schema is given as is,
# pointing at the component ScoresOutput (registered by EvidenceScores).
STAGE_SCORES = {
    "type": "object",
    "description": "{stage id: scores} for every stage of the map.",
    "additionalProperties": {"$ref": "#/components/schemas/ScoresOutput"},
}


@TAGGED
class EvidenceScores(ApiView):
    @reads(
        ScoresOutput,
        parameters=[ScoresFilter],
        summary="NPS, CSAT and CES of the map, a stage or a segment, with their n",
    )
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        filters = query(ScoresFilter, request)
        result = scores.map_scores(
            journey_map, stage_id=filters.get("stage"), segment=filters.get("segment")
        )
        return Response(result)


@TAGGED
class EvidenceScoresByStage(ApiView):
    @reads(
        STAGE_SCORES,
        parameters=[SegmentInput],
        summary="NPS, CSAT and CES of every stage at once, as the board's `scores` holds them",
    )
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        filters = query(SegmentInput, request)
        return Response(scores.scores_by_stage(journey_map, segment=filters.get("segment")))


@TAGGED
class EvidenceScoresBySegment(ApiView):
    @reads(
        SegmentScoresOutput(many=True),
        parameters=[StageInput],
        summary="NPS, CSAT and CES per segment of the map or of a stage",
    )
    def get(self, request, map_id):
        journey_map = map_for(request.user, map_id)
        filters = query(StageInput, request)
        return Response(scores.segment_rows(journey_map, stage_id=filters.get("stage")))
