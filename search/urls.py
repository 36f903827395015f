"""The search page, included at the site's root."""

from django.urls import path

from . import web

urlpatterns = [path("search/", web.search_page, name="search")]
