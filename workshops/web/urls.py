"""The pages of workshops and their boards; a map's documents (versions, compare, PDF) have
their own pages in documents/web/."""

from django.urls import path

from . import board, invites, workshops

urlpatterns = [
    path("", workshops.workshop_list, name="workshop-list"),
    path("workshops/<id:workshop_id>/", workshops.workshop_detail, name="workshop-detail"),
    path("workshops/<id:workshop_id>/maps/", workshops.map_create, name="workshop-map-create"),
    path(
        "workshops/<id:workshop_id>/personas/",
        workshops.persona_create,
        name="workshop-persona-create",
    ),
    path("workshops/<id:workshop_id>/members/", workshops.member_add, name="workshop-member-add"),
    path(
        "workshops/<id:workshop_id>/members/<id:user_id>/role/",
        workshops.member_role,
        name="workshop-member-role",
    ),
    path(
        "workshops/<id:workshop_id>/members/<id:user_id>/remove/",
        workshops.member_remove,
        name="workshop-member-remove",
    ),
    path(
        "workshops/<id:workshop_id>/invites/", invites.invite_create, name="workshop-invite-create"
    ),
    path(
        "workshops/<id:workshop_id>/invites/<id:invite_id>/revoke/",
        invites.invite_revoke,
        name="workshop-invite-revoke",
    ),
    path("join/<str:token>/", invites.join, name="join"),
    path("join/<str:token>/guest/", invites.join_as_guest, name="join-guest"),
    path("maps/<id:map_id>/", board.map_board, name="map-board"),
    path("maps/<id:map_id>/reviewed/", board.map_reviewed, name="map-reviewed"),
]
