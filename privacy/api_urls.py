"""The personal-data API's routes, included at api/ beside the others."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/data/", api.MyData.as_view(), name="api-my-data"),
    path("users/<id:user_id>/data/", api.UserData.as_view(), name="api-user-data"),
]
