from django.urls import path

from .views import action_plans, extensions, lead, office, register, staff

app_name = "recommendations"

urlpatterns = [
    # Force leads (and staff reading a force)
    path("forces/<slug:force_slug>/", lead.force_page, name="force"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/", lead.round_answers, name="round_answers"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/check/", lead.check_answers, name="check_answers"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/submitted/", lead.return_submitted, name="submitted"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/return.xlsx", lead.return_download, name="return_download"),
    path("forces/<slug:force_slug>/rounds/<slug:round_slug>/upload/", lead.return_upload, name="return_upload"),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/more-time/",
        extensions.extension_ask_page,
        name="extension_ask",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/",
        lead.answer_edit,
        name="answer",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/history/",
        lead.answer_history,
        name="answer_history",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/"
        "documents/<int:document_id>/",
        lead.answer_document,
        name="answer_document",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/withdraw/",
        lead.answer_withdraw_page,
        name="answer_withdraw",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/milestones/add/",
        action_plans.milestone_add_page,
        name="milestone_add",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/"
        "milestones/<int:milestone_id>/",
        action_plans.milestone_change_page,
        name="milestone_change",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/reuse/",
        lead.answer_reuse_page,
        name="answer_reuse",
    ),
    path(
        "forces/<slug:force_slug>/rounds/<slug:round_slug>/answers/<slug:report_slug>/<str:reference>/review/",
        staff.answer_review,
        name="answer_review",
    ),
    # Local policing bodies' offices (and staff reading them)
    path("offices/<slug:body_slug>/", office.office_page, name="office"),
    path(
        "offices/<slug:body_slug>/reports/<slug:report_slug>/response/new/",
        office.response_create,
        name="response_create",
    ),
    path("offices/<slug:body_slug>/responses/<int:response_id>/", office.response_page, name="response"),
    path("offices/<slug:body_slug>/responses/<int:response_id>/edit/", office.response_edit_page, name="response_edit"),
    path(
        "offices/<slug:body_slug>/responses/<int:response_id>/publish/",
        office.response_publish_page,
        name="response_publish",
    ),
    path(
        "offices/<slug:body_slug>/responses/<int:response_id>/correct/",
        office.response_correct_page,
        name="response_correct",
    ),
    path("offices/<slug:body_slug>/responses/<int:response_id>/page/", office.response_public, name="response_public"),
    path(
        "offices/<slug:body_slug>/responses/<int:response_id>/response.docx",
        office.response_download,
        name="response_docx",
    ),
    # The register: staff read every force; a lead, or its commissioner's office, its own force
    path("register/", register.register_page, name="register"),
    path(
        "register/<slug:report_slug>/<str:reference>/",
        register.register_recommendation_page,
        name="register_recommendation",
    ),
    # Portfolio staff
    path("dashboard/", staff.dashboard, name="dashboard"),
    path("dashboard/bodies/", office.bodies_page, name="bodies"),
    path(
        "dashboard/rounds/<slug:round_slug>/recommendations/<slug:report_slug>/<str:reference>/",
        staff.recommendation_page,
        name="staff_recommendation",
    ),
    path(
        "dashboard/rounds/<slug:round_slug>/recommendations/<slug:report_slug>/<str:reference>/forces/<slug:force_slug>/",
        staff.answer_page,
        name="staff_answer",
    ),
    path(
        "dashboard/rounds/<slug:round_slug>/recommendations/<slug:report_slug>/<str:reference>/accept/",
        staff.answers_accept,
        name="answers_accept",
    ),
    path("dashboard/search/", staff.answers_search_page, name="search"),
    path("dashboard/links/", staff.links_page, name="links"),
    path("dashboard/more-time/", extensions.extensions_page, name="extensions"),
    path("dashboard/more-time/<int:extension_id>/", extensions.extension_decide_page, name="extension_decide"),
    path("dashboard/links/<int:link_id>/remove/", staff.link_remove, name="link_remove"),
    path("dashboard/rounds/<slug:round_slug>/follow/", staff.round_follow, name="round_follow"),
    path("dashboard/rounds/<slug:round_slug>/remind/", staff.round_remind, name="round_remind"),
    path("dashboard/practice/<int:practice_id>/delete/", staff.practice_delete, name="practice_delete"),
    path("dashboard/forces/<slug:force_slug>/", staff.force_page, name="staff_force"),
    path("dashboard/rounds/<slug:round_slug>/answers.csv", staff.round_answers_csv, name="round_answers_csv"),
    path("dashboard/rounds/<slug:round_slug>/snapshots/new/", staff.snapshot_create, name="snapshot_create"),
    path("dashboard/snapshots/<int:snapshot_id>/", staff.snapshot_page, name="snapshot"),
    path("dashboard/snapshots/<int:snapshot_id>/edit/", staff.snapshot_edit, name="snapshot_edit"),
    path(
        "dashboard/snapshots/<int:snapshot_id>/recommendations/<slug:report_slug>/<str:reference>/edit/",
        staff.section_edit,
        name="snapshot_section_edit",
    ),
    path("dashboard/snapshots/<int:snapshot_id>/publish/", staff.snapshot_publish, name="snapshot_publish"),
    path("dashboard/snapshots/<int:snapshot_id>/correct/", staff.snapshot_correct, name="snapshot_correct"),
    path("dashboard/snapshots/<int:snapshot_id>/snapshot.docx", staff.snapshot_docx, name="snapshot_docx"),
    path("dashboard/snapshots/<int:snapshot_id>/snapshot.ods", staff.snapshot_ods, name="snapshot_ods"),
    path("dashboard/snapshots/<int:snapshot_id>/figures.csv", staff.snapshot_csv, name="snapshot_csv"),
    path("dashboard/snapshots/<int:snapshot_id>/govuk-pack.zip", staff.snapshot_pack, name="snapshot_pack"),
]
