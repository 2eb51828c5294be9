"""Shared fixtures for the test suite, and the hypothesis profile every property test runs under."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis profiles. `make test` (and so CI) runs "repeatable": derandomize=True seeds each property test
# from a hash of the test itself, so every run tries the same examples and CI cannot fail by chance (a
# failure is a real bug and reproduces on every machine with the pinned versions). No example database
# (derandomize implies none), no deadline (timings vary between machines), and print_blob=True so a
# failure prints the @reproduce_failure line. For exploratory runs that hunt for new counterexamples,
# choose the random profile: `HYPOTHESIS_PROFILE=explore make test-fast` (or `pytest --hypothesis-profile
# explore`). This file is imported before the test modules, so their module-level `settings(...)` objects
# inherit the loaded profile; a test's own max_examples still wins over the profile's.
# The build scripts of tools/ import one another (editions.py) as scripts do: from their own folder.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

settings.register_profile("repeatable", derandomize=True, max_examples=100, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=500, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def ax():
    """A fresh Axes on the non-interactive Agg backend, closed after the test.

    The backend is chosen here, for the tests only: the library never chooses one.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots()
    yield axes
    plt.close(fig)
