from django.urls import include, path

from qijian.oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("referrals/", include("qijian.oversight.referral_urls")),
]
