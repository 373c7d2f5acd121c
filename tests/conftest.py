import pytest
from django.core.management import call_command

from tests import factories


def pytest_configure(config):
    """A fresh clone's plain `pytest` has no compiled translations (.mo files are build products): compile them
    before any test, as `make test` does, so French and Spanish pages and reports are what they will be."""
    from django.core.management import call_command

    call_command("compiletranslations", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped catalogue, loaded once into the test database, as `make run` loads it."""
    with django_db_blocker.unblock():
        call_command("load_framework", verbosity=0)


@pytest.fixture
def world(db):
    """Two fictional states, a review of each, and one person in every role the permission rules know."""
    return factories.World.build()


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    broker = settings.CELERY_BROKER_URL.split("://", 1)[0]
    return f"iomborder: database {database}, Celery broker {broker}, cache {settings.CACHES['default']['BACKEND']}"


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English: a request in another language leaves that language active in the thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files (instruments, reports) in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
