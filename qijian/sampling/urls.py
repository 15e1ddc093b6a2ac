from django.urls import path

from qijian.sampling import views

app_name = "sampling"
urlpatterns = [
    path("", views.draw_list, name="draw_list"),
    path("prepare/", views.draw_prepare, name="draw_prepare"),
    path("<int:pk>/", views.draw_detail, name="draw_detail"),
    path("<int:pk>/commit/", views.draw_commit, name="draw_commit"),
    path("<int:pk>/discard/", views.draw_discard, name="draw_discard"),
    path("<int:pk>/draw/", views.draw_execute, name="draw_execute"),
    path("<int:pk>/publish/", views.draw_publish, name="draw_publish"),
]
