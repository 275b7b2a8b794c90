from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tools: the scale data generator and the baseline page. Installed in development and
    under `make bench` only (BENCH_TOOLS in tracker/settings.py); never in production."""

    name = "bench"
    verbose_name = "Benchmark tools"
