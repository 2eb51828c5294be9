"""The slides' data: exact values, the counts the slides quote, and flips_to_binary."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from mle_lib import datasets
from mle_lib.datasets import DECK2_SAMPLE, FLIPS_14, HHTHH, flips_to_binary

SETTINGS = settings(max_examples=50)  # derandomized by the profile in conftest.py


def test_constants_are_the_slides_data():
    assert HHTHH == "HHTHH"
    assert FLIPS_14 == "HHTTTTHTHTTTTH"
    assert DECK2_SAMPLE == (0, 1, 0, 0, 1, 0)
    assert datasets.HAT_TRICK_MEANS == (3.0, 7.0)
    assert datasets.HAT_TRICK_X == 6.001 and datasets.HAT_TRICK_X_ALT == 4.9


def test_counts_quoted_on_the_slides():
    heads = flips_to_binary(FLIPS_14)
    assert heads.sum() == 5 and heads.size == 14  # deck 1: 5 heads of 14
    assert flips_to_binary(HHTHH).sum() == 4  # deck 1: θ̂ = 4/5 for HHTHH
    # Deck 2, example 3: 2 ones in 6 — the MLE is 1/3 (the slide's 2/5 miscounts the zeros).
    assert sum(DECK2_SAMPLE) == 2 and len(DECK2_SAMPLE) == 6


def test_deck2_sample_mle_is_one_third_not_two_fifths():
    x = np.array(DECK2_SAMPLE)
    grid = np.linspace(0.001, 0.999, 999)
    loglik = stats.bernoulli.logpmf(x[:, None], grid).sum(axis=0)
    assert grid[np.argmax(loglik)] == pytest.approx(1 / 3, abs=1e-3)


def test_coin_100_mle_among_the_candidates_is_two_thirds():
    pmf = stats.binom.pmf(datasets.COIN_100_HEADS, datasets.COIN_100_FLIPS, datasets.COIN_100_CANDIDATES)
    assert datasets.COIN_100_CANDIDATES[int(np.argmax(pmf))] == pytest.approx(2 / 3)
    # The slide's values: ≈ 9.6e-9, 0.007, 0.040.
    np.testing.assert_allclose(pmf, [9.6e-9, 0.007, 0.040], rtol=0.05)


def test_flips_to_binary_maps_h_to_one_and_t_to_zero():
    out = flips_to_binary("HTTH")
    np.testing.assert_array_equal(out, [1, 0, 0, 1])
    assert out.dtype.kind == "i"


@SETTINGS
@given(st.text(alphabet="HT", min_size=1, max_size=60))
def test_flips_round_trip(s):
    out = flips_to_binary(s)
    assert "".join("H" if v else "T" for v in out) == s
    assert out.sum() == s.count("H")


@pytest.mark.parametrize("bad,index", [("HHTx", 3), ("hHT", 0), ("H T", 1), ("HT1", 2)])
def test_flips_to_binary_refuses_other_letters(bad, index):
    with pytest.raises(ValueError, match=rf"^s must contain only the letters 'H' and 'T'; .* index {index}"):
        flips_to_binary(bad)


def test_flips_to_binary_refuses_empty_and_non_strings():
    with pytest.raises(ValueError, match="^s must not be empty"):
        flips_to_binary("")
    with pytest.raises(TypeError, match="^s must be a str"):
        flips_to_binary(["H", "T"])
    with pytest.raises(TypeError, match="^s must be a str"):
        flips_to_binary(b"HT")


def test_old_faithful_matches_r_faithful_summary():
    """Independent reference: R's summary of datasets::faithful (n = 272)."""
    import mle_lib

    X = mle_lib.load_old_faithful()
    assert X.shape == (272, 2)
    np.testing.assert_allclose(X.mean(axis=0), [3.487783, 70.897059], atol=5e-7)
    np.testing.assert_allclose(X.std(axis=0, ddof=1), [1.141371, 13.594974], atol=5e-7)
    assert X[0].tolist() == [3.6, 79.0] and X[-1].tolist() == [4.467, 74.0]
