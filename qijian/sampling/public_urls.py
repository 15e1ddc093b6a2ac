"""The public (一公开, no login) pages of random draws, included at "draws/"."""

from django.urls import path  # noqa: F401

app_name = "public_draws"
urlpatterns: list = []
