"""Routes of the referral pages (纪检监察移送), included under the "oversight" namespace at /oversight/referrals/."""

from django.urls import URLPattern, path

from qijian.oversight import referral_views as views

urlpatterns: list[URLPattern] = [
    path("", views.referral_list, name="referral_list"),
    path("propose/", views.referral_propose, name="referral_propose"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/approve/", views.referral_approve, name="referral_approve"),
    path("<int:pk>/reject/", views.referral_reject, name="referral_reject"),
    path("<int:pk>/packet/", views.referral_packet, name="referral_packet"),
]
