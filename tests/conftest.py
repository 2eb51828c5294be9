"""Shared fixtures for the test suite."""

from __future__ import annotations

import pytest


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
