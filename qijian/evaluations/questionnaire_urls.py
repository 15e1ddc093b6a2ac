"""Routes of the questionnaire pages (included under the "evaluations" namespace at /evaluations/questionnaires/)."""

from django.urls import path

from qijian.evaluations import answer_views, questionnaire_views

urlpatterns = [
    path("", questionnaire_views.questionnaire_list, name="questionnaire_list"),
    path("new/", questionnaire_views.questionnaire_new, name="questionnaire_new"),
    path("<int:pk>/", questionnaire_views.questionnaire_detail, name="questionnaire_detail"),
    path("<int:pk>/activate/", questionnaire_views.questionnaire_activate, name="questionnaire_activate"),
    path("<int:pk>/questions/add/", questionnaire_views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/edit/", questionnaire_views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/delete/", questionnaire_views.question_delete, name="question_delete"),
    # Answers: identified for the office and the supervisor; anonymous aggregates for departments.
    path("responses/", answer_views.response_list, name="response_list"),
    path("responses/<int:pk>/", answer_views.response_detail, name="response_detail"),
    path("follow-ups/<int:pk>/record/", answer_views.record_answers, name="record_answers"),
    path("aggregates/", answer_views.aggregates, name="answer_aggregates"),
]
