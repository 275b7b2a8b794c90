from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and progress"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import audit  # noqa: F401  connects the sign-in receivers

        post_migrate.connect(_figures_triggers_ensure, sender=self)


def _figures_triggers_ensure(sender, using, **kwargs):
    """After every migrate: SQLite loses a table's triggers when a migration rebuilds it."""
    from django.db import connections

    from .figures_triggers import triggers_ensure

    triggers_ensure(connections[using])
