"""Take the pages' screenshots into docs/screenshots/ by running the browser tests (Debian chromium).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    target = ROOT / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"E2E_SCREENSHOTS": str(target)}
    command = [sys.executable, "-m", "pytest", "tests/e2e", "-q", "-p", "no:cacheprovider"]
    sys.exit(subprocess.call(command, cwd=ROOT, env=env))  # noqa: S603 - our own interpreter and test folder
