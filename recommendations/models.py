"""Reports, their recommendations, rounds of progress updates, the forces' answers, and snapshots.

An answer (a `StatusUpdate`) is never edited in place or deleted: every save by a force lead adds
a new version row, and a withdrawal is a version too (state "withdrawn"). Two flags, each unique per round, force and recommendation in the database, mark the
version the lead is working on (`is_current`) and the last version the force submitted
(`is_latest_submitted`), so neither is found by scanning history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from forces.models import Force, PolicingBody

from . import evidence

NARRATIVE_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 1_000
EVIDENCE_MAX_LENGTH = 4_000


class Report(models.Model):
    """A publication whose recommendations forces are asked to act on."""

    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=100, help_text='Used in lists, for example "TVIP super-complaint".')
    slug = models.SlugField(max_length=100, unique=True)
    publishers = models.CharField(
        max_length=300, help_text="For example: HMICFRS, the College of Policing and the IOPC."
    )
    published_on = models.DateField()
    url = models.URLField("link", blank=True)
    summary = models.TextField(blank=True)
    bodies_must_comment = models.BooleanField(
        "local policing bodies must comment",
        default=False,
        help_text="Each force's local policing body must publish its comments within 56 days of publication "
        "(Police Act 1996, s.55).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.short_title


class Recommendation(models.Model):
    class Addressee(models.TextChoices):
        CHIEF_CONSTABLES = "chief_constables", "Chief constables"
        PCCS = "pccs", "Police and crime commissioners"
        NATIONAL_BODIES = "national_bodies", "National bodies (NPCC, College of Policing)"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="recommendations")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text='The recommendation this is a part of ("2" holds 2a to 2d).',
    )
    reference = models.CharField(max_length=20, help_text='As the report numbers it: "1", "2a".')
    title = models.CharField(max_length=300, help_text='A short heading, for example "Cultural awareness".')
    sentence = models.TextField(
        "as one sentence",
        blank=True,
        help_text="The recommendation as one sentence, for a snapshot's headings "
        '("Chief constables update their forces\u2019 sexual abuse policies to include the risk of honour-based abuse").',
    )
    text = models.TextField("full text")
    addressee = models.CharField(max_length=30, choices=Addressee.choices, default=Addressee.CHIEF_CONSTABLES)
    order = models.PositiveIntegerField(default=0, help_text="Position within the report; lower comes first.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["report", "reference"], name="recommendation_reference_unique_in_report"),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.reference}: {self.title}"

    @property
    def address(self) -> dict[str, str]:
        """What names it in a page's address: its report and its reference (two reports may both
        have a "1"). Reading it needs the report (select_related("report") where many are listed)."""
        return {"report_slug": self.report.slug, "reference": self.reference}

    @property
    def name(self) -> str:
        """Its report and reference, as people say it ("TVIP super-complaint 1"): a reference alone is
        ambiguous once two reports both have a "1". Reading it needs the report."""
        return f"{self.report.short_title} {self.reference}"

    @property
    def anchor(self) -> str:
        """Its id on a page that lists several reports' recommendations: "recommendation-<report>-<reference>"."""
        return f"recommendation-{self.report.slug}-{self.reference}"

    def clean(self):
        from .rules import parent_problem

        if self.parent_id and not self.report_id:
            self.report = self.parent.report  # a part added under its parent is in the parent's report
        if self.report_id and (problem := parent_problem(recommendation=self, parent=self.parent)):
            raise ValidationError({"parent": problem})


class RecommendationLink(models.Model):
    """Two reports ask the same thing: staff say how one recommendation relates to the other, so a
    force answers it once. An answer to `source` can stand for an answer to `target` when the source
    is the same as or covers it (partly, when it partly covers it); "same as" works both ways
    (rules.link_answers_from)."""

    class Kind(models.TextChoices):
        SAME_AS = "same_as", "is the same as"
        COVERS = "covers", "covers"
        PARTLY_COVERS = "partly_covers", "partly covers"

    source = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="links_out")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="links_in")
    note = models.TextField(blank=True, max_length=1_000, help_text="Why they are linked, for leads and staff.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source__report__published_on", "source__order", "target__report__published_on", "target__order"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="recommendation_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="recommendation_link_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.report.short_title} {self.source.reference} {self.get_kind_display()} " + (
            f"{self.target.report.short_title} {self.target.reference}"
        )

    def clean(self):
        from .rules import link_problem

        if (
            self.source_id
            and self.target_id
            and (problem := link_problem(source=self.source, target=self.target, link_id=self.pk))
        ):
            raise ValidationError({"target": problem})


class RoundQuerySet(models.QuerySet):
    def open(self) -> "RoundQuerySet":
        """The rounds accepting changes from forces today (rules.rounds_accepting_changes)."""
        from .rules import rounds_accepting_changes

        return self.filter(rounds_accepting_changes(timezone.localdate()))

    def for_force(self, force: Force) -> "RoundQuerySet":
        return self.filter(forces_asked=force)


class Round(models.Model):
    """One request to forces for progress against a set of recommendations."""

    title = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    recommendations = models.ManyToManyField(
        Recommendation, related_name="rounds", verbose_name="recommendations in scope"
    )
    forces_asked = models.ManyToManyField(Force, related_name="rounds")
    opens_on = models.DateField()
    due_on = models.DateField()
    closed = models.BooleanField(default=False, help_text="A closed round accepts no more changes from forces.")

    history = HistoricalRecords(m2m_fields=[recommendations, forces_asked])

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("opens_on")), name="round_due_after_opens"),
        ]
        # National staff's work, checked in access.py (access.Can); the "Portfolio staff" group has all.
        permissions = [
            ("view_all_forces", "Can read every force's answers and the consolidated dashboard"),
            ("review_answers", "Can return answers to forces and accept them"),
            ("code_answers", "Can code answers with themes and choose practice to quote"),
            ("draft_snapshots", "Can draft and edit snapshots"),
            ("publish_snapshots", "Can publish snapshots and their corrections"),
            ("link_recommendations", "Can link recommendations in different reports that ask the same"),
            ("decide_extensions", "Can grant or refuse a force more time on a round"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:dashboard") + f"?round={self.slug}"

    @property
    def is_open(self) -> bool:
        """Whether forces may still change their answers (rules.round_accepts_changes)."""
        from .rules import round_accepts_changes

        return round_accepts_changes(closed=self.closed, opens_on=self.opens_on, today=timezone.localdate())

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days


class Status(models.TextChoices):
    COMPLETE = "complete", "Complete"
    IN_PROGRESS = "in_progress", "In progress"
    PLANNED = "planned", "Planned"
    NOT_STARTED = "not_started", "Not started"
    WILL_NOT_IMPLEMENT = "will_not_implement", "Will not implement"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class StatusUpdateQuerySet(models.QuerySet):
    def current(self) -> "StatusUpdateQuerySet":
        """The version each force is working on, draft or submitted."""
        return self.filter(is_current=True)

    def submitted(self) -> "StatusUpdateQuerySet":
        """The last version each force submitted: what national staff and the roll-up read."""
        return self.filter(is_latest_submitted=True)

    def for_force(self, force: Force) -> "StatusUpdateQuerySet":
        return self.filter(force=force)


class StatusUpdate(models.Model):
    """One version of a force's answer to one recommendation in one round."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        # The force took back a submitted answer: kept, shown, and not counted until it submits again.
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Review(models.TextChoices):
        NONE = "", "Not reviewed"
        RETURNED = "returned", "Returned for more information"
        ACCEPTED = "accepted", "Accepted"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="updates")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="updates")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="updates")
    version = models.PositiveIntegerField(help_text="1 for the first save, one more for each save after it.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    status = models.CharField(max_length=20, choices=Status.choices)
    not_applicable_reason = models.TextField(blank=True, max_length=REASON_MAX_LENGTH)
    narrative = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    evidence = models.TextField(
        "evidence links", blank=True, max_length=EVIDENCE_MAX_LENGTH, help_text="One link per line."
    )
    withdrawal_reason = models.TextField(
        blank=True, max_length=REASON_MAX_LENGTH, help_text="Why the force withdrew its submitted answer."
    )
    carried_forward = models.BooleanField(
        default=False, help_text="Submitted unchanged from the force's answer in an earlier round."
    )
    is_resubmission = models.BooleanField(
        default=False, editable=False, help_text="Submitted after staff returned the previous answer."
    )
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The force's answer to a linked recommendation this version was copied from (answered once).",
    )
    is_current = models.BooleanField(default=True, editable=False)
    is_latest_submitted = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    review = models.CharField(max_length=10, choices=Review.choices, default=Review.NONE, blank=True)
    review_note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        # By the columns themselves: ordering by the related models would join (and, under
        # SELECT ... FOR UPDATE, lock) the round, force, recommendation and report rows too.
        ordering = ["round_id", "force_id", "recommendation_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "force", "recommendation", "version"], name="status_update_version_unique"
            ),
            models.UniqueConstraint(
                fields=["round", "force", "recommendation"],
                condition=models.Q(is_current=True),
                name="status_update_one_current",
            ),
            models.UniqueConstraint(
                fields=["round", "force", "recommendation"],
                condition=models.Q(is_latest_submitted=True),
                name="status_update_one_latest_submitted",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.NOT_APPLICABLE) | ~models.Q(not_applicable_reason=""),
                name="status_update_not_applicable_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(is_latest_submitted=False) | models.Q(state="submitted"),
                name="status_update_latest_submitted_is_submitted",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="withdrawn") | ~models.Q(withdrawal_reason=""),
                name="status_update_withdrawal_has_reason",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="status_update_version_positive"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("narrative"), NARRATIVE_MAX_LENGTH),
                name="status_update_narrative_length",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "is_latest_submitted"], name="status_update_round_submitted"),
            models.Index(fields=["round", "force", "is_current"], name="status_update_round_force_cur"),
            # A recommendation's counted answers round by round (the register, its timeline), without
            # reading every force's entries of each round in status_update_one_latest_submitted.
            models.Index(
                fields=["recommendation", "round"],
                condition=models.Q(is_latest_submitted=True),
                name="status_update_latest_by_rec",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.force}, {self.recommendation.reference}, {self.round} (v{self.version}, {self.get_state_display()})"
        )

    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class Document(models.Model):
    """The content of an evidence document, stored once under its SHA-256 digest (evidence.storage_name).

    Never deleted: every version of an answer that lists it refers to it (EvidenceDocument, PROTECT),
    and an answer's versions are never deleted.
    """

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    content_type = models.CharField(max_length=100, help_text="Told from the content, never from the name.")
    storage_name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.content_type}, {self.size} bytes)"

    @property
    def type_label(self) -> str:
        kind = evidence.KINDS.get(self.content_type)
        return kind.label if kind else self.content_type

    @property
    def size_label(self) -> str:
        return evidence.size_label(self.size)


class EvidenceDocument(models.Model):
    """A document attached to one version of an answer, under the name the lead gave it (cleaned).

    A new version of the answer copies the rows of the one before, less those the lead removed, so
    every version keeps the documents it was saved with.
    """

    version = models.ForeignKey(StatusUpdate, on_delete=models.PROTECT, related_name="documents")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200, help_text="The file's name as shown and downloaded.")
    publishable = models.BooleanField(
        "can be published", default=False, help_text="Internal unless the lead says it can be published."
    )
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version_id", "attached_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "document"], name="evidence_document_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({'can be published' if self.publishable else 'internal'})"

    @property
    def marking(self) -> str:
        return "Can be published" if self.publishable else "Internal"


MILESTONE_DESCRIPTION_MAX_LENGTH = 500


class Milestone(models.Model):
    """A step in a force's action plan for one recommendation: what, by when, and when it was done.

    The plan belongs to the force and the recommendation, not to a round: it carries on from round to
    round beside the answers. A target date is never overwritten without a trace: each move is a
    MilestoneMove with its reason, so "target moved twice" keeps every earlier date.
    """

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="milestones")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="milestones")
    description = models.TextField(max_length=MILESTONE_DESCRIPTION_MAX_LENGTH)
    target_on = models.DateField("target date")
    done_on = models.DateField("date done", null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=1, editable=False, help_text="One more for each change: two people changing it at once are told."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_on", "pk"]
        indexes = [
            # Overdue milestones (not done, target passed) of the forces and recommendations a page shows.
            models.Index(
                fields=["recommendation", "force", "target_on"],
                name="milestone_open_by_target",
                condition=models.Q(done_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force}: {self.description[:60]} (by {self.target_on:%-d %B %Y})"


class MilestoneMove(models.Model):
    """A milestone's target date moved, why, by whom and when (oldest first)."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="moves")
    moved_from = models.DateField()
    moved_to = models.DateField()
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["moved_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(moved_from=models.F("moved_to")), name="milestone_move_moves"),
        ]

    def __str__(self) -> str:
        return f"{self.moved_from} to {self.moved_to}"


class Theme(models.Model):
    """A code staff attach to answers to a recommendation so the snapshot can count them."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="themes")
    name = models.CharField(max_length=200, help_text='For example "Specific HBA policy or SOP".')
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["recommendation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "name"], name="theme_name_unique_per_recommendation"),
        ]

    def __str__(self) -> str:
        return self.name


class ThemeCoding(models.Model):
    """A theme staff found in a force's answer to a recommendation in a round.

    It belongs to the answer as a whole, not to one version, so a resubmission keeps its coding.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="codings")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="codings")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="codings")
    coded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    coded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "force", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["round", "force", "theme"], name="theme_coding_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.force}, {self.round})"


class NotablePractice(models.Model):
    """A passage from a force's answer that staff chose to quote in the snapshot.

    Attributed without naming the force (rules.practice_attribution) unless staff decide to name it.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="notable_practice")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="notable_practice")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="notable_practice")
    quote = models.TextField(help_text="The passage to quote, as staff want it to read.")
    name_force = models.BooleanField(default=False, help_text="Name the force instead of leaving it unnamed.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "recommendation__order", "created_at"]
        verbose_name_plural = "notable practice"

    def __str__(self) -> str:
        return f"{self.force}, {self.recommendation.reference}: {self.quote[:60]}"

    @property
    def attribution(self) -> str:
        """Who the quote is attributed to as published (rules.practice_attribution)."""
        from .rules import practice_attribution

        return practice_attribution(force_name=self.force.name, name_force=self.name_force)


class Reminder(models.Model):
    """A reminder emailed to a force's leads before a round is due; never sent twice for the same day."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="reminders")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True, help_text="The addresses it went to, one per line.")

    class Meta:
        ordering = ["round", "force", "-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "force", "days_before"], name="reminder_once_per_day_before"),
        ]

    def __str__(self) -> str:
        return f"{self.force}: {self.days_before} days before {self.round} is due"


class Snapshot(models.Model):
    """The consolidated picture of a round, frozen when published.

    `figures` holds the roll-up as it stood at publication, so later changes to answers never
    change a published snapshot; a correction is a new snapshot that names the one it updates.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Headings(models.TextChoices):
        SENTENCE = "sentence", "The recommendation as one sentence"
        TITLE = "title", "The recommendation's short title"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="snapshots")
    title = models.CharField(max_length=300)
    summary = models.TextField(
        blank=True,
        max_length=400,
        help_text="One or two sentences for the publication's summary on GOV.UK; plain text.",
    )
    author = models.CharField(
        max_length=200,
        blank=True,
        default="National Police Chiefs' Council",
        help_text="Who publishes it: the document's author and the spreadsheet's source.",
    )
    contact = models.CharField(max_length=200, blank=True, help_text="Where to send questions, for the spreadsheet.")
    introduction = models.TextField(blank=True)
    headings = models.CharField(
        max_length=10,
        choices=Headings.choices,
        default=Headings.SENTENCE,
        help_text="How each recommendation is headed in section 2.",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    updates_snapshot = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The earlier published snapshot this one corrects.",
    )
    figures = models.JSONField(default=dict, blank=True)
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(published_on__isnull=False),
                name="snapshot_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SnapshotSection(models.Model):
    """The snapshot's text for one recommendation: a summary staff edit from the drafted figures."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="sections")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True)
    # What is published beside the summary: the response count always; these only when chosen
    # (seed 001 states its counts in the prose and publishes no tables).
    show_status_counts = models.BooleanField("publish the count of forces by status", default=False)
    show_theme_counts = models.BooleanField("publish the count of forces by theme", default=False)
    show_charts = models.BooleanField("publish the counts as charts too", default=False)
    notable_practice = models.JSONField(
        default=list, blank=True, help_text="The quoted practice as published: a list of {quote, attribution}."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["snapshot", "recommendation__order"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "recommendation"], name="snapshot_section_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.recommendation.reference}"


class StatutoryResponse(models.Model):
    """A local policing body's comments on a report (seed 000): title, introduction, a section per
    recommendation, closing and signature. Frozen when published; a correction is a new version
    that names the one it updates ("Updated <date>"), and earlier versions are kept.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    body = models.ForeignKey(PolicingBody, on_delete=models.PROTECT, related_name="responses")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="responses")
    version = models.PositiveIntegerField(default=1, help_text="1 for the first publication, one more per correction.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    updates_response = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The earlier published version this one corrects.",
    )
    title = models.CharField(max_length=600)
    introduction = models.TextField(blank=True)
    closing = models.TextField(blank=True, default="Yours faithfully,")
    signature_name = models.CharField("holder's name", max_length=200, blank=True)
    signature_title = models.CharField("holder's title", max_length=200)
    quotes_published_text = models.BooleanField(
        default=False, help_text="The text quotes a response published elsewhere (the demo's, from seed 000)."
    )
    published_on = models.DateField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "report", "version"], name="response_version_unique"),
            models.UniqueConstraint(
                fields=["body", "report"], condition=models.Q(state="draft"), name="response_one_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(published_on__isnull=False),
                name="response_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.report} (version {self.version}, {self.get_state_display().lower()})"


class ResponseSection(models.Model):
    """The body's text under one of the report's recommendations, numbered as the response numbers it."""

    response = models.ForeignKey(StatutoryResponse, on_delete=models.CASCADE, related_name="sections")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    heading = models.CharField(max_length=300)
    text = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "recommendation"], name="response_section_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}) {self.heading}"


class ResponseReminder(models.Model):
    """A reminder emailed to a body's office before its comments on a report are due (56 days after
    the report's publication): kept like a round's Reminder, so it is never sent twice for one day."""

    body = models.ForeignKey(PolicingBody, on_delete=models.PROTECT, related_name="response_reminders")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="response_reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True, help_text="The addresses it went to, one per line.")

    class Meta:
        ordering = ["report", "body", "-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "report", "days_before"], name="response_reminder_once_per_day_before"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.days_before} days before its response to {self.report} is due"


class Extension(models.Model):
    """A force's lead asks for more time on a round, with a reason; national staff grant a new due
    date for that force, or refuse with a note. The force's own due date (rules.force_due_on: its
    latest granted date, or the round's) then drives its reminders, the chase list and "late".

    Never deleted: a refused request stays on record, and a force may ask again once it is decided.
    """

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for a decision"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="extensions")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="extensions")
    asked_for = models.DateField("date asked for")
    reason = models.TextField(max_length=REASON_MAX_LENGTH)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    asked_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    due_on = models.DateField("new due date", null=True, blank=True, help_text="The date granted.")
    note = models.TextField(blank=True, max_length=REASON_MAX_LENGTH, help_text="Staff's note to the force.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-pk"]
        constraints = [
            # One request waiting per force and round: a second is refused until the first is decided.
            models.UniqueConstraint(
                fields=["round", "force"], condition=models.Q(state="waiting"), name="extension_one_waiting"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="granted") | models.Q(due_on__isnull=False), name="extension_granted_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.force}: more time on {self.round} ({self.get_state_display().lower()})"


class AuditEvent(models.Model):
    """Who did what, and when: sign-ins (and failures), answers, reviews, imports, staff's analysis,
    snapshots, and every addition, change and deletion made in the admin (rounds, recommendations,
    forces, users, force leads).

    Written by the services, the sign-in signals and the admin's log only; nothing in the app edits
    or deletes one.
    """

    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGNED_OUT = "signed_out", "Signed out"
        TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
        TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor sign-in set up"
        TWO_FACTOR_TURNED_OFF = "two_factor_turned_off", "Two-factor sign-in turned off"
        ANSWER_SAVED = "answer_saved", "Answer saved"
        RETURN_SUBMITTED = "return_submitted", "Return submitted"
        RETURN_IMPORTED = "return_imported", "Spreadsheet return imported"
        REPORT_IMPORTED = "report_imported", "Report imported from a spreadsheet"
        ANSWER_RETURNED = "answer_returned", "Answer returned to force"
        ANSWER_ACCEPTED = "answer_accepted", "Answer accepted"
        ANSWER_WITHDRAWN = "answer_withdrawn", "Answer withdrawn"
        ANSWER_CODED = "answer_coded", "Answer coded with themes"
        SUGGESTION_ACCEPTED = "suggestion_accepted", "Suggested theme accepted"
        PRACTICE_QUOTED = "practice_quoted", "Practice chosen to quote"
        PRACTICE_UNQUOTED = "practice_unquoted", "Practice no longer quoted"
        SNAPSHOT_DRAFTED = "snapshot_drafted", "Snapshot drafted"
        SNAPSHOT_EDITED = "snapshot_edited", "Snapshot edited"
        SNAPSHOT_PUBLISHED = "snapshot_published", "Snapshot published"
        REMINDER_SENT = "reminder_sent", "Reminder sent"
        EMAIL_SENT = "email_sent", "Email sent"
        EMAIL_FAILED = "email_failed", "Email could not be sent"
        RESPONSE_DRAFTED = "response_drafted", "Statutory response drafted"
        RESPONSE_EDITED = "response_edited", "Statutory response edited"
        RESPONSE_PUBLISHED = "response_published", "Statutory response published"
        ADMIN_ADDED = "admin_added", "Added in the admin"
        ADMIN_CHANGED = "admin_changed", "Changed in the admin"
        ADMIN_DELETED = "admin_deleted", "Deleted in the admin"
        PASSWORD_RESET_SENT = "password_reset_sent", "Password reset email sent"
        PASSWORD_RESET = "password_reset", "Password reset by email"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        RECOMMENDATIONS_LINKED = "recommendations_linked", "Recommendations linked"
        RECOMMENDATIONS_UNLINKED = "recommendations_unlinked", "Recommendations no longer linked"
        ANSWER_REUSED = "answer_reused", "Answer reused through a link"
        DOCUMENT_ATTACHED = "document_attached", "Evidence document attached"
        DOCUMENT_REMOVED = "document_removed", "Evidence document removed"
        MILESTONE_ADDED = "milestone_added", "Milestone added to an action plan"
        MILESTONE_CHANGED = "milestone_changed", "Milestone changed"
        MILESTONE_MOVED = "milestone_moved", "Milestone's target date moved"
        EXTENSION_ASKED = "extension_asked", "More time asked for"
        EXTENSION_GRANTED = "extension_granted", "More time granted"
        EXTENSION_REFUSED = "extension_refused", "More time refused"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(
        max_length=150, blank=True, help_text="The username as it was, kept if the user is deleted."
    )
    action = models.CharField(max_length=30, choices=Action.choices, db_index=True)
    summary = models.CharField(max_length=500)
    force = models.CharField(max_length=100, blank=True)
    round = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'anonymous'}: {self.summary}"


class FiguresRevision(models.Model):
    """How many writes there have been to what a round's figures are counted from: the key of the
    figures' cache (selectors.figures.round_figures_key).

    Raised only by the database, in the same transaction as the write: triggers on every table the
    figures read (migration 0008). A round's own answers, codings, quoted practice, reminders and
    scope raise the round's number; forces, leads, users, recommendations, themes and rounds, which
    every round reads, raise the number of scope 0.
    """

    ALL_ROUNDS = 0

    scope = models.BigIntegerField(primary_key=True, help_text="A round's id, or 0 for what every round reads.")
    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "figures revision"

    def __str__(self) -> str:
        return f"Revision {self.number} of {'every round' if self.scope == self.ALL_ROUNDS else f'round {self.scope}'}"


class Notification(models.Model):
    """An email the service sends (a lead told an answer was returned, a staff member's daily digest):
    recorded in the transaction that caused it, sent after the commit, and retried by
    `manage.py send_notifications` until it goes, so a failed send never undoes or loses a save."""

    class Kind(models.TextChoices):
        ANSWER_RETURNED = "answer_returned", "Answer returned to the force"
        DIGEST = "digest", "Daily digest of a round"
        EXTENSION_DECIDED = "extension_decided", "A request for more time decided"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="notifications")
    recipients = models.TextField(help_text="The addresses it goes to, one per line.")
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "attempts"], name="notification_unsent")]

    def __str__(self) -> str:
        return f"{self.subject} ({'sent' if self.sent_at else 'not sent yet'})"

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class RoundFollow(models.Model):
    """A staff member follows a round: one email a day of its submissions, resubmissions and
    withdrawals, unless they turn the digest off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_follows")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="follows")
    digest = models.BooleanField("daily digest by email", default=True)
    digest_sent_up_to = models.DateTimeField(
        default=timezone.now, help_text="The digest has told of every change before this moment."
    )

    class Meta:
        ordering = ["round", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "round"], name="round_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.round}"
