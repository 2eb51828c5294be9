"""Grade a class's notebooks, each in a fresh kernel inside a sandbox (``make grade SUBMISSIONS=folder``).

See GRADING.md and ``python tools/grade.py --help``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from grading.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
