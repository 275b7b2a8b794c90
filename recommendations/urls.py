from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("forces/<slug:force_slug>/", views.force_page, name="force"),
]
