#!/usr/bin/env bash
# The embedded default of `make run`: a Celery worker (with the beat schedule) beside the development server.
# Ctrl-C, or either of them ending, stops both.
set -u
python=${VENV:-.venv}/bin/python
celery=${VENV:-.venv}/bin/celery

"$celery" --quiet -A iomborder worker --beat --schedule var/celerybeat-schedule --loglevel=warning --concurrency=2 &
"$python" manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}" &
# Both run in the background of this shell, so Ctrl-C reaches only the shell: it stops its whole group.
trap 'trap - INT TERM EXIT; kill 0 2>/dev/null' INT TERM EXIT
wait -n
