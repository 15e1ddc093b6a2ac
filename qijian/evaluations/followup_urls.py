"""Routes of the follow-up pages (included under the "evaluations" namespace at /evaluations/follow-ups/)."""

from django.urls import path

from qijian.evaluations import followup_views as views

urlpatterns = [
    path("", views.followup_list, name="followup_list"),
    path("<int:pk>/", views.followup_detail, name="followup_detail"),
    path("<int:pk>/record/", views.followup_record, name="followup_record"),
    path("<int:pk>/assign/", views.followup_assign, name="followup_assign"),
]
