"""Benchmark: a PDF report of 120 criteria with 50 and with 200 recommendations, against WeasyPrint alone, and
the same report as a Word document against the PDF.

    .venv/bin/python benchmarks/report.py [--rounds 3]

In one warm process: the whole rendering of the worker (snapshot of the review, template, WeasyPrint, storing
the file) and WeasyPrint alone on the same final HTML, with pages and peak memory, then the cached download.
Then, in new processes, the first report of a worker with and without the warm-up its processes run when they
start. The targets: the whole rendering within 1.3 times WeasyPrint alone; the cached download under 100 ms;
a warmed worker's first report as fast as its next.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

from common import ROOT, median, test_database, timed
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

# A worker process's first report, in a new interpreter: with the warm-up a Celery worker runs when its process
# starts (reports/tasks.py, worker_process_init) or without it. Prints the seconds of each step as JSON.
FIRST_REPORT = """
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomborder.settings_test")
import django
django.setup()
begun = time.perf_counter()
if sys.argv[3] == "warm":
    from reports.tasks import warm_the_pdf_engine
    warm_the_pdf_engine()
ready = time.perf_counter()
from reports.services import html_to_pdf
html = open(sys.argv[2], encoding="utf-8").read()
html_to_pdf(html)
first = time.perf_counter()
html_to_pdf(html)
print(json.dumps({"start": ready - begun, "first": first - ready, "next": time.perf_counter() - first}))
"""


def first_report(html_file: Path, mode: str) -> dict:
    command = [sys.executable, "-c", FIRST_REPORT, str(ROOT), str(html_file), mode]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603 - our own
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mib(call) -> float:
    tracemalloc.start()
    call()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def build_review(folder: Path, recommendations: int, tag: str):
    from frameworks.models import SupportArea, ThematicArea
    from reviews.services import assessment_update, recommendation_create
    from tests import factories

    adviser = factories.adviser(f"bench-{tag}")
    state = factories.MemberStateFactory(code=f"X{tag[0].upper()}", name_en=f"Benchland {tag}")
    for n in range(15):
        factories.make_instrument(state, f"Law {n} on borders and migration")
    review = factories.make_review_on(factories.make_library(folder, 120, f"bench-{tag}"), adviser, state)
    instruments = list(state.instruments.all()[:3])
    for n, assessment in enumerate(review.assessments.all()):
        assessment_update(
            assessment=assessment,
            by=adviser,
            version=assessment.version,
            rating=n % 5,
            evidence=instruments,
            finding="The law provides for the check but gives no remedy against a refusal of entry. " * 3,
        )
    areas, themes = list(SupportArea.objects.all()), list(ThematicArea.objects.all())
    for n in range(recommendations):
        recommendation_create(
            review=review,
            by=adviser,
            support_area=areas[n % 6],
            thematic_area=themes[n % 7],
            text=f"Recommendation {n}: amend the regulation so that " + "every decision is reasoned and recorded, " * 4,
            rationale="The current text leaves the decision to the officer's discretion.",
            responsible_institution="Ministry of the Interior",
            priority=("high", "medium", "low")[n % 3],
        )
    return review, adviser


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from reports.services import html_to_pdf, render_report_html, report_content, report_render, report_request

    with test_database():
        call_command("load_framework", verbosity=0)
        with tempfile.TemporaryDirectory() as folder:
            settings.MEDIA_ROOT = Path(folder) / "media"
            reviews = {size: build_review(Path(folder), size, f"r{size}") for size in (50, 200)}
            print(
                f"{'recommendations':>15} {'whole rendering':>16} {'WeasyPrint alone':>17} {'ratio':>6} "
                f"{'pages':>6} {'peak memory':>12}"
            )
            for size, (review, _adviser) in reviews.items():

                def whole(review=review):
                    html = render_report_html(report_content(review, None), language="en", edition="full")
                    return html_to_pdf(html)

                html = render_report_html(report_content(review, None), language="en", edition="full")
                whole()  # warm: templates, fonts and WeasyPrint's caches, as in a worker that has rendered before
                whole_ms = median(timed(whole, args.rounds))
                engine_ms = median(timed(lambda html=html: html_to_pdf(html), args.rounds))
                from weasyprint import HTML

                pages = len(HTML(string=html, base_url=str(settings.BASE_DIR)).render().pages)
                print(
                    f"{size:>15} {whole_ms:>13.0f} ms {engine_ms:>14.0f} ms {whole_ms / engine_ms:>6.2f} "
                    f"{pages:>6} {peak_mib(whole):>8.0f} MiB"
                )

            from reports import word
            from reports.services import report_html_context

            print(f"{'recommendations':>15} {'Word document':>16} {'PDF':>17} {'ratio':>6} {'size':>9}")
            for size, (review, _adviser) in reviews.items():
                content = report_content(review, None)

                def docx(content=content, review=review):
                    return word.render(content, report_html_context, language="en", edition="full", review_id=review.pk)

                def pdf(content=content):
                    return html_to_pdf(render_report_html(content, language="en", edition="full"))

                docx_ms, pdf_ms = median(timed(docx, args.rounds)), median(timed(pdf, args.rounds))
                print(
                    f"{size:>15} {docx_ms:>13.0f} ms {pdf_ms:>14.0f} ms {docx_ms / pdf_ms:>6.2f} "
                    f"{len(docx()) / 1000:>6.0f} kB"
                )

            review, adviser = reviews[200]
            job = report_request(review=review, by=adviser)
            report_render(job.pk)
            client = Client()
            client.force_login(adviser)
            url = reverse("reviews:report_download", args=[job.pk])

            def download():
                response = client.get(url)
                assert response.status_code == 200
                b"".join(response.streaming_content)

            download()
            print(f"cached download of the 200-recommendation report: median {median(timed(download, 20)):.1f} ms")

            html_file = Path(folder) / "report-50.html"
            review, _adviser = reviews[50]
            html_file.write_text(
                render_report_html(report_content(review, None), language="en", edition="full"), encoding="utf-8"
            )
            print("first report of a new worker process (50 recommendations), seconds:")
            for mode, label in (("cold", "without the warm-up"), ("warm", "warmed at start (worker_process_init)")):
                steps = first_report(html_file, mode)
                print(
                    f"  {label:<40} start {steps['start']:5.2f}   first report {steps['first']:5.2f}   "
                    f"next {steps['next']:5.2f}   (goal: the first as fast as the next)"
                )


if __name__ == "__main__":
    main()
