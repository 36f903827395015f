"""A person's own data through the API (docs/privacy.md): GET /api/me/data/, and
/api/users/<id>/data/ for one's own id. Another person's data is not found (404), whether the
account exists or not: nobody learns which ids are people."""

from django.http import Http404
from rest_framework import serializers
from rest_framework.response import Response

from workshops.api.base import ApiView, reads

from .access import personal_data

SECTION = serializers.ListField(child=serializers.DictField())


class PersonalDataOutput(serializers.Serializer):
    format = serializers.CharField(help_text="cjm-personal-data")
    version = serializers.IntegerField()
    exported_at = serializers.DateTimeField()
    account = serializers.DictField(help_text="Username, name, e-mail, when joined; a guest's.")
    memberships = SECTION
    workshops_created = SECTION
    cards = SECTION
    evidence = SECTION
    comments = SECTION
    votes = serializers.ListField(
        child=serializers.DictField(), help_text="Dots in revealed votes only."
    )
    changes = SECTION
    versions = SECTION
    imports = SECTION
    pdf_exports = SECTION
    invites = SECTION
    webhooks = SECTION
    email = serializers.DictField()
    tokens = serializers.ListField(
        child=serializers.DictField(), help_text="Named by their first characters; no keys."
    )
    audit = SECTION
    logins = serializers.DictField(help_text="made and failed")


class MyData(ApiView):
    throttle_scopes = ("export",)

    @reads(PersonalDataOutput, by_id=False, summary="Everything the site holds about you")
    def get(self, request):
        return Response(personal_data(request.user))


class UserData(ApiView):
    throttle_scopes = ("export",)

    @reads(PersonalDataOutput, summary="Your data by your id; anyone else's is 404")
    def get(self, request, user_id):
        if user_id != request.user.pk:
            raise Http404("No such person.")
        return Response(personal_data(request.user))
