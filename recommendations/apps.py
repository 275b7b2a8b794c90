from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations and progress"

    def ready(self):
        from . import audit  # noqa: F401  connects the sign-in receivers
