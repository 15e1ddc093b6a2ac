from django.urls import path

from qijian.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.filing_list, name="list"),
    path("<int:pk>/", views.filing_detail, name="detail"),
    path("new/planned/", views.planned_create, name="planned_create"),
    path("new/urgent/", views.urgent_create, name="urgent_create"),
    path("new/superior/", views.superior_create, name="superior_create"),
    path("<int:pk>/acceptance/", views.acceptance_create, name="acceptance_create"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
]
