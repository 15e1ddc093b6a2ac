"""The public (一公开, no login) pages of random draws, included at "draws/"."""

from django.urls import path

from qijian.sampling import views

app_name = "public_draws"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
]
