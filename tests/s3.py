"""A real S3-compatible server for the tests: moto's standalone server (moto[server]) on the loopback address,
reached through boto3 and django-storages exactly as a cloud bucket or MinIO would be."""

import socket
import subprocess
import sys
import time
import uuid

import boto3

KEYS = {"aws_access_key_id": "tests-key", "aws_secret_access_key": "tests-secret", "region_name": "us-east-1"}


class S3Server:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.2)

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, **KEYS)

    def new_bucket(self) -> str:
        name = f"iomborder-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        found = self.client().list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
        return sorted(item["Key"] for item in found)

    def environment(self, bucket: str) -> dict[str, str]:
        """The variables that put a process of the site on this bucket (README, Production)."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "S3_REGION": KEYS["region_name"],
            "S3_ADDRESSING_STYLE": "path",
        }

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def storages_for(server: S3Server, bucket: str, base: dict) -> dict:
    """STORAGES on this bucket for the test's own process (the workers get environment() and their settings)."""
    options = {
        "bucket_name": bucket,
        "endpoint_url": server.endpoint,
        "access_key": KEYS["aws_access_key_id"],
        "secret_key": KEYS["aws_secret_access_key"],
        "region_name": KEYS["region_name"],
        "addressing_style": "path",
        "default_acl": None,
        "file_overwrite": False,
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        **base,
        "default": {"BACKEND": backend, "OPTIONS": {**options, "location": "media"}},
        "backups": {"BACKEND": backend, "OPTIONS": {**options, "location": "backups"}},
    }
