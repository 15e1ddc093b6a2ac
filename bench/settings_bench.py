"""Settings of the check-in benchmark's server (bench/bench_checkins.py): the product's settings, plus a
bare endpoint at ``/bench/bare/`` for comparison. Never used by the product itself."""

from qijian.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
