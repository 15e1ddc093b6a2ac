"""A cheap Argon2 for the test suite only (settings pick it when QJ_TESTING=1).

Production hashes use Django's Argon2PasswordHasher (about 100 MiB and two passes per hash); the
test county hashes twenty passwords per test, which at that cost would dominate the suite. The
algorithm name stays ``argon2`` so hashes look and verify the same way.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestingArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
