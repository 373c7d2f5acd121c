"""Benchmark: full-text search over 100,000 national provisions (target on PostgreSQL: median under 50 ms).

    .venv/bin/python benchmarks/search.py [--provisions 100000] [--rounds 5]

On a throw-away test database (PostgreSQL when DATABASE_URL is set, else the embedded SQLite): 20 states, each
with a review and 25 laws in English, French or Spanish, their articles 40 words each, drawn as words are in
texts (Zipf's law) from 3,000 per language: the words of border and migration law spread among made-up ones.
Prints, for queries in the three languages, rare and common words, an article number and a near spelling, the
median and 90th percentile of reviews.search.search as a manager (who sees every state) and as an adviser on
one state's review, the statements each runs and the hits.
"""

import argparse
import random

from common import QueryCounter, median, p90, test_database, timed

WORDS = {
    "en": [
        "border",
        "officer",
        "entry",
        "exit",
        "refusal",
        "travel",
        "document",
        "visa",
        "passenger",
        "carrier",
        "smuggling",
        "migrant",
        "offence",
        "penalty",
        "court",
        "appeal",
        "detention",
        "alternative",
        "child",
        "asylum",
        "protection",
        "data",
        "retention",
        "agency",
        "cooperation",
        "checkpoint",
        "inspection",
        "identity",
        "permit",
        "residence",
        "removal",
        "return",
        "decision",
        "reasons",
        "writing",
        "language",
        "interpreter",
        "vulnerable",
        "referral",
        "trafficking",
        "victim",
        "assistance",
        "minister",
        "decree",
        "regulation",
    ],
    "fr": [
        "frontière",
        "agent",
        "entrée",
        "sortie",
        "refus",
        "document",
        "voyage",
        "visa",
        "passager",
        "transporteur",
        "trafic",
        "passeur",
        "migrant",
        "infraction",
        "peine",
        "tribunal",
        "recours",
        "rétention",
        "alternative",
        "enfant",
        "asile",
        "protection",
        "données",
        "conservation",
        "coopération",
        "contrôle",
        "identité",
        "titre",
        "séjour",
        "éloignement",
        "retour",
        "décision",
        "motifs",
        "écrit",
        "langue",
        "interprète",
        "vulnérable",
        "orientation",
        "traite",
        "victime",
        "assistance",
        "ministre",
        "décret",
        "règlement",
    ],
    "es": [
        "frontera",
        "agente",
        "entrada",
        "salida",
        "denegación",
        "documento",
        "viaje",
        "visado",
        "pasajero",
        "transportista",
        "tráfico",
        "migrante",
        "migración",
        "delito",
        "pena",
        "tribunal",
        "recurso",
        "detención",
        "alternativa",
        "niño",
        "asilo",
        "protección",
        "datos",
        "conservación",
        "cooperación",
        "control",
        "identidad",
        "permiso",
        "residencia",
        "expulsión",
        "retorno",
        "decisión",
        "motivos",
        "escrito",
        "idioma",
        "intérprete",
        "vulnerable",
        "derivación",
        "trata",
        "víctima",
        "asistencia",
        "ministro",
        "decreto",
        "reglamento",
    ],
}
QUERIES = [
    ("French, stemmed plural", "passeurs"),
    ("Spanish, no accent", "migracion"),
    ("English, two words", "border officer"),
    ("rare word", "interprète vulnérable"),
    ("article number", "art. 17 bis"),
    ("near spelling of a heading", "Refusal of entyr"),
]


def vocabulary(rng: random.Random, language: str) -> tuple[list[str], list[float]]:
    """3,000 words and their cumulative weights (the n-th most frequent weighs 1/n): the law's words at every
    60th rank, so that some are frequent and some rare, as in a real statute book."""
    syllables = ["ta", "mi", "ro", "ne", "su", "la", "ko", "pe", "di", "va", "gu", "sen", "tor", "lin", "bar"]
    made_up = set()
    while len(made_up) < 3000:
        made_up.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) + language)
    words = sorted(made_up)
    for rank, word in enumerate(WORDS[language]):
        words[rank * 60] = word
    total, cumulative = 0.0, []
    for rank in range(len(words)):
        total += 1 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


def build(total: int):
    from frameworks.models import NationalInstrument, Provision, SupportArea
    from tests import factories

    rng = random.Random(7)  # noqa: S311 - the same corpus each run, not a secret
    adviser = factories.adviser("bench-adviser")
    manager = factories.UserFactory(username="bench-manager", groups=["Managers"])
    area = SupportArea.objects.get(code="legal_policy")
    states = [factories.MemberStateFactory(code=f"Q{chr(65 + n)}", name_en=f"State {n}") for n in range(20)]
    for state in states:
        factories.make_review(
            adviser if state is states[0] else factories.adviser(f"bench-{state.code}"),
            state,
            f"Review of {state.name_en}",
        )
    languages = list(WORDS)
    instruments = NationalInstrument.objects.bulk_create(
        NationalInstrument(
            member_state=state,
            title=f"Law {n} of {state.name_en}",
            instrument_type="law",
            support_area=area,
            language=languages[n % 3],
        )
        for state in states
        for n in range(25)
    )
    per_instrument = total // len(instruments)
    vocabularies = {language: vocabulary(rng, language) for language in WORDS}
    batch = []
    for instrument in instruments:
        words, weights = vocabularies[instrument.language]
        for n in range(1, per_instrument + 1):
            number = f"{n} bis" if n % 17 == 0 else str(n)
            heading = " ".join(rng.choices(words, cum_weights=weights, k=3)).capitalize()
            if n == 12:
                heading = {"en": "Refusal of entry", "fr": "Refus d'entrée", "es": "Denegación de entrada"}[
                    instrument.language
                ]
            text = " ".join(rng.choices(words, cum_weights=weights, k=40)).capitalize() + "."
            batch.append(Provision(instrument=instrument, number=number, heading=heading, text=text, order=n))
            if len(batch) == 5000:
                Provision.objects.bulk_create(batch)
                batch = []
    Provision.objects.bulk_create(batch)
    return manager, adviser


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--provisions", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with test_database():
        from django.core.management import call_command
        from django.db import connection

        from frameworks.models import Provision
        from reviews.search import search

        call_command("load_framework", verbosity=0)
        manager, adviser = build(args.provisions)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{Provision.objects.count()} provisions on {connection.vendor}")
        print(f"{'query':<46} {'median':>11}   p90, statements, hits (manager | one state's adviser)")
        medians = []
        for label, query in QUERIES:
            for person, who in ((manager, "manager"), (adviser, "adviser")):
                search(person, query)  # warm
                times = timed(lambda p=person, q=query: search(p, q), args.rounds)
                with QueryCounter() as counter:
                    hits = search(person, query)
                medians.append(median(times))
                print(
                    f"{label + ' (' + who + ')':<46} {median(times):8.1f} ms   p90 {p90(times):6.1f} ms   "
                    f"{counter.count} statements   {len(hits)} hits"
                )
        print(f"{'median of the medians':<46} {median(medians):8.1f} ms   (target: under 50 ms on PostgreSQL)")


if __name__ == "__main__":
    main()
