"""How the Word export names the items it bookmarks and marks the comments it writes, so that an annotated file
read back (reports.word_import) finds its items: without python-docx, which the web processes need not load."""

import re

# The initials of the comments the export writes (the consultation's threads): reading the file back skips them.
EXPORTED = "iomb"
# The author of the tracked changes the export writes (what moved since the previous draft): reading the file back
# skips them, as they are the team's, not the ministry's.
TRACKED = "iomborder"
# The custom document property naming the review and draft a file was exported from.
PROPERTY = "iomborder"


def identity(review_id: int, draft_number: int | None) -> str:
    return f"review={review_id}:draft={draft_number or ''}"


def anchor_name(target_type: str, key: str = "") -> str:
    """A bookmark's name for an item (Word allows letters, digits and underscores, 40 at most)."""
    prefix = {"finding": "iom_f_", "recommendation": "iom_r_", "section": "iom_s_", "draft": "iom_d"}[target_type]
    return (prefix + re.sub(r"\W", "_", str(key)))[:40]


def anchors_of(snapshot: dict) -> dict[str, tuple[str, str]]:
    """The bookmark names of a draft's items -> the item each names (target type, target key), as the comments
    of the consultation name them."""
    keys = {anchor_name("draft"): ("draft", "")}
    keys |= {anchor_name("section", a["code"]): ("section", a["code"]) for a in snapshot["support_areas"]}
    keys |= {anchor_name("finding", a["criterion"]): ("finding", a["criterion"]) for a in snapshot["assessments"]}
    keys |= {
        anchor_name("recommendation", r["id"]): ("recommendation", str(r["id"])) for r in snapshot["recommendations"]
    }
    return keys
