"""Files in an S3-compatible bucket (issue 17, items 1 and 2), against moto's real server on the loopback
address: an upload by the web process, read and rendered by a worker on "another machine" (another process, its
own empty folder), downloaded through the permission check, deleted; nothing on a local disk."""

import tarfile

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from frameworks.models import ProvisionSplit, SupportArea
from iomborder.backup import backup
from reports.models import ReportJob
from reports.services import report_request
from reviews.instruments import instrument_create
from reviews.provisions import provisions_split_start
from tests import factories
from tests.frameworks.test_splitting import FRENCH
from tests.reports.test_report_worker import wait_for
from tests.s3 import S3Server, storages_for
from tests.workers import Worker, purge_queue


@pytest.fixture(scope="module")
def s3():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3, settings):
    name = s3.new_bucket()
    settings.STORAGES = storages_for(s3, name, settings.STORAGES)
    return name


def local_files(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.mark.django_db
def test_an_upload_is_stored_in_the_bucket_private_and_downloaded_through_the_permission_check(
    s3, bucket, world, client, media_root
):
    law = instrument_create(
        member_state=world.demoland,
        by=world.adviser,
        title="Loi relative aux étrangers",
        instrument_type="law",
        support_area=SupportArea.objects.get(code="legal_policy"),
        language="fr",
        file=SimpleUploadedFile("loi.txt", FRENCH.encode(), content_type="text/plain"),
    )
    key = f"media/{law.file.name}"
    assert s3.keys(bucket) == [key] and not local_files(media_root)
    grants = s3.client().get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's only: never public
    url = reverse("instruments:instrument_file", args=["XD", law.pk])
    client.force_login(world.adviser)
    answer = client.get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == FRENCH.encode()
    client.force_login(world.counterpart_other_state)
    assert client.get(url).status_code == 404
    # A backup reads the files from the bucket and is stored in it.
    archive = backup(database=connection.settings_dict, files=storages["default"], destination=storages["backups"])
    assert s3.keys(bucket, "backups/") == [f"backups/{archive}"]
    with storages["backups"].open(archive, "rb") as stored, tarfile.open(fileobj=stored, mode="r:gz") as tar:
        assert tar.extractfile(f"media/{law.file.name}").read() == FRENCH.encode()
    default_storage.delete(law.file.name)
    assert s3.keys(bucket, "media/") == []


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_another_machine_reads_the_web_upload_and_renders_into_the_bucket(
    s3, bucket, tmp_path, client, media_root
):
    call_command("load_framework", verbosity=0)
    world = factories.World.build()
    law = factories.make_instrument(world.demoland, "Loi relative aux étrangers", language="fr")
    law.file.save("loi.txt", SimpleUploadedFile("loi.txt", FRENCH.encode()))
    elsewhere = tmp_path / "another-machine"
    elsewhere.mkdir()
    purge_queue()
    worker = Worker("s3-test@localhost", MEDIA_ROOT=str(elsewhere), **s3.environment(bucket)).wait_ready()
    try:
        split = provisions_split_start(instrument=law, by=world.adviser)
        wait_for(lambda: ProvisionSplit.objects.get(pk=split.pk).state != "queued", 120, "the split")
        job = report_request(review=world.review, by=world.adviser)
        wait_for(lambda: ReportJob.objects.get(pk=job.pk).state == ReportJob.State.READY, 180, "the report")
    finally:
        worker.stop()
    split.refresh_from_db()
    assert split.state == "ready" and "CHAPITRE II" in split.message  # read from the bucket by the worker
    job.refresh_from_db()
    assert f"media/{job.file.name}" in s3.keys(bucket, "media/reports/")
    assert not local_files(elsewhere) and not local_files(media_root)
    client.force_login(world.manager)
    answer = client.get(reverse("reviews:report_download", args=[job.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF-")
