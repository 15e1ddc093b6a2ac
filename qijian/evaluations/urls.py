"""Staff pages of the evaluations app: follow-ups, questionnaires and answers, complaints, the quarterly summary."""

from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("follow-ups/", include("qijian.evaluations.followup_urls")),
    path("questionnaires/", include("qijian.evaluations.questionnaire_urls")),
    path("complaints/", include("qijian.evaluations.complaint_urls")),
    path("summary/", include("qijian.evaluations.summary_urls")),
]
