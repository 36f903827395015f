"""The evidence pages' routes, included at the site's root beside the workshops pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("maps/<id:map_id>/evidence/import/", views.import_page, name="map-evidence-import"),
]
