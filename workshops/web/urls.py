"""The pages of workshops and their boards; a map's documents (versions, compare, PDF) have
their own pages in documents/web/."""

from django.urls import path

from . import board, help, invites, maps, mentions, opportunities, workshops

urlpatterns = [
    path("", workshops.workshop_list, name="workshop-list"),
    path("favicon.ico", help.favicon, name="favicon"),
    path("help/facilitating/", help.facilitating_guide, name="help-facilitating"),
    path("workshops/<id:workshop_id>/", workshops.workshop_detail, name="workshop-detail"),
    path("workshops/<id:workshop_id>/edit/", workshops.workshop_update, name="workshop-update"),
    path("workshops/<id:workshop_id>/maps/", workshops.map_create, name="workshop-map-create"),
    path(
        "workshops/<id:workshop_id>/personas/",
        workshops.persona_create,
        name="workshop-persona-create",
    ),
    path(
        "workshops/<id:workshop_id>/personas/<id:persona_id>/",
        workshops.persona_update,
        name="workshop-persona-update",
    ),
    path(
        "workshops/<id:workshop_id>/personas/<id:persona_id>/delete/",
        workshops.persona_delete,
        name="workshop-persona-delete",
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
        "workshops/<id:workshop_id>/invites/<id:invite_id>/qr/",
        invites.invite_qr,
        name="workshop-invite-qr",
    ),
    path(
        "workshops/<id:workshop_id>/invites/<id:invite_id>/revoke/",
        invites.invite_revoke,
        name="workshop-invite-revoke",
    ),
    path("join/<str:token>/", invites.join, name="join"),
    path("join/<str:token>/guest/", invites.join_as_guest, name="join-guest"),
    path("mentions/", mentions.mention_list, name="mentions"),
    path(
        "workshops/<id:workshop_id>/opportunities/",
        opportunities.opportunity_list,
        name="workshop-opportunities",
    ),
    path("maps/<id:map_id>/", board.map_board, name="map-board"),
    path("maps/<id:map_id>/reviewed/", board.map_reviewed, name="map-reviewed"),
    path("maps/<id:map_id>/archive/", maps.map_archive, name="map-archive"),
    path("maps/<id:map_id>/unarchive/", maps.map_unarchive, name="map-unarchive"),
    path("maps/<id:map_id>/delete/", maps.map_delete, name="map-delete"),
]
