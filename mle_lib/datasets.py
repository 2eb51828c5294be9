"""The data printed on the slides, so that a notebook quotes them rather than retyping them.

Deck 1 is the UW CSE 312 interlude "Maximum Likelihood Estimation & the EM-algorithm"; deck 2 is
the BITS Pilani session 15 "Maximum Likelihood Estimation & Gaussian Mixture Model".
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "load_old_faithful",
    "HHTHH",
    "FLIPS_14",
    "DECK2_SAMPLE",
    "COIN_100_FLIPS",
    "COIN_100_HEADS",
    "COIN_100_CANDIDATES",
    "HAT_TRICK_MEANS",
    "HAT_TRICK_X",
    "HAT_TRICK_X_ALT",
    "flips_to_binary",
]

#: Deck 1, slide "Likelihood": P(HHTHH | 0.6) > P(HHTHH | 0.5); the MLE is θ̂ = 4/5.
HHTHH: str = "HHTHH"

#: Deck 1, slide "Parameter Estimation": coin flips with 5 heads in 14, so θ̂ = 5/14.
FLIPS_14: str = "HHTTTTHTHTTTTH"

#: Deck 2, "Maximum Likelihood Example 3": a Bernoulli sample with 2 ones and 4 zeros, so
#: L(p) = (1 − p)⁴ p² and p̂ = 2/6 = 1/3. (The slide writes (1 − p)³ p², counting three zeros,
#: and so gets 2/5: a slide error.)
DECK2_SAMPLE: tuple[int, ...] = (0, 1, 0, 0, 1, 0)

#: Deck 2, "An unfair coin is flipped 100 times, and 61 heads are observed".
COIN_100_FLIPS: int = 100
COIN_100_HEADS: int = 61
#: Deck 2: the three head probabilities the coin is known to be one of (MLE among them: 2/3).
COIN_100_CANDIDATES: tuple[float, ...] = (1 / 3, 1 / 2, 2 / 3)

#: Deck 1, "A Hat Trick": the two slips, pink μ = 3 and blue μ = 7 (σ² = 1, drawn with prob. ½ each).
HAT_TRICK_MEANS: tuple[float, float] = (3.0, 7.0)
#: Deck 1, "A Hat Trick": the revealed sample, X = 6.001 (P(μ = 7 | X) ≈ 0.982).
HAT_TRICK_X: float = 6.001
#: Deck 1, "A Hat Trick": "What if X had been 4.9?" (odds ≈ 3:2 for μ = 3).
HAT_TRICK_X_ALT: float = 4.9


def flips_to_binary(s: str) -> np.ndarray:
    """Turn a string of coin flips into the 0/1 sample x₁ … xₙ: "H" → 1, "T" → 0.

    Parameters
    ----------
    s : str
        Non-empty string of the capital letters "H" and "T" only, e.g. :data:`FLIPS_14`.

    Returns
    -------
    ndarray of int, shape (n,)
        1 for each head, 0 for each tail; its sum is n₁, the number of heads.

    Examples
    --------
    >>> flips_to_binary(HHTHH)
    array([1, 1, 0, 1, 1])
    >>> int(flips_to_binary(FLIPS_14).sum()), len(FLIPS_14)
    (5, 14)
    >>> flips_to_binary("HHxT")
    Traceback (most recent call last):
    ...
    ValueError: s must contain only the letters 'H' and 'T'; got 'x' at index 2
    """
    if not isinstance(s, str):
        raise TypeError(f"s must be a str of 'H' and 'T'; got {type(s).__name__}")
    if not s:
        raise ValueError("s must not be empty")
    for i, ch in enumerate(s):
        if ch not in "HT":
            raise ValueError(f"s must contain only the letters 'H' and 'T'; got {ch!r} at index {i}")
    return np.array([1 if ch == "H" else 0 for ch in s], dtype=np.int64)


# =================================================================================================
# Mixture data sets (Gaussian mixtures for the EM notebooks)
# -------------------------------------------------------------------------------------------------
# Reserved for another engineer: mixture data sets are added below this line, with their own
# entries in __all__. Nothing above depends on them.
# =================================================================================================


def load_old_faithful() -> np.ndarray:
    """The Old Faithful geyser data: 272 eruptions of (eruption minutes, waiting minutes).

    R's ``datasets::faithful`` (Härdle 1991; Azzalini & Bowman 1990), shipped as
    ``mle_lib/data/old_faithful.csv`` — see ``mle_lib/data/README.md`` for the source. Its two
    clusters (short eruptions followed by short waits, long by long) make it the standard first
    example of a two-component bivariate Gaussian mixture.

    Returns
    -------
    ndarray of shape (272, 2)
        Column 0 is ``eruptions``, column 1 is ``waiting``.

    Examples
    --------
    >>> X = load_old_faithful()
    >>> X.shape
    (272, 2)
    >>> [round(float(m), 4) for m in X.mean(axis=0)]
    [3.4878, 70.8971]
    """
    from importlib.resources import files

    text = files("mle_lib").joinpath("data", "old_faithful.csv").read_text()
    return np.loadtxt(text.splitlines(), delimiter=",", skiprows=1)
