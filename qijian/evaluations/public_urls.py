"""Pages without login under /e/: the enterprise answers the questionnaire bound to its inspection."""

from django.urls import URLPattern

app_name = "evaluations_public"

urlpatterns: list[URLPattern] = []
