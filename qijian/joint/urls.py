from django.urls import path

from qijian.joint import views

app_name = "joint"
urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("run/", views.run, name="run"),
    path("<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
    path("<int:pk>/file/", views.proposal_file, name="proposal_file"),
    path("enterprise/<int:pk>/", views.enterprise_calendar, name="enterprise_calendar"),
    path("unplanned/", views.unplanned_list, name="unplanned_list"),
    path("share/", views.share, name="share"),
    path("capacity/", views.capacity, name="capacity"),
]
