"""Settings for the test suite: the real settings, with a key and a folder of their own."""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("IOMBORDER_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from iomborder.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise serves from here and warns if it is missing
# A page's statements are counted in tests: "last seen" is written only when a test asks (settings fixture).
SESSION_SEEN_SECONDS = 24 * 60 * 60
# Two factors are required only where a test asks (settings fixture): force_login does not verify one.
MFA_REQUIRED_GROUPS = []
