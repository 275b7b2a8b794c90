import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from forces.models import Force, ForceMembership
from recommendations.models import Recommendation, Report, Round, Theme
from recommendations.services import portfolio_group_ensure


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.django.Password("correct horse battery staple")


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test Force {n}")
    country = Force.Country.ENGLAND


def make_lead(force: Force, username: str | None = None):
    user = UserFactory(username=username or f"lead-{force.slug}")
    ForceMembership.objects.create(user=user, force=force)
    return user


def make_portfolio_staff(username: str = "portfolio"):
    user = UserFactory(username=username)
    user.groups.add(portfolio_group_ensure())
    return user


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    title = factory.Sequence(lambda n: f"Inspection report {n}")
    short_title = factory.Sequence(lambda n: f"Report {n}")
    slug = factory.Sequence(lambda n: f"report-{n}")
    publishers = "HMICFRS"
    published_on = datetime.date(2022, 12, 1)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(ReportFactory)
    reference = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Recommendation title {n}")
    text = "Chief constables should make sure that something is done."
    order = factory.Sequence(lambda n: n)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Progress update {n}")
    slug = factory.Sequence(lambda n: f"progress-update-{n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))

    @factory.post_generation
    def recommendations(self, create, extracted, **kwargs):
        if create and extracted:
            self.recommendations.set(extracted)

    @factory.post_generation
    def forces_asked(self, create, extracted, **kwargs):
        if create and extracted:
            self.forces_asked.set(extracted)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    recommendation = factory.SubFactory(RecommendationFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


def make_answer(
    round: Round,
    force: Force,
    recommendation: Recommendation | str = "1",
    *,
    user=None,
    status: str = "in_progress",
    narrative: str = "Illustrative progress update.",
    submit: bool = True,
    **fields,
):
    """A new version of a force's answer, saved through the service as a lead would save it: on top
    of whatever version is current (a first answer if none). `recommendation` may be its reference
    (in the round's first report that has it: the demo's open round has two "1"s)."""
    from recommendations.models import StatusUpdate
    from recommendations.services import status_update_save

    if isinstance(recommendation, str):
        recommendation = (
            round.recommendations.filter(reference=recommendation).order_by("report__published_on", "report_id").first()
        )
    if user is None:
        membership = force.memberships.select_related("user").first()
        user = membership.user if membership else None
    current = StatusUpdate.objects.filter(
        round=round, force=force, recommendation=recommendation, is_current=True
    ).first()
    return status_update_save(
        round=round,
        force=force,
        recommendation=recommendation,
        user=user,
        expected_version=current.version if current else 0,
        status=status,
        narrative=narrative,
        submit=submit,
        **fields,
    )
