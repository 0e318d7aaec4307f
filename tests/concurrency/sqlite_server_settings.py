"""The development settings the SQLite server test runs (IMMEDIATE transactions, WAL), with
the test suite's cheap password hasher: its 17 users and 32 sign-ins would otherwise spend
about 30 s of CPU in PBKDF2, which is not what the test is about."""

from practicekb.settings.dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
