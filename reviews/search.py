# ruff: noqa: S608 - the SQL here is built from constants; all a person types is a query parameter.
"""Full-text search across the provisions, findings and recommendations a person may see, in three languages.

Each text is searched in its own language (a provision in its instrument's, a finding or a recommendation in its
review's report language): the words of the query are stemmed and stripped of accents as that language does, so
"passeurs" finds "passeur" in French and "migracion" finds "migración" in Spanish. Results are ranked, and the
matched words come back marked (<mark>) in a short excerpt.

- PostgreSQL (production): the iomb_en/fr/es text search configurations (migration reviews 0014), the
  provisions' search vector stored by a trigger in their instrument's language (0016) and GIN indexes; an
  article number ("art. 12 bis") matches the provision's number, and near spellings of a
  provision's heading match by trigram similarity.
- SQLite (the embedded default): FTS5 tables kept by triggers (ensure_sqlite_index, after each migrate), whose
  tokenizer strips accents and stems (porter).

Who sees what: provisions of the states of the reviews whose working state the person may see; findings and
recommendations of those reviews. Another state's text never comes back.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reviews.permissions import Perm, reviews_for, states_for

START, STOP = "\x02", "\x03"  # the marks around matched words, made <mark> once the excerpt is escaped
LIMIT = 50
MAX_QUERY = 200
NUMBER = re.compile(
    r"^\s*(?:art(?:icle|ículo|iculo|icolo)?\.?|section|sección|§)?\s*(\d+[a-z]?(?:\s*(?:bis|ter|quater))?)\s*$", re.I
)
LANGUAGES = ("en", "fr", "es")


@dataclass
class Hit:
    kind: str  # provision, finding, recommendation
    pk: int
    title: str
    excerpt: SafeString
    url: str
    rank: float
    place: str  # the state, and the review or instrument


def _marked(text: str) -> SafeString:
    return mark_safe(escape(text).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped first


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(text: str) -> str:
    """The words a person asked for: control characters (a NUL, which the database refuses) as spaces, runs of
    space as one."""
    return " ".join(CONTROL.sub(" ", str(text)).split())


def search(user, query: str, limit: int = LIMIT) -> list[Hit]:
    """The best matches for `query` among what `user` may see, best first."""
    query = clean_query(query)[:MAX_QUERY]
    if not query or not user.is_authenticated:
        return []
    reviews = list(reviews_for(user, Perm.VIEW).values_list("pk", flat=True))
    states = list(states_for(user, Perm.VIEW).values_list("pk", flat=True))
    if not reviews and not states:
        return []
    backend = _postgresql if connection.vendor == "postgresql" else _sqlite
    language = translation.get_language()[:2] if translation.get_language()[:2] in LANGUAGES else "en"
    hits = backend(query, reviews=reviews, states=states, limit=limit, language=language)
    hits.sort(key=lambda hit: -hit.rank)
    return hits[:limit]


# PostgreSQL -------------------------------------------------------------------------------------------------

HEADLINE = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=' … '"


def _tsquery(code: str) -> str:
    # Written out in each condition (not joined from a CTE): the planner then uses the language's GIN index.
    return f"websearch_to_tsquery('iomb_{code}'::regconfig, %(q)s)"


def _in_language(expression: str, language: str) -> str:
    """`expression` ({code} and {query} filled per language) computed in the row's language."""
    whens = " ".join(f"WHEN '{code}' THEN {expression.format(code=code, query=_tsquery(code))}" for code in LANGUAGES)
    return f"CASE {language} {whens} END"


def _matches(document: str, language: str) -> str:
    """The document, in the row's language, matches the query parsed in that language."""
    return " OR ".join(
        f"({language} = '{code}' AND to_tsvector('iomb_{code}'::regconfig, {document}) @@ {_tsquery(code)})"
        for code in LANGUAGES
    )


def _rank(document: str, language: str) -> str:
    return _in_language(f"ts_rank_cd(to_tsvector('iomb_{{code}}'::regconfig, {document}), {{query}})", language)


def _headline(document: str, language: str) -> str:
    return _in_language(f"ts_headline('iomb_{{code}}'::regconfig, {document}, {{query}}, %(headline)s)", language)


# The provisions' vector is stored (migration reviews 0016: made in the instrument's language by a trigger). A
# vector matches the query parsed in any of the three languages (one GIN index, three bitmap scans); a word is
# stemmed alike in all three nearly always, and the rank is the query's in the provision's own language.
ANY_LANGUAGE = " OR ".join(f"p.search_vector @@ {_tsquery(code)}" for code in LANGUAGES)
PROVISIONS_SQL = f"""
    SELECT s.id, s.number, s.heading, s.title, s.state, s.code, s.instrument_id, s.rank,
           {_headline("s.text", "s.language")}
    FROM (
        SELECT p.id, p.number, p.heading, p.text, i.title, i.language, i.id AS instrument_id, m.name_en AS state,
               m.code,
               coalesce({_in_language("ts_rank(p.search_vector, {query})", "i.language")}, 0)
               + CASE WHEN p.number = %(number)s THEN 1 ELSE 0 END
               + CASE WHEN p.heading %% %(q)s THEN similarity(p.heading, %(q)s) ELSE 0 END AS rank
        FROM frameworks_provision p
        JOIN frameworks_nationalinstrument i ON i.id = p.instrument_id
        JOIN frameworks_memberstate m ON m.id = i.member_state_id
        WHERE p.is_current AND i.member_state_id = ANY(%(states)s)
          AND ({ANY_LANGUAGE} OR p.number = %(number)s OR p.heading %% %(q)s)
        ORDER BY rank DESC LIMIT %(limit)s
    ) s
"""


def _review_sql(table: str, document: str, label: str, join: str, extra: str) -> str:
    return f"""
        SELECT s.id, s.review_id, s.review_title, s.label, s.area, s.rank, {_headline("s.document", "s.language")}
        FROM (
            SELECT a.id, r.id AS review_id, r.title AS review_title, {label} AS label, sa.code AS area,
                   {document} AS document, r.report_language AS language,
                   {_rank(document, "r.report_language")} AS rank
            FROM {table} a JOIN reviews_reviewcycle r ON r.id = a.review_id {join}
            WHERE a.review_id = ANY(%(reviews)s) {extra} AND ({_matches(document, "r.report_language")})
            ORDER BY rank DESC LIMIT %(limit)s
        ) s
    """


def _review_tables(language: str) -> list[tuple[str, str, str]]:
    """(kind, PostgreSQL query, SQLite's label and joins) for findings and recommendations."""
    title = f"c.code || ' ' || c.title_{language}"
    return [
        (
            "finding",
            _review_sql(
                "reviews_assessment",
                "a.finding",
                title,
                "JOIN frameworks_criterion c ON c.id = a.criterion_id "
                "JOIN frameworks_supportarea sa ON sa.id = c.support_area_id",
                "AND a.in_scope AND a.finding <> ''",
            ),
        ),
        (
            "recommendation",
            _review_sql(
                "reviews_recommendation",
                "a.text || ' ' || a.rationale",
                "a.text",
                "JOIN frameworks_supportarea sa ON sa.id = a.support_area_id",
                "AND a.deleted_at IS NULL",
            ),
        ),
    ]


def _provision_hit(pk, number, heading, title, state, code, instrument_id, rank, excerpt) -> Hit:
    return Hit(
        "provision",
        pk,
        f"{title}, art. {number}" + (f" · {heading}" if heading else ""),
        _marked(excerpt or ""),
        reverse("instruments:provisions", args=[code, instrument_id]) + f"#provision-{pk}",
        float(rank or 0),
        state,
    )


def _review_hit(kind, pk, review_id, review_title, label, area, rank, excerpt) -> Hit:
    if kind == "finding":  # the workspace, open on the criterion's area (the team and managers read it)
        url = reverse("reviews:workspace", args=[review_id]) + f"?area={area}#criterion-{pk}"
    else:
        url = reverse("reviews:recommendations", args=[review_id]) + f"#recommendation-{pk}"
    return Hit(kind, pk, str(label)[:200], _marked(excerpt or ""), url, float(rank or 0), review_title)


def _number(query: str) -> str:
    match = NUMBER.match(query)
    return " ".join(match.group(1).split()) if match else ""


def _postgresql(query: str, *, reviews: list[int], states: list[int], limit: int, language: str) -> list[Hit]:
    params = {
        "q": query,
        "reviews": reviews,
        "states": states,
        "limit": limit,
        "number": _number(query),
        "headline": HEADLINE,
    }
    with connection.cursor() as cursor:
        cursor.execute(PROVISIONS_SQL, params)
        hits = [_provision_hit(*row) for row in cursor.fetchall()]
        for kind, sql in _review_tables(language):
            cursor.execute(sql, params)
            hits.extend(_review_hit(kind, *row) for row in cursor.fetchall())
    return hits


# SQLite -----------------------------------------------------------------------------------------------------

SQLITE_TABLES = {
    # fts table: (content table, its columns searched)
    "search_provision": ("frameworks_provision", ("heading", "text")),
    "search_finding": ("reviews_assessment", ("finding",)),
    "search_recommendation": ("reviews_recommendation", ("text", "rationale")),
}


def ensure_sqlite_index(using: str = "default") -> None:
    """Create the FTS5 tables and their triggers where they are missing, and fill them: after each migrate, since
    a migration that rebuilds a table on SQLite drops its triggers."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        for fts, (table, columns) in SQLITE_TABLES.items():
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{fts}_a%"])
            if cursor.fetchone()[0] == 3:
                continue
            names = ", ".join(columns)
            new = ", ".join(f"new.{c}" for c in columns)
            old = ", ".join(f"old.{c}" for c in columns)
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {fts}")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', content_rowid='id', "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            cursor.execute(
                f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
            )
            cursor.execute(
                f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END"
            )
            cursor.execute(
                f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
                f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END"
            )


def _fts_query(query: str) -> str:
    """The words of the query as FTS5 terms (each quoted: no operator of the person's can break the syntax)."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{word}"' for word in words)


def _sqlite(query: str, *, reviews: list[int], states: list[int], limit: int, language: str) -> list[Hit]:
    terms = _fts_query(query)
    number = _number(query)
    if not terms:
        return []
    marks = f"'{START}', '{STOP}', ' … ', 24"
    in_states = ", ".join("%s" for _ in states) or "NULL"
    in_reviews = ", ".join("%s" for _ in reviews) or "NULL"
    provision = f"""SELECT p.id, p.number, p.heading, i.title, m.name_en, m.code, i.id, {{rank}}, {{excerpt}}
        FROM {{source}} JOIN frameworks_nationalinstrument i ON i.id = p.instrument_id
        JOIN frameworks_memberstate m ON m.id = i.member_state_id
        WHERE {{match}} AND p.is_current AND i.member_state_id IN ({in_states}) {{order}} LIMIT %s"""
    with connection.cursor() as cursor:
        cursor.execute(
            provision.format(
                rank="-bm25(search_provision)",
                excerpt=f"snippet(search_provision, -1, {marks})",
                source="search_provision JOIN frameworks_provision p ON p.id = search_provision.rowid",
                match="search_provision MATCH %s",
                order="ORDER BY bm25(search_provision)",
            ),
            [terms, *states, limit],
        )
        rows = cursor.fetchall()
        if number:  # "art. 12 bis": the article of that number
            cursor.execute(
                provision.format(
                    rank="1.0",
                    excerpt="substr(p.text, 1, 200)",
                    source="frameworks_provision p",
                    match="p.number = %s",
                    order="",
                ),
                [number, *states, limit],
            )
            seen = {row[0] for row in rows}
            rows += [row for row in cursor.fetchall() if row[0] not in seen]
        hits = [_provision_hit(*row) for row in rows]
        title = f"c.code || ' ' || c.title_{language}"
        for kind, fts, table, label, join, extra in (
            (
                "finding",
                "search_finding",
                "reviews_assessment",
                title,
                "JOIN frameworks_criterion c ON c.id = a.criterion_id "
                "JOIN frameworks_supportarea sa ON sa.id = c.support_area_id",
                "AND a.in_scope",
            ),
            (
                "recommendation",
                "search_recommendation",
                "reviews_recommendation",
                "a.text",
                "JOIN frameworks_supportarea sa ON sa.id = a.support_area_id",
                "AND a.deleted_at IS NULL",
            ),
        ):
            cursor.execute(
                f"""SELECT a.id, r.id, r.title, {label}, sa.code, -bm25({fts}), snippet({fts}, -1, {marks})
                    FROM {fts} JOIN {table} a ON a.id = {fts}.rowid JOIN reviews_reviewcycle r ON r.id = a.review_id
                    {join}
                    WHERE {fts} MATCH %s AND a.review_id IN ({in_reviews}) {extra}
                    ORDER BY bm25({fts}) LIMIT %s""",
                [terms, *reviews, limit],
            )
            hits.extend(_review_hit(kind, *row) for row in cursor.fetchall())
    return hits
