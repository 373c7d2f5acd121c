"""Backups of the whole site: the database and the uploaded and generated files, in one archive.

The embedded default (SQLite) is copied with SQLite's online backup, safe while the site runs; PostgreSQL with
pg_dump (custom format) and restored with pg_restore. The archive holds a manifest of every table's row count
and every file's size and SHA-256, which a restore checks. A restore goes into an empty database and an empty
files folder only: it never mixes a backup with live data.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, and nothing was changed."""


def _engine(database: dict) -> str:
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine not in ("sqlite3", "postgresql"):
        raise ImproperlyConfigured(f"backups know SQLite and PostgreSQL, not {engine}")
    return engine


def _pg_env(database: dict) -> tuple[list[str], dict]:
    args = ["--host", database.get("HOST") or "localhost", "--port", str(database.get("PORT") or 5432)]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _sqlite_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables if t != "sqlite_sequence"}  # noqa: S608


def _pg_counts(database: dict) -> dict[str, int]:
    import psycopg2

    with (
        psycopg2.connect(
            dbname=database["NAME"],
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or "localhost",
            port=database.get("PORT") or 5432,
        ) as db,
        db.cursor() as cursor,
    ):
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    db.close()
    return counts


def table_counts(database: dict) -> dict[str, int]:
    """Rows per table of a database ({} for a database with no tables yet)."""
    if _engine(database) == "sqlite3":
        path = Path(database["NAME"])
        return _sqlite_counts(path) if path.exists() else {}
    return _pg_counts(database)


def _files(media_root: Path) -> dict[str, dict]:
    found = {}
    if media_root.exists():
        for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
            found[str(path.relative_to(media_root))] = {
                "size": path.stat().st_size,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
    return found


def backup(*, database: dict, media_root: Path, destination: Path) -> Path:
    """Write an archive of the database and the files into the folder `destination`; return its path."""
    engine = _engine(database)
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
    archive = destination / f"iomborder-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        if engine == "sqlite3":
            dump = work / "database.sqlite3"
            with closing(sqlite3.connect(database["NAME"])) as source, closing(sqlite3.connect(dump)) as target:
                source.backup(target)  # consistent while the site writes
        else:
            dump = work / "database.pgdump"
            args, env = _pg_env(database)
            _run(["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(dump), database["NAME"]], env)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": stamp,
            "tables": table_counts(database),
            "files": _files(media_root),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            if media_root.exists():
                tar.add(media_root, arcname="media")
        partial.rename(archive)  # never a half-written archive under the final name
    return archive


def restore(*, archive: Path, database: dict, media_root: Path) -> dict:
    """Restore an archive into an empty database and an empty files folder; return the manifest, checked."""
    engine = _engine(database)
    if any(table_counts(database).values()):
        raise BackupError("the database to restore into is not empty: restore into a new, empty database")
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"the files folder {media_root} is not empty: restore into a new, empty folder")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(work, filter="data")  # no path outside the folder, no device, no link out
            manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
            raise BackupError(f"{archive} is not a backup of iomborder ({exc})") from None
        if manifest.get("format") != FORMAT or manifest.get("engine") != engine:
            raise BackupError(f"{archive} is a backup of a {manifest.get('engine')} database, not {engine}")
        if engine == "sqlite3":
            target = Path(database["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            with (
                closing(sqlite3.connect(work / "database.sqlite3")) as source,
                closing(sqlite3.connect(target)) as live,
            ):
                source.backup(live)
        else:
            args, env = _pg_env(database)
            _run(
                [
                    "pg_restore",
                    *args,
                    "--no-owner",
                    "--clean",
                    "--if-exists",
                    "--single-transaction",
                    "--dbname",
                    database["NAME"],
                    str(work / "database.pgdump"),
                ],
                env,
            )
        if (work / "media").exists():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(work / "media", media_root, dirs_exist_ok=True)
    counts = table_counts(database)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"rows restored differ from the backup (table: expected, found): {wrong}")
    files = _files(media_root)
    missing = [name for name, facts in manifest["files"].items() if files.get(name) != facts]
    if missing:
        raise BackupError(f"files restored differ from the backup: {', '.join(missing[:10])}")
    return manifest
