from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("qijian.core.urls")),
    path("accounts/", include("qijian.accounts.urls")),
    path("admin/", admin.site.urls),
]
