"""Full-text search over provisions, findings and recommendations (reviews.search).

PostgreSQL: the unaccent and pg_trgm extensions, a text search configuration per language that drops accents
before stemming (iomb_en, iomb_fr, iomb_es), a GIN index per language on each searched text, and a trigram
index on the provisions' headings. SQLite (the embedded default) gets its FTS5 tables after each migrate
(reviews.search.ensure_sqlite_index): a later migration that rebuilds a table there drops its triggers."""

from django.db import migrations

LANGUAGES = {"en": "english", "fr": "french", "es": "spanish"}
# table, the searched text (an expression of its columns)
DOCUMENTS = {
    "frameworks_provision": "heading || ' ' || text",
    "reviews_assessment": "finding",
    "reviews_recommendation": "text || ' ' || rationale",
}


def postgresql_forward(schema_editor):
    run = schema_editor.execute
    run("CREATE EXTENSION IF NOT EXISTS unaccent")
    run("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for code, dictionary in LANGUAGES.items():
        run(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS iomb_{code}")
        run(f"CREATE TEXT SEARCH CONFIGURATION iomb_{code} (COPY = pg_catalog.{dictionary})")
        run(
            f"ALTER TEXT SEARCH CONFIGURATION iomb_{code} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {dictionary}_stem"
        )
        for table, document in DOCUMENTS.items():
            run(
                f"CREATE INDEX {table}_fts_{code} ON {table} "
                f"USING gin (to_tsvector('iomb_{code}'::regconfig, {document}))"
            )
    run("CREATE INDEX frameworks_provision_heading_trgm ON frameworks_provision USING gin (heading gin_trgm_ops)")
    run("CREATE INDEX frameworks_provision_number ON frameworks_provision (number)")


def postgresql_backward(schema_editor):
    run = schema_editor.execute
    run("DROP INDEX IF EXISTS frameworks_provision_heading_trgm")
    run("DROP INDEX IF EXISTS frameworks_provision_number")
    for code in LANGUAGES:
        for table in DOCUMENTS:
            run(f"DROP INDEX IF EXISTS {table}_fts_{code}")
        run(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS iomb_{code}")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        postgresql_forward(schema_editor)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        postgresql_backward(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0013_provisions"),
        ("frameworks", "0005_provisions"),
    ]

    operations = [migrations.RunPython(forward, backward)]
