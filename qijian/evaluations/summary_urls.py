"""Routes of the summary pages (included under the "evaluations" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
