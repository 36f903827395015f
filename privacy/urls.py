"""The personal-data pages, included at the site's root."""

from django.urls import path

from . import web

urlpatterns = [
    path("accounts/data/", web.your_data, name="privacy-your-data"),
    path("accounts/data/download/", web.your_data_download, name="privacy-your-data-download"),
]
