from django.urls import path

from .views import lead, staff

app_name = "recommendations"

urlpatterns = [
    # Force leads (and staff reading a force)
    path("forces/<slug:force_slug>/", lead.force_page, name="force"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/check/", lead.check_answers, name="check_answers"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/submitted/", lead.return_submitted, name="submitted"),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<str:reference>/",
        lead.answer_edit,
        name="answer",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<str:reference>/history/",
        lead.answer_history,
        name="answer_history",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<str:reference>/review/",
        lead.answer_review,
        name="answer_review",
    ),
    # Portfolio staff
    path("dashboard/", staff.dashboard, name="dashboard"),
]
