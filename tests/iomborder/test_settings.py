"""Start-up under production variables, in a fresh interpreter as a deployment would start it."""

from tests.deploy import PRODUCTION
from tests.deploy import run_manage as run


def test_check_deploy_has_nothing_to_say_under_production_variables():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_missing_secret_key_stops_start_up_with_its_name():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run(["check"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_value_stops_start_up_with_the_variables_name():
    result = run(["check"], **PRODUCTION, SECURE_HSTS_SECONDS="one year")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_the_commands_that_write_source_files_need_no_production_secret():
    result = run(["makemigrations", "--check", "--dry-run"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_other_commands_still_require_the_secret_without_debug():
    result = run(["migrate", "--plan"], DATABASE_URL="sqlite:///var/never-created.sqlite3")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
