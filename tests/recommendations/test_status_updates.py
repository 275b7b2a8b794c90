"""An answer is a chain of versions: one current, one latest submitted, none ever overwritten."""

import pytest
from django.db import IntegrityError, transaction

from recommendations.models import StatusUpdate
from recommendations.services import RoundClosed, StaleAnswer, return_submit, status_update_save

pytestmark = pytest.mark.django_db


def save(round, force, user, *, expected_version, narrative="Work under way.", status="in_progress", submit=False):
    return status_update_save(
        round=round,
        force=force,
        recommendation=round.recommendations.get(reference="1"),
        user=user,
        expected_version=expected_version,
        status=status,
        narrative=narrative,
        submit=submit,
    )


def test_every_save_adds_a_version_and_keeps_the_earlier_ones(open_round, force_a, lead_a):
    save(open_round, force_a, lead_a, expected_version=0, narrative="First words.")
    save(open_round, force_a, lead_a, expected_version=1, narrative="Second words.", submit=True)
    save(open_round, force_a, lead_a, expected_version=2, narrative="Third words.")

    versions = list(StatusUpdate.objects.filter(force=force_a).order_by("version"))
    assert [(v.version, v.narrative, v.state) for v in versions] == [
        (1, "First words.", "draft"),
        (2, "Second words.", "submitted"),
        (3, "Third words.", "draft"),
    ]
    assert [v.version for v in versions if v.is_current] == [3]
    # Staff still read what the force submitted while the lead drafts an amendment.
    assert [v.version for v in versions if v.is_latest_submitted] == [2]


def test_the_database_refuses_two_current_versions_of_one_answer(open_round, force_a, lead_a):
    first = save(open_round, force_a, lead_a, expected_version=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            round=open_round,
            force=force_a,
            recommendation=first.recommendation,
            version=2,
            status="complete",
            is_current=True,
        )


def test_the_database_refuses_two_latest_submitted_versions(open_round, force_a, lead_a):
    first = save(open_round, force_a, lead_a, expected_version=0, submit=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            round=open_round,
            force=force_a,
            recommendation=first.recommendation,
            version=2,
            state="submitted",
            status="complete",
            is_current=False,
            is_latest_submitted=True,
        )


def test_the_database_refuses_not_applicable_without_a_reason(open_round, force_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.create(
            round=open_round,
            force=force_a,
            recommendation=open_round.recommendations.first(),
            version=1,
            status="not_applicable",
            not_applicable_reason="",
        )


def test_a_save_from_an_old_version_is_refused_and_writes_nothing(open_round, force_a, lead_a):
    save(open_round, force_a, lead_a, expected_version=0, narrative="Saved by the first person.")
    with pytest.raises(StaleAnswer) as refused:
        save(open_round, force_a, lead_a, expected_version=0, narrative="Saved by the second person.")
    assert refused.value.latest.narrative == "Saved by the first person."
    assert StatusUpdate.objects.filter(force=force_a).count() == 1


def test_a_closed_round_accepts_no_answers(open_round, force_a, lead_a):
    open_round.closed = True
    open_round.save()
    with pytest.raises(RoundClosed):
        save(open_round, force_a, lead_a, expected_version=0)
    assert not StatusUpdate.objects.exists()


def test_submitting_the_return_submits_every_draft_as_a_new_version(open_round, force_a, lead_a):
    save(open_round, force_a, lead_a, expected_version=0, narrative="Draft to submit.")
    submitted = return_submit(round=open_round, force=force_a, user=lead_a)
    assert [(v.version, v.state, v.narrative) for v in submitted] == [(2, "submitted", "Draft to submit.")]
    assert StatusUpdate.objects.filter(force=force_a).count() == 2
    assert StatusUpdate.objects.get(force=force_a, is_latest_submitted=True).version == 2


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"status": "not_applicable", "narrative": "", "not_applicable_reason": ""}, "not_applicable_reason"),
        ({"status": "in_progress", "narrative": "   "}, "narrative"),
        ({"status": "in_progress", "narrative": "x" * 10_001}, "narrative"),
        ({"status": "not_applicable", "narrative": "", "not_applicable_reason": "y" * 1_001}, "not_applicable_reason"),
        ({"status": "sort_of", "narrative": "Words."}, "status"),
    ],
)
def test_an_incomplete_or_over_long_answer_is_a_field_error_not_someone_elses_edit(
    open_round, force_a, lead_a, fields, field
):
    """An import or any other caller reaching the service with a bad answer is told which field is
    wrong (it was once reported as "changed by someone else"), and nothing is written."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        status_update_save(
            round=open_round,
            force=force_a,
            recommendation=open_round.recommendations.get(reference="1"),
            user=lead_a,
            expected_version=0,
            **fields,
        )
    assert list(refused.value.message_dict) == [field]
    assert not StatusUpdate.objects.exists()


def test_only_a_lost_race_on_the_answers_uniqueness_rules_is_reported_as_someone_elses_edit(
    open_round, force_a, lead_a
):
    """A save racing past the lock (both start from no answer) breaks a uniqueness rule: StaleAnswer
    carrying the other save. Any other refusal by the database is raised as the fault it is."""
    from recommendations import services

    save(open_round, force_a, lead_a, expected_version=0, narrative="First.")
    answer = StatusUpdate.objects.filter(round=open_round, force=force_a)
    racing = StatusUpdate(
        round=open_round,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        state="draft",
        status="in_progress",
        narrative="Second.",
        created_by=lead_a,
    )
    with pytest.raises(StaleAnswer) as stale:
        services._version_add(answer, None, racing)  # as if no version existed: version 1 again
    assert stale.value.latest.narrative == "First."

    broken = StatusUpdate(
        round=open_round,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        state="withdrawn",  # a withdrawal without a reason breaks a check, not a uniqueness rule
        status="in_progress",
        narrative="Third.",
        created_by=lead_a,
    )
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            services._version_add(answer, answer.get(is_current=True), broken)
