"""The stored files, through Django's storage API only (a folder of this machine, or an S3-compatible bucket)."""

from collections.abc import Iterator

from django.core.files.storage import Storage


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in `storage` under `folder`, depth first, sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from walk(storage, f"{folder}/{sub}" if folder else sub)
