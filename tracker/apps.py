from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self):
        from . import two_factor  # noqa: F401  connects the receiver that starts a two-factor sign-in
