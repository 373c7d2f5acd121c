FROM python:3.11-slim-bookworm

# Pango and fonts for WeasyPrint's PDF reports; pg_dump and pg_restore for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core fonts-dejavu-extra postgresql-client \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python manage.py compiletranslations \
    && SECRET_KEY=build-only-never-used-at-run-time-0123456789abcdefghij python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 iomborder && mkdir -p /data/media && chown -R iomborder /data
USER iomborder
EXPOSE 8000
CMD ["gunicorn", "iomborder.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60", "--access-logfile", "-"]
