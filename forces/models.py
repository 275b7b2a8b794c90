"""The 43 territorial police forces of England and Wales, the names they go by, and who leads for each."""

import re

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

_PUNCTUATION = re.compile(r"[^a-z0-9 ]+")
_NOISE_WORDS = {"police", "constabulary", "service", "force", "the"}


def normalise_force_name(name: str) -> str:
    """A force name reduced for matching: "Avon & Somerset Constabulary" -> "avon and somerset"."""
    text = name.lower().replace("&", " and ")
    text = _PUNCTUATION.sub(" ", text)
    words = [word for word in text.split() if word not in _NOISE_WORDS]
    return " ".join(words)


def slugify_force_name(name: str) -> str:
    """The force's slug: lower case, "&" as "and", spaces as hyphens ("avon-and-somerset")."""
    text = name.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class ForceQuerySet(models.QuerySet):
    def matching(self, name: str) -> "ForceQuerySet":
        """Forces whose name or one of whose aliases matches `name` once normalised."""
        key = normalise_force_name(name)
        return self.filter(models.Q(match_key=key) | models.Q(aliases__match_key=key)).distinct()


class Force(models.Model):
    class Country(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"

    name = models.CharField(max_length=100, unique=True, help_text='As published, for example "Avon & Somerset".')
    slug = models.SlugField(max_length=100, unique=True)
    country = models.CharField(max_length=10, choices=Country.choices)
    match_key = models.CharField(max_length=100, unique=True, editable=False)

    objects = ForceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.match_key = normalise_force_name(self.name)
        if not self.slug:
            self.slug = slugify_force_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("recommendations:force", kwargs={"force_slug": self.slug})


class ForceAlias(models.Model):
    """Another name a force goes by in returns and spreadsheets, misspellings included."""

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=100, help_text='For example "Metropolitan Police Service" or "West Merica".')
    match_key = models.CharField(max_length=100, unique=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "force aliases"

    def __str__(self) -> str:
        return f"{self.name} ({self.force})"

    def save(self, *args, **kwargs):
        self.match_key = normalise_force_name(self.name)
        super().save(*args, **kwargs)


class ForceMembership(models.Model):
    """A user who leads for a force: they answer for its chief constable."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="force_membership")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name", "user__username"]
        verbose_name = "force lead"

    def __str__(self) -> str:
        return f"{self.user} leads for {self.force}"


class PolicingBody(models.Model):
    """A force's local policing body: the commissioner, mayor or police authority that holds the
    chief constable to account and must comment on an inspectorate's report within 56 days."""

    class Kind(models.TextChoices):
        PCC = "pcc", "Police and crime commissioner"
        PFCC = "pfcc", "Police, fire and crime commissioner"
        MAYOR = "mayor", "Mayor"
        POLICE_AUTHORITY = "police_authority", "Police authority (City of London)"

    force = models.OneToOneField(Force, on_delete=models.PROTECT, related_name="policing_body")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(
        max_length=200, unique=True, help_text='For example "West Midlands Police and Crime Commissioner\'s office".'
    )
    slug = models.SlugField(max_length=100, unique=True)
    holder_title = models.CharField(
        max_length=200,
        help_text='The holder\'s title as a response is signed: "West Midlands Police and Crime Commissioner".',
    )
    holder_name = models.CharField(
        max_length=200, blank=True, help_text="The holder's name, as signed; offered when a response is drafted."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["force__name"]
        verbose_name = "local policing body"
        verbose_name_plural = "local policing bodies"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.force.slug if self.force_id else slugify_force_name(self.name)
        super().save(*args, **kwargs)


class BodyMembership(models.Model):
    """A user who works in a local policing body's office: they read its force's submitted answers
    and answer for the body."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_membership")
    body = models.ForeignKey(PolicingBody, on_delete=models.PROTECT, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body__force__name", "user__username"]
        verbose_name = "office member"

    def __str__(self) -> str:
        return f"{self.user} works for {self.body}"
