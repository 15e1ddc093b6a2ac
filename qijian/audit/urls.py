from django.urls import path

from qijian.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:seq>/", views.event_detail, name="detail"),
    path("verify/", views.verify, name="verify"),
    path("checkpoints/", views.checkpoints, name="checkpoints"),
    path("checkpoints/export/", views.export_checkpoints, name="export_checkpoints"),
]
