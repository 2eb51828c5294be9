"""The small worked examples of the EM decks, as data (with the numbers the slides print).

Deck 1 ("Interlude: Maximum Likelihood Estimation & the EM-algorithm", UW CSE 312) works two
1-D examples by hand:

* the **M-step table** ("M-step: calculating mu's"): given E[z_i1] on six points, the new means are
  responsibility-weighted averages, 10.66 and 19.09;
* the **2-component run** ("2 Component Mixture", σ₁ = σ₂ = 1, τ = 0.5): three EM steps from
  μ = (−20, 6) on x = −6, −5, −4, 0, 4, 5, 6.

Each function returns fresh arrays, so a lecture may modify what it gets.  The slide's printed
numbers are included verbatim (``slide_*`` keys) so a notebook or test can compare them with what
:func:`mle_lib.e_step` and :func:`mle_lib.m_step` compute.
"""

from __future__ import annotations

import numpy as np

__all__ = ["deck1_mstep_table", "deck1_two_component_run"]


def deck1_mstep_table() -> dict:
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


def deck1_two_component_run() -> dict:
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
