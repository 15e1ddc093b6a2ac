from django.urls import path

from qijian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("logout/", views.logout_view, name="logout"),
]
