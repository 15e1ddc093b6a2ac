"""Routes of the referral pages (纪检监察移送), included under the "oversight" namespace at /oversight/referrals/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
