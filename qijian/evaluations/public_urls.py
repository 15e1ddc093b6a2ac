"""Pages without login under /e/: the enterprise answers the questionnaire bound to its inspection."""

from django.urls import path

from qijian.evaluations import public_views

app_name = "evaluations_public"

urlpatterns = [
    path("<str:token>", public_views.answer, name="answer"),
]
