"""Print requirements-dev.txt: what `pip freeze` has beyond requirements.txt (used by `make lock`)."""

import subprocess
import sys
from pathlib import Path

runtime = {line.split("==")[0].lower() for line in Path("requirements.txt").read_text().splitlines() if "==" in line}
frozen = subprocess.run([sys.executable, "-m", "pip", "freeze"], capture_output=True, text=True, check=True).stdout
extra = sorted(
    (line for line in frozen.splitlines() if "==" in line and line.split("==")[0].lower() not in runtime), key=str.lower
)
print("# Exact pins of requirements-dev.in, on top of requirements.txt (regenerate: make lock).")
print("-r requirements.txt")
print("\n".join(extra))
