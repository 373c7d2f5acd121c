from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from iomborder.env import database_from_url, env_bool, env_int, env_list


def test_it_reads_booleans_and_names_the_variable_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_it_reads_whole_numbers_and_names_the_variable_on_a_bad_value(monkeypatch):
    assert env_int("NUMBER", 7) == 7
    monkeypatch.setenv("NUMBER", "12")
    assert env_int("NUMBER", 7) == 12
    monkeypatch.setenv("NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="NUMBER"):
        env_int("NUMBER", 7)


def test_it_reads_lists(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example.org, b.example.org,")
    assert env_list("HOSTS") == ["a.example.org", "b.example.org"]


def test_it_reads_a_postgres_url():
    db = database_from_url("DATABASE_URL", "postgres://user:p%40ss@db.internal:5433/iom?sslmode=require", Path("/x"))
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "iom",
        "user",
        "p@ss",
        "db.internal",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_it_reads_relative_and_absolute_sqlite_urls():
    assert database_from_url("D", "sqlite:///var/db.sqlite3", Path("/srv/app"))["NAME"] == "/srv/app/var/db.sqlite3"
    assert database_from_url("D", "sqlite:////data/db.sqlite3", Path("/srv/app"))["NAME"] == "/data/db.sqlite3"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host/", "sqlite://", "postgres://h:port/db"])
def test_a_bad_database_url_is_refused_by_name(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url("DATABASE_URL", url, Path("/x"))
