"""Search in the drafts a person reads without seeing the working state (government counterparts): the findings
and recommendations of the latest draft published of each review they were invited to. A draft holds a few
hundred items, searched here as they are: accents and case ignored, a query word matching the words it begins
(so "passeur" finds "passeurs", and a plural in the query matches its singular: a final s is dropped).
The working state, the provisions and others' reviews are reviews.search's, for those who may see them."""

import re
import unicodedata

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from consultation.models import DraftVersion
from core.i18n import current_language
from reviews.permissions import Perm, reviews_for
from reviews.search import Hit
from reviews.snapshots import pick

WORD = re.compile(r"\w+")
EXCERPT = 30  # words around the first match


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _stems(query: str) -> list[str]:
    stems = []
    for word in WORD.findall(_plain(query)):
        stems.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return stems


def _excerpt(text: str, stems: list[str]):
    words = text.split()
    marked, first = [], None
    for index, word in enumerate(words):
        plain = _plain(word)
        hit = any(WORD.search(plain) and WORD.search(plain).group().startswith(stem) for stem in stems)
        if hit and first is None:
            first = index
        marked.append(f"<mark>{escape(word)}</mark>" if hit else escape(word))
    start = max(0, (first or 0) - EXCERPT // 3)
    piece = " ".join(marked[start : start + EXCERPT])
    return mark_safe(("… " if start else "") + piece + (" …" if start + EXCERPT < len(words) else ""))  # noqa: S308


def search_drafts(user, query: str, limit: int = 50) -> list[Hit]:
    """The findings and recommendations, in the latest published draft of the reviews the person reads as drafts
    only, that hold every word of the query; ranked by how often they do."""
    stems = _stems(query)
    if not stems:
        return []
    working = reviews_for(user, Perm.VIEW).values("pk")
    reviews = reviews_for(user, Perm.VIEW_DRAFTS).exclude(pk__in=working)
    latest = DraftVersion.objects.filter(review__in=reviews).values("review_id").annotate(number=Max("number"))
    wanted = Q(pk__in=[])
    for row in latest:
        wanted |= Q(review_id=row["review_id"], number=row["number"])
    drafts = DraftVersion.objects.filter(wanted).select_related("review")
    language = current_language()
    hits = []
    for draft in drafts:
        snapshot = draft.snapshot
        url = reverse("reviews:draft", args=[draft.review_id, draft.number])
        place = f"{draft.review.title} · {draft.number}"
        items = [
            ("finding", a["criterion"], f"{a['criterion']} {pick(a['title'], language)}", a["finding"])
            for a in snapshot["assessments"]
            if a["finding"]
        ] + [
            ("recommendation", r["id"], r["text"][:200], f"{r['text']} {r['rationale']}")
            for r in snapshot["recommendations"]
        ]
        for kind, key, title, text in items:
            words = WORD.findall(_plain(text))
            counts = [sum(1 for w in words if w.startswith(stem)) for stem in stems]
            if all(counts):
                hits.append(
                    Hit(kind, 0, title, _excerpt(text, stems), f"{url}#{kind}-{key}", float(sum(counts)), place)
                )
    hits.sort(key=lambda hit: -hit.rank)
    return hits[:limit]
