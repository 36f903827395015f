from django.urls import path

from . import pdf_views, views

urlpatterns = [
    path("maps/<int:map_id>/", views.map_board, name="map-board"),
    path("maps/<int:map_id>/export.pdf", pdf_views.map_export_pdf, name="map-export-pdf"),
]
