from django.urls import path

from .views import lead, staff

app_name = "recommendations"

urlpatterns = [
    # Force leads (and staff reading a force)
    path("forces/<slug:force_slug>/", lead.force_page, name="force"),
    # Portfolio staff
    path("dashboard/", staff.dashboard, name="dashboard"),
]
