from django.contrib import admin
from django.urls import include, path

from workshops.pdf_views import MapExportPDFView

urlpatterns = [
    path("admin/", admin.site.urls),
    # The PDF export lives with the other PDF code, before the API include.
    path("api/maps/<int:map_id>/export.pdf", MapExportPDFView.as_view(), name="api-map-export-pdf"),
    path("api/", include("workshops.api_urls")),
    path("", include("workshops.urls")),
]

