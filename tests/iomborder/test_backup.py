"""Backup and restore, as an operator runs them: a site with data is backed up, and the archive restored into
an empty database and an empty files folder holds every row and every file (issue 8, item 14)."""

import os
import sqlite3
import uuid
from pathlib import Path

import pytest

from tests.deploy import run_manage

pytestmark = pytest.mark.slow


def site(tmp_path: Path, database_url: str) -> dict:
    """A site's environment: the embedded default's folder, a database, and a files folder with a file."""
    media = tmp_path / "media"
    (media / "instruments" / "XD").mkdir(parents=True)
    (media / "instruments" / "XD" / "border-act.pdf").write_bytes(b"%PDF-1.7 the Border Act")
    return {
        "DEBUG": "1",
        "IOMBORDER_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
    }


def populate(env: dict) -> None:
    for command in (["migrate", "--no-input"], ["load_framework"], ["seed_demo", "--password", "restore-me-1234"]):
        result = run_manage(command, **env)
        assert result.returncode == 0, result.stdout + result.stderr


def back_up_and_restore(tmp_path: Path, env: dict, target_url: str) -> str:
    made = run_manage(["backup", "--output-dir", str(tmp_path / "backups")], **env)
    assert made.returncode == 0, made.stdout + made.stderr
    archive = next((tmp_path / "backups").glob("iomborder-backup-*.tar.gz"))
    restored_media = tmp_path / "restored-media"
    result = run_manage(
        ["restore", str(archive), "--database-url", target_url, "--media-root", str(restored_media)], **env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (restored_media / "instruments" / "XD" / "border-act.pdf").read_bytes() == b"%PDF-1.7 the Border Act"
    again = run_manage(
        ["restore", str(archive), "--database-url", target_url, "--media-root", str(tmp_path / "x")], **env
    )
    assert again.returncode != 0 and "not empty" in again.stderr  # never over live data
    return result.stdout


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    db.close()
    return counts


def test_the_embedded_default_is_backed_up_and_restored_whole(tmp_path):
    source = tmp_path / "site.sqlite3"
    env = site(tmp_path, f"sqlite:///{source}")
    populate(env)
    target = tmp_path / "restored.sqlite3"
    said = back_up_and_restore(tmp_path, env, f"sqlite:///{target}")
    assert "all checked against the backup" in said
    counts = sqlite_counts(target)
    assert counts == sqlite_counts(source)
    assert counts["reviews_reviewcycle"] >= 2 and counts["reviews_assessment"] > 0


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs where PostgreSQL is the database"
)
def test_a_postgresql_site_is_backed_up_and_restored_whole(tmp_path):
    import psycopg2

    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"backup_{uuid.uuid4().hex[:8]}", f"restore_{uuid.uuid4().hex[:8]}"]
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f"CREATE DATABASE {name}")
    try:
        env = site(tmp_path, f"{server}/{names[0]}")
        populate(env)
        back_up_and_restore(tmp_path, env, f"{server}/{names[1]}")
        counts = []
        for name in names:
            with psycopg2.connect(f"{server}/{name}") as db, db.cursor() as cursor:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
                tables = [row[0] for row in cursor.fetchall()]
                found = {}
                for table in tables:
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
                    found[table] = cursor.fetchone()[0]
                counts.append(found)
            db.close()
        assert counts[0] == counts[1]
        assert counts[1]["reviews_reviewcycle"] >= 2
    finally:
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
