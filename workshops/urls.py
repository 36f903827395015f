from django.urls import path

from . import views

urlpatterns = [
    path("maps/<int:map_id>/", views.map_board, name="map-board"),
]
