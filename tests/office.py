"""LibreOffice, as a ministry would use it, for the tests of the Word export and of the splitting of laws."""

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice(source, convert_to: str, outdir, profile) -> None:
    """Open `source` in LibreOffice (Debian's, installed by `make system-deps`) and save it as `convert_to` in
    `outdir`, as a ministry would: the test fails with LibreOffice's message if it cannot."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is missing: run `make system-deps` (Debian's libreoffice-writer-nogui).")
    done = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            convert_to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
