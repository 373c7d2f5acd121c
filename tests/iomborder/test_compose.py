"""docker-compose.yml, as docker-compose reads it (Debian's package, no engine needed): valid with and without
the MinIO profile; migrations once per deploy before web and workers; the proxy spreads over scaled web
containers (issue 17, item 3)."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose(tmp_path, *args: str) -> str:
    if shutil.which("docker-compose") is None:
        pytest.fail("docker-compose is missing: run `make system-deps` (Debian's docker-compose package).")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy", dirs_exist_ok=True)
    (tmp_path / ".env").write_text(
        "SECRET_KEY=k\nALLOWED_HOSTS=example.org\nSITE_URL=https://example.org\nPOSTGRES_PASSWORD=p\n"
    )
    result = subprocess.run(
        ["docker-compose", *args, "config"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_file_is_valid_without_and_with_the_minio_profile(tmp_path):
    plain = yaml.safe_load(compose(tmp_path))["services"]
    with_minio = yaml.safe_load(compose(tmp_path, "--profile", "minio"))["services"]
    assert {"minio", "minio-bucket"} <= set(with_minio)
    # Only with the profile: the rest of the stack has none, so `up` without it starts no MinIO.
    assert {name for name, service in plain.items() if service.get("profiles")} == {"minio", "minio-bucket"}
    assert plain["minio"]["profiles"] == ["minio"]
    for name in ("web", "worker", "beat"):
        assert plain[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "S3_BUCKET" in plain[name]["environment"]
    assert "manage.py migrate" in str(plain["migrate"]["command"])


def test_the_proxy_finds_every_web_container_again_as_they_are_scaled():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "resolver 127.0.0.11" in conf and "server web:8000 resolve;" in conf and "zone iomborder" in conf
