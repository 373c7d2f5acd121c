"""What changed between two drafts, item by item, with the changed text shown as a word diff."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def word_diff(old: str, new: str) -> SafeString:
    """The new text with removed words in <del> and added words in <ins>; every word escaped."""
    old_words, new_words = re.findall(r"\S+|\s+", old), re.findall(r"\S+|\s+", new)
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


@dataclass
class ItemChange:
    kind: str  # "finding" or "recommendation"
    key: str
    label: str
    area: str
    status: str  # "added", "removed", "changed"
    diff: SafeString
    old_rating: str = ""
    new_rating: str = ""


def _findings(snapshot: dict, language: str) -> dict:
    return {
        a["criterion"]: (
            a["title"].get(language) or a["title"]["en"],
            a["support_area"],
            a["finding"],
            a["rating"],
            a["not_applicable"],
        )
        for a in snapshot["assessments"]
    }


def _recommendations(snapshot: dict) -> dict:
    return {
        str(r["id"]): (r["text"][:80], r["support_area"], f"{r['text']}\n{r['rationale']}".strip())
        for r in snapshot["recommendations"]
    }


def draft_changes(old: dict, new: dict, *, language: str, rating_label) -> list[ItemChange]:
    changes = []
    before, after = _findings(old, language), _findings(new, language)
    for code in sorted(before.keys() | after.keys()):
        if code not in after:
            title, area, text, *_ = before[code]
            changes.append(ItemChange("finding", code, f"{code} {title}", area, "removed", word_diff(text, "")))
        elif code not in before:
            title, area, text, *_ = after[code]
            changes.append(ItemChange("finding", code, f"{code} {title}", area, "added", word_diff("", text)))
        else:
            title, area, text, rating, na = after[code]
            _t, _a, old_text, old_rating, old_na = before[code]
            if (text, rating, na) != (old_text, old_rating, old_na):
                changes.append(
                    ItemChange(
                        "finding",
                        code,
                        f"{code} {title}",
                        area,
                        "changed",
                        word_diff(old_text, text),
                        old_rating=rating_label(old_rating, old_na),
                        new_rating=rating_label(rating, na),
                    )
                )
    before_recs, after_recs = _recommendations(old), _recommendations(new)
    for key in sorted(before_recs.keys() | after_recs.keys(), key=int):
        if key not in after_recs:
            label, area, text = before_recs[key]
            changes.append(ItemChange("recommendation", key, label, area, "removed", word_diff(text, "")))
        elif key not in before_recs:
            label, area, text = after_recs[key]
            changes.append(ItemChange("recommendation", key, label, area, "added", word_diff("", text)))
        elif before_recs[key] != after_recs[key]:
            label, area, text = after_recs[key]
            changes.append(
                ItemChange("recommendation", key, label, area, "changed", word_diff(before_recs[key][2], text))
            )
    return changes
