"""Routes of the complaint pages (included under the "evaluations" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
