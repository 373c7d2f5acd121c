"""Benchmark: requests per second through gunicorn (4 workers) under 20 clients, the workspace against a
trivial signed-in page.

    .venv/bin/python benchmarks/throughput.py [--seconds 4] [--rounds 3] [--workers 4] [--clients 20]

Needs PostgreSQL (DATABASE_URL): gunicorn's workers and the benchmark share its throw-away database. Builds a
review of 50 and one of 200 criteria (benchmarks/workspace.py), starts gunicorn on a free local port, and runs
the clients (processes of threads, each with its own keep-alive connection and the same signed-in session)
against each page, in rounds taken in turns with the trivial page (benchmarks/floors.py). Prints the requests
per second of each page and of the trivial page in its rounds, their ratio, and each round's. Goal (issue 11):
the workspace at 200 criteria at least 0.1 times the trivial page.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import test_database
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client_process(port: int, path: str, headers: dict, threads: int, seconds: float) -> tuple[int, int]:
    """`threads` clients asking for the page over and over for `seconds`: the answers, and those not 200."""
    counts = [[0, 0] for _ in range(threads)]

    def loop(slot):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            connection.request("GET", path, headers={**headers, "Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            slot[0] += 1
            slot[1] += response.status != 200

    workers = [threading.Thread(target=loop, args=(slot,)) for slot in counts]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def rate(port, path, headers, clients, seconds) -> float:
    processes = 4 if clients >= 4 else 1
    with ProcessPoolExecutor(processes) as pool:
        futures = [
            pool.submit(client_process, port, path, headers, clients // processes, seconds) for _ in range(processes)
        ]
        results = [future.result() for future in futures]
    answered, failed = sum(r[0] for r in results), sum(r[1] for r in results)
    assert failed == 0, f"{failed} of {answered} answers to {path} were not 200"
    return answered / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=4, help="per round and page")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("throughput: skipped, it needs PostgreSQL (set DATABASE_URL): gunicorn shares the database")
        return

    with test_database() as name, tempfile.TemporaryDirectory() as folder:
        from django.core.management import call_command
        from workspace import build

        from tests import factories

        call_command("load_framework", verbosity=0)
        adviser = factories.adviser("bench-adviser")
        client = Client()
        client.force_login(adviser)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        small, large = (build(Path(folder), size, 12, adviser) for size in (50, 200))
        signed_in = {"Cookie": cookie}
        htmx = {**signed_in, "HX-Request": "true"}
        last_area = large.assessments.order_by("-criterion__support_area__order").first().criterion.support_area
        pages = {  # label: (path, headers)
            "trivial signed-in page": (reverse("bench-signed-in"), signed_in),
            "workspace, 50 criteria": (reverse("reviews:workspace", args=[small.pk]), signed_in),
            "workspace, 200 criteria, first area": (reverse("reviews:workspace", args=[large.pk]), signed_in),
            "workspace, 200 criteria, all areas": (
                reverse("reviews:workspace", args=[large.pk]) + "?area=all",
                signed_in,
            ),
            "  a later area's criteria, as reached": (
                reverse("reviews:workspace_criteria", args=[large.pk]) + f"?area={last_area.code}",
                htmx,
            ),
        }
        database = connection.settings_dict
        url = f"postgres://{database['USER']}@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{name}"
        port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "DATABASE_URL": url}
        env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
        command = [sys.executable, "-m", "gunicorn", "iomborder.wsgi", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(args.workers), "--log-level", "warning"]
        server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own interpreter and arguments
        try:
            for _ in range(100):  # until it answers
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/accounts/login/")
                    break
                except OSError:
                    time.sleep(0.2)
            for path, headers in pages.values():  # every worker warm
                rate(port, path, headers, args.workers, 1)
            print(
                f"{'page':<46} {'requests/s':>12}   {'trivial page':>12}   ratio (goal >= 0.1 at 200 criteria), "
                "each round"
            )
            (trivial_path, trivial_headers), *_others = pages.values()
            for label, (path, headers) in list(pages.items())[1:]:
                # In turns with the trivial page, a few seconds each: the machine's load weighs on both alike.
                page_rates, trivial_rates = [], []
                for _ in range(args.rounds):
                    trivial_rates.append(rate(port, trivial_path, trivial_headers, args.clients, args.seconds))
                    page_rates.append(rate(port, path, headers, args.clients, args.seconds))
                page_rate, trivial_rate = sum(page_rates) / args.rounds, sum(trivial_rates) / args.rounds
                each = " ".join(f"{a / b:5.3f}" for a, b in zip(page_rates, trivial_rates, strict=True))
                print(
                    f"{label:<46} {page_rate:12.1f}   {trivial_rate:12.1f}   {page_rate / trivial_rate:5.3f}   ({each})"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
            connection.close()


if __name__ == "__main__":
    main()
