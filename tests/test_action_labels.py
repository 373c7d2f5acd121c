"""Every action the code writes to the log has a name in people's words (core/actions.py): the History page and
the admin show the label, never the dotted name."""

import re
from pathlib import Path

from core.actions import LABELS

ROOT = Path(__file__).resolve().parents[1]
APPS = ("core", "iomborder", "frameworks", "reviews", "consultation", "reports", "followup")
# A quoted name of three dotted parts with one of the log's prefixes: "review.gap_entry.added".
ACTION = re.compile(r'"((?:accounts|instruments|review|reports|consultation|followup|core)\.[a-z_]+\.[a-z_]+)"')


def test_every_action_written_to_the_log_has_a_label():
    written = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and not path.name.startswith("settings"):  # settings name callables
                written |= set(ACTION.findall(path.read_text(encoding="utf-8")))
    assert written, "no action found: the pattern no longer matches the code"
    assert sorted(written - set(LABELS)) == []
