"""The benchmark's anchor: what plain Django does with the same page, outside this project's stack.

One file, Django alone: the sessions and authentication middleware and nothing else (no project
middleware, context processors, layout or cache), its own database, and one page that renders a
43 x 6 status matrix (the 43 forces, one round's six recommendations) from one query in a plain
template. `make bench` serves it with the same gunicorn and wrk settings as the project, in the
same run, and prints every page of the project as a ratio to it.

    ANCHOR_DATABASE_URL=postgres://postgres@127.0.0.1:5432/anchor python bench/anchor.py seed
    ANCHOR_DATABASE_URL=... gunicorn --pythonpath bench anchor:application

`seed` creates the tables (Django's own and three of its own), one user (`anchor`, the demo
password) and the round's answers; the page is /matrix/, behind Django's own sign-in page at
/accounts/login/ (the same addresses and field names as the project's, so the same client signs in).
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    # Run as a script: import this file as the module "anchor", the name its settings give the app.
    sys.path.insert(0, str(HERE))
    import anchor

    sys.exit(anchor.command(sys.argv[1:]))

import django  # noqa: E402
import django.apps  # noqa: E402
from django.conf import settings  # noqa: E402


def database(url: str) -> dict:
    if url.startswith("sqlite:///"):
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": url.removeprefix("sqlite:///")}
    parts = urlsplit(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts.path.lstrip("/"),
        "USER": parts.username or "",
        "PASSWORD": parts.password or "",
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        # As the project keeps its connections: opening one costs about as much as a page.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ round.title }}</title></head>
<body>
<h1>{{ round.title }}</h1>
<p>Signed in as {{ user.get_username }}.</p>
<table>
  <caption>Each force's status for each recommendation</caption>
  <thead><tr><th scope="col">Force</th>{% for reference in references %}<th scope="col">{{ reference }}</th>{% endfor %}</tr></thead>
  <tbody>
    {% for force, statuses in rows %}
    <tr><th scope="row">{{ force }}</th>{% for status in statuses %}<td>{{ status }}</td>{% endfor %}</tr>
    {% endfor %}
  </tbody>
</table>
</body>
</html>
"""
SIGN_IN = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Sign in</title></head>
<body><form method="post">{% csrf_token %}{{ form.as_p }}<button type="submit">Sign in</button></form></body>
</html>
"""

settings.configure(
    DEBUG=False,
    SECRET_KEY="anchor-benchmark-only-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "anchor"],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ],
    DATABASES={"default": database(os.environ.get("ANCHOR_DATABASE_URL", f"sqlite:///{HERE / 'anchor.sqlite3'}"))},
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", {"page.html": PAGE, "sign_in.html": SIGN_IN})],
                "context_processors": ["django.contrib.auth.context_processors.auth"],
            },
        }
    ],
    LOGIN_URL="/accounts/login/",
    LOGIN_REDIRECT_URL="/matrix/",
    USE_TZ=True,
)
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.contrib.auth.views import LoginView  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import models  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402

PASSWORD = "tracker-demo"
STATUSES = ["Complete", "In progress", "Planned", "Not started", "Will not implement", "No response"]
REFERENCES = ["1", "2a", "2b", "2c", "2d", "3"]


class Force(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        app_label = "anchor"

    def __str__(self):
        return str(self.pk)


class Round(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        app_label = "anchor"

    def __str__(self):
        return str(self.pk)


class Answer(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE)
    force = models.ForeignKey(Force, on_delete=models.CASCADE)
    reference = models.CharField(max_length=10)
    order = models.PositiveIntegerField()
    status = models.CharField(max_length=40)

    class Meta:
        app_label = "anchor"

    def __str__(self):
        return str(self.pk)


# The models are this module's own; migrate's run_syncdb creates tables only for an app with a models module.
django.apps.apps.get_app_config("anchor").models_module = sys.modules[__name__]


@login_required
def matrix(request, slug="march-2024"):
    """One round's statuses by force and recommendation, from one query (with the round's title)."""
    rows: dict[str, list[str]] = {}
    references: dict[str, None] = {}
    answers = list(
        Answer.objects.filter(round__slug=slug)
        .order_by("force__name", "order")
        .values_list("round__title", "force__name", "reference", "status")
    )
    for _title, force, reference, status in answers:
        rows.setdefault(force, []).append(status)
        references.setdefault(reference)
    title = answers[0][0] if answers else ""
    return render(
        request, "page.html", {"round": {"title": title}, "references": list(references), "rows": rows.items()}
    )


urlpatterns = [
    path("accounts/login/", LoginView.as_view(template_name="sign_in.html")),
    path("matrix/", matrix),
]
application = WSGIHandler()


def seed() -> None:
    """Django's tables and the anchor's, one user, 43 forces and one round of 43 x 6 answers."""
    from django.core.management import call_command

    sys.path.insert(0, str(HERE.parent))
    from forces.data import FORCES  # the names only, so the rows are as long as the project's

    call_command("migrate", run_syncdb=True, verbosity=0)
    User = get_user_model()
    if not User.objects.filter(username="anchor").exists():
        User.objects.create_user("anchor", password=PASSWORD)
    round, _ = Round.objects.get_or_create(slug="march-2024", defaults={"title": "Progress update, March 2024"})
    Answer.objects.filter(round=round).delete()
    forces = [Force.objects.get_or_create(name=name)[0] for name, _country, _aliases in FORCES]
    Answer.objects.bulk_create(
        Answer(
            round=round,
            force=force,
            reference=reference,
            order=order,
            status=STATUSES[(index + order) % len(STATUSES)],
        )
        for index, force in enumerate(forces)
        for order, reference in enumerate(REFERENCES)
    )
    print(f"anchor: {len(forces)} forces, {Answer.objects.filter(round=round).count()} answers")


def command(argv: list[str]) -> int:
    if argv == ["seed"]:
        seed()
        return 0
    print(__doc__)
    return 2
