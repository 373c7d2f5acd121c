"""The provisions' search vector, stored (PostgreSQL): made by a trigger from the heading and the text in the
instrument's language, and made again when the instrument's language changes. Ranking 100,000 provisions reads
it instead of parsing every matched text again; one GIN index on it replaces the three on the expressions."""

from django.db import migrations

FORWARD = [
    "ALTER TABLE frameworks_provision ADD COLUMN search_vector tsvector",
    """
    CREATE FUNCTION frameworks_provision_search_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector(
            (CASE (SELECT language FROM frameworks_nationalinstrument WHERE id = NEW.instrument_id)
                WHEN 'fr' THEN 'iomb_fr' WHEN 'es' THEN 'iomb_es' ELSE 'iomb_en' END)::regconfig,
            coalesce(NEW.heading, '') || ' ' || coalesce(NEW.text, '')
        );
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER frameworks_provision_search_vector BEFORE INSERT OR UPDATE OF heading, text, instrument_id
    ON frameworks_provision FOR EACH ROW EXECUTE FUNCTION frameworks_provision_search_vector()
    """,
    """
    CREATE FUNCTION frameworks_instrument_language() RETURNS trigger AS $$
    BEGIN
        UPDATE frameworks_provision SET text = text WHERE instrument_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER frameworks_instrument_language AFTER UPDATE OF language ON frameworks_nationalinstrument
    FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language) EXECUTE FUNCTION frameworks_instrument_language()
    """,
    "UPDATE frameworks_provision SET text = text",
    "CREATE INDEX frameworks_provision_search_vector ON frameworks_provision USING gin (search_vector)",
    "DROP INDEX IF EXISTS frameworks_provision_fts_en",
    "DROP INDEX IF EXISTS frameworks_provision_fts_fr",
    "DROP INDEX IF EXISTS frameworks_provision_fts_es",
]
BACKWARD = [
    *(
        f"CREATE INDEX frameworks_provision_fts_{code} ON frameworks_provision "
        f"USING gin (to_tsvector('iomb_{code}'::regconfig, heading || ' ' || text))"
        for code in ("en", "fr", "es")
    ),
    "DROP TRIGGER frameworks_instrument_language ON frameworks_nationalinstrument",
    "DROP FUNCTION frameworks_instrument_language()",
    "DROP TRIGGER frameworks_provision_search_vector ON frameworks_provision",
    "DROP FUNCTION frameworks_provision_search_vector()",
    "ALTER TABLE frameworks_provision DROP COLUMN search_vector",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("reviews", "0015_gap_note_without_provision")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
