"""Backups of the whole site: the database and the uploaded and generated files, in one archive.

The embedded default (SQLite) is copied with SQLite's online backup, safe while the site runs; PostgreSQL with
pg_dump (custom format) and restored with pg_restore. The archive holds a manifest of every table's row count
and every file's size and SHA-256, which a restore checks. A restore goes into an empty database and an empty
file storage only: it never mixes a backup with live data. Files are read and written through Django's storage
API (a folder, or an S3-compatible bucket), and so are the archives (STORAGES["backups"]).
"""

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage

from core.files import walk

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


def _files(files: Storage) -> dict[str, dict]:
    found = {}
    for name in walk(files):
        digest, size = hashlib.sha256(), 0
        with files.open(name, "rb") as stored:
            for chunk in iter(lambda stored=stored: stored.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        found[name] = {"size": size, "sha256": digest.hexdigest()}
    return found


def backup(*, database: dict, files: Storage, destination: Storage) -> str:
    """Write an archive of the database and the stored files into the storage `destination` (a folder, or a
    bucket); return its name there."""
    engine = _engine(database)
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%d-%H%M%S")
    name = f"iomborder-backup-{stamp}.tar.gz"
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
            "files": _files(files),
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        archive = work / name
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            for stored_name, facts in manifest["files"].items():
                entry = tarfile.TarInfo(f"media/{stored_name}")
                entry.size = facts["size"]
                with files.open(stored_name, "rb") as stored:
                    tar.addfile(entry, stored)
        with archive.open("rb") as written:  # stored whole once written: never a half-written archive
            return destination.save(name, File(written))


def restore(*, archive: Path, database: dict, files: Storage) -> dict:
    """Restore an archive into an empty database and an empty file storage; return the manifest, checked."""
    engine = _engine(database)
    if any(table_counts(database).values()):
        raise BackupError("the database to restore into is not empty: restore into a new, empty database")
    if next(walk(files), None) is not None:
        raise BackupError("the file storage to restore into is not empty: restore into a new, empty one")
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
        media = work / "media"
        for path in sorted(p for p in media.rglob("*") if p.is_file()):
            with path.open("rb") as restored:
                files.save(str(path.relative_to(media)), File(restored))
    counts = table_counts(database)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"rows restored differ from the backup (table: expected, found): {wrong}")
    found = _files(files)
    missing = [name for name, facts in manifest["files"].items() if found.get(name) != facts]
    if missing:
        raise BackupError(f"files restored differ from the backup: {', '.join(missing[:10])}")
    return manifest
