"""Routes of the followup pages (included under the "evaluations" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
