from django.urls import path  # noqa: F401  (routes are added as the pages land)

app_name = "checkins"
urlpatterns: list = []
