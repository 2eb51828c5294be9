"""The data printed on the slides, so that a notebook quotes them rather than retyping them.

Deck 1 is the UW CSE 312 interlude "Maximum Likelihood Estimation & the EM-algorithm"; deck 2 is
the BITS Pilani session 15 "Maximum Likelihood Estimation & Gaussian Mixture Model".

Deck 1 also works two 1-D EM examples by hand, returned by :func:`deck1_mstep_table` (the
"M-step: calculating mu's" table: new means 10.66 and 19.09) and :func:`deck1_two_component_run`
(the "2 Component Mixture": three EM steps from μ = (−20, 6) on x = −6, −5, −4, 0, 4, 5, 6, σ = 1,
τ = 0.5).  Each returns fresh arrays, so a lecture may modify what it gets; the slide's printed
numbers are included verbatim (``slide_*`` keys) so a notebook or test can compare them with what
:func:`mle_lib.e_step` and :func:`mle_lib.m_step` compute.  Old Faithful (R's ``faithful``) is the
data set of deck 2's mixture slides.
"""

from __future__ import annotations

from typing import Any

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
    "TWO_COINS_HEADS",
    "TWO_COINS_TOSSES",
    "TWO_COINS_LABELS",
    "TWO_COINS_START",
    "TWO_COINS_PUBLISHED",
    "flips_to_binary",
    "deck1_mstep_table",
    "deck1_two_component_run",
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
#: Deck 2: the number of heads in those 100 flips (the MLE of the head probability is 61/100).
COIN_100_HEADS: int = 61
#: Deck 2: the three head probabilities the coin is known to be one of (MLE among them: 2/3).
COIN_100_CANDIDATES: tuple[float, ...] = (1 / 3, 1 / 2, 2 / 3)

#: Deck 1, "A Hat Trick": the two slips, pink μ = 3 and blue μ = 7 (σ² = 1, drawn with prob. ½ each).
HAT_TRICK_MEANS: tuple[float, float] = (3.0, 7.0)
#: Deck 1, "A Hat Trick": the revealed sample, X = 6.001 (P(μ = 7 | X) ≈ 0.982).
HAT_TRICK_X: float = 6.001
#: Deck 1, "A Hat Trick": "What if X had been 4.9?" (odds ≈ 3:2 for μ = 3).
HAT_TRICK_X_ALT: float = 4.9

#: Do & Batzoglou, "What is the expectation maximization algorithm?" (Nature Biotechnology 26, 2008),
#: Fig. 1: five sets of ten tosses, each made with one of two coins A and B; heads per set.
TWO_COINS_HEADS: tuple[int, ...] = (5, 9, 8, 4, 7)
#: Tosses per set in the two-coins example.
TWO_COINS_TOSSES: int = 10
#: The coin each set was in fact made with (Fig. 1a, the complete-data case): θ̂_A = 24/30, θ̂_B = 9/20.
TWO_COINS_LABELS: str = "BAABA"
#: EM's start in Fig. 1b: θ_A = 0.6, θ_B = 0.5 (each coin equally likely to be picked, weights fixed).
TWO_COINS_START: tuple[float, float] = (0.6, 0.5)
#: The numbers Fig. 1b prints: (θ_A, θ_B) after the first iteration and after ten, to two decimals.
TWO_COINS_PUBLISHED: dict[int, tuple[float, float]] = {1: (0.71, 0.58), 10: (0.80, 0.52)}


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


def deck1_mstep_table() -> dict[str, Any]:
    """Deck 1's M-step table: responsibilities on x = 9 10 11 19 20 21 and the new means.

    Returns
    -------
    dict
        ``x`` (6,), ``resp`` (2, 6) component-major (row 0 is E[z_i1], row 1 = 1 − row 0),
        ``slide_means`` (2,) = (10.66, 19.09) as printed.

    Examples
    --------
    >>> t = deck1_mstep_table()
    >>> t["resp"].sum(axis=0)
    array([1., 1., 1., 1., 1., 1.])
    """
    e1 = np.array([0.99, 0.98, 0.7, 0.2, 0.03, 0.01])
    return {
        "x": np.array([9.0, 10.0, 11.0, 19.0, 20.0, 21.0]),
        "resp": np.vstack([e1, 1.0 - e1]),
        "slide_means": np.array([10.66, 19.09]),
    }


def deck1_two_component_run() -> dict[str, Any]:
    """Deck 1's "2 Component Mixture" slide: σ₁ = σ₂ = 1, τ = 0.5, μ from (−20, 6).

    Returns
    -------
    dict
        ``x`` (7,); ``means_init`` (2,) = (−20, 6); ``sigma`` = 1; ``tau`` = 0.5;
        ``slide_means`` (4, 2): the μ₁, μ₂ columns of the slide (initial, after steps 1, 2, 3);
        ``slide_z1`` (3, 7): the printed z_i1 = P(x_i from component 1) of the first three E-steps.

    Examples
    --------
    >>> run = deck1_two_component_run()
    >>> run["slide_means"][1]
    array([-6.,  0.])
    """
    return {
        "x": np.array([-6.0, -5.0, -4.0, 0.0, 4.0, 5.0, 6.0]),
        "means_init": np.array([-20.0, 6.0]),
        "sigma": 1.0,
        "tau": 0.5,
        "slide_means": np.array([[-20.00, 6.00], [-6.00, 0.00], [-5.00, 3.75], [-4.99, 3.75]]),
        "slide_z1": np.array(
            [
                [5.11e-12, 2.61e-23, 1.33e-34, 9.09e-80, 6.19e-125, 3.16e-136, 1.62e-147],
                [1.00e00, 1.00e00, 9.98e-01, 1.52e-08, 5.75e-19, 1.43e-21, 3.53e-24],
                [1.00e00, 1.00e00, 1.00e00, 4.11e-03, 2.64e-18, 4.20e-22, 6.69e-26],
            ]
        ),
    }
