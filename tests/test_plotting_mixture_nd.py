"""Chapter 8's plotting helpers (covariance ellipses, BIC table, digit images): assert on the artists."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # in this test module only; the library never chooses a backend

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Ellipse

import mle_lib as ml
from mle_lib.plotting import plot_bic_table, plot_covariance_ellipses, plot_digit_images


def _rotation(deg: float) -> np.ndarray:
    t = np.radians(deg)
    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])


# --- plot_covariance_ellipses -------------------------------------------------------------------


@pytest.mark.parametrize("deg", [0.0, 30.0, 60.0, 90.0, 120.0, -45.0])
def test_ellipse_axes_are_two_n_std_root_eigenvalues_along_the_major_eigenvector(ax, deg):
    lam = np.array([9.0, 0.25])  # major, minor
    R = _rotation(deg)
    cov = R @ np.diag(lam) @ R.T
    plot_covariance_ellipses(ax, [[1.0, -2.0]], [cov], n_std=(1, 2, 3))
    ells = [p for p in ax.patches if isinstance(p, Ellipse)]
    assert len(ells) == 3
    expected_angle = (deg + 90.0) % 180.0 - 90.0  # into [-90, 90)
    for e, s in zip(ells, (1, 2, 3), strict=False):
        assert e.center == pytest.approx((1.0, -2.0))
        assert e.width == pytest.approx(2 * s * np.sqrt(lam[0]))
        assert e.height == pytest.approx(2 * s * np.sqrt(lam[1]))
        # the angle is the major eigenvector's direction, defined modulo 180 degrees
        diff = (e.angle - expected_angle + 90.0) % 180.0 - 90.0
        assert diff == pytest.approx(0.0, abs=1e-9)
        assert -90.0 < e.angle <= 90.0
        assert not e.get_fill()


def test_ellipse_angle_matches_eigh_of_a_random_covariance(ax):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(2, 2))
    cov = A @ A.T + 0.1 * np.eye(2)
    plot_covariance_ellipses(ax, [0.0, 0.0], cov, n_std=2.0, mark_means=False)
    (e,) = ax.patches
    vals, vecs = np.linalg.eigh(cov)
    major = vecs[:, 1]
    t = np.radians(e.angle)
    assert abs(abs(np.dot([np.cos(t), np.sin(t)], major)) - 1.0) < 1e-12  # parallel to the major axis
    assert e.width == pytest.approx(4 * np.sqrt(vals[1]))
    assert e.height == pytest.approx(4 * np.sqrt(vals[0]))
    assert len(ax.lines) == 0


def test_points_on_the_ellipse_are_at_mahalanobis_distance_n_std(ax):
    cov = np.array([[2.0, 1.2], [1.2, 1.0]])
    mu = np.array([3.0, 4.0])
    plot_covariance_ellipses(ax, [mu], [cov], n_std=(1.5,))
    (e,) = ax.patches
    # the unit-circle path is cubic Bezier: every third vertex lies on the curve, the others steer it
    verts = e.get_patch_transform().transform(e.get_path().vertices[:-1:3])  # data coordinates
    assert len(verts) >= 8
    d2 = np.einsum("ni,ij,nj->n", verts - mu, np.linalg.inv(cov), verts - mu)
    assert np.allclose(np.sqrt(d2), 1.5, atol=1e-6)


def test_ellipses_component_order_colours_labels_and_mean_markers(ax):
    means = [[0.0, 0.0], [5.0, 5.0]]
    covs = [np.eye(2), np.diag([4.0, 1.0])]
    plot_covariance_ellipses(ax, means, covs, colors=["r", "b"], labels=["one", "two"])
    ells = ax.patches
    assert len(ells) == 4  # 2 components x 2 distances
    assert [e.center for e in ells] == [(0.0, 0.0), (0.0, 0.0), (5.0, 5.0), (5.0, 5.0)]
    assert [e.get_label() for e in ells][0::2] == ["one", "two"]
    assert [e.get_linestyle() for e in ells][:2] == ["-", "--"]
    assert np.allclose(ells[0].get_edgecolor(), matplotlib.colors.to_rgba("r"))
    assert np.allclose(ells[2].get_edgecolor(), matplotlib.colors.to_rgba("b"))
    assert len(ax.lines) == 2
    assert ax.lines[1].get_xdata().tolist() == [5.0] and ax.lines[1].get_ydata().tolist() == [5.0]


@pytest.mark.parametrize(
    "ct, covs, expected",
    [
        ("tied", [[4.0, 0.0], [0.0, 1.0]], [(4.0, 2.0), (4.0, 2.0)]),
        ("diag", [[1.0, 9.0], [4.0, 1.0]], [(6.0, 2.0), (4.0, 2.0)]),
        ("spherical", [1.0, 4.0], [(2.0, 2.0), (4.0, 4.0)]),
    ],
)
def test_ellipses_accept_every_covariance_type(ax, ct, covs, expected):
    plot_covariance_ellipses(ax, [[0.0, 0.0], [1.0, 1.0]], covs, covariance_type=ct, n_std=1)
    assert np.allclose([(e.width, e.height) for e in ax.patches], expected)
    if ct == "diag":  # 9 > 1 on the second axis: the major axis is vertical
        assert abs(ax.patches[0].angle) == pytest.approx(90.0)


def test_ellipses_of_a_fitted_mixture(ax):
    X = ml.load_old_faithful()
    gm = ml.GaussianMixture(2, random_state=0).fit(X)
    plot_covariance_ellipses(ax, gm.means_, gm.covariances_)
    for k in range(2):
        e = ax.patches[2 * k]
        vals = np.linalg.eigvalsh(gm.covariances_[k])
        assert e.width == pytest.approx(2 * np.sqrt(vals[1]))
        assert e.height == pytest.approx(2 * np.sqrt(vals[0]))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(means=[[0.0, 0.0, 0.0]], covariances=[np.eye(3)]), "2 columns"),
        (dict(means=[[0.0, 0.0]], covariances=[np.eye(2)] * 2), "shape"),
        (dict(means=[[0.0, 0.0]], covariances=[[[1.0, 2.0], [0.0, 1.0]]]), "symmetric"),
        (dict(means=[[0.0, 0.0]], covariances=[[[1.0, 2.0], [2.0, 1.0]]]), "semi-definite"),
        (dict(means=[[0.0, 0.0]], covariances=[np.eye(2)], n_std=0.0), "n_std"),
        (dict(means=[[0.0, 0.0]], covariances=[np.eye(2)], colors=["r", "b"]), "colors"),
        (dict(means=[[0.0, 0.0]], covariances=[np.eye(2)], covariance_type="banded"), "covariance_type"),
    ],
)
def test_ellipses_refuse_bad_input(ax, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_covariance_ellipses(ax, **kwargs)


def test_ellipses_need_an_axes():
    with pytest.raises(TypeError, match="Axes"):
        plot_covariance_ellipses(None, [[0.0, 0.0]], [np.eye(2)])


# --- plot_bic_table -----------------------------------------------------------------------------


def _table():
    X = ml.load_old_faithful()
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    return ml.select_n_components(Z, [1, 2, 3], ("full", "diag"), random_state=0)


@pytest.mark.parametrize("criterion", ["bic", "aic"])
def test_bic_table_draws_one_line_per_type_and_stars_the_minimum(ax, criterion):
    table = _table()
    plot_bic_table(ax, table, criterion=criterion)
    assert [line.get_label() for line in ax.lines[:2]] == ["full", "diag"]
    for line, ct in zip(ax.lines[:2], ("full", "diag"), strict=False):
        rows = table[table["covariance_type"] == ct]
        assert line.get_xdata().tolist() == [1, 2, 3]
        assert np.allclose(line.get_ydata(), rows[criterion])
    star = ax.lines[2]
    best = table[np.argmin(table[criterion])]
    assert star.get_xdata().tolist() == [best["K"]] and np.isclose(star.get_ydata()[0], best[criterion])
    assert star.get_label() == f"lowest: K = {best['K']}, {best['covariance_type']}"
    assert ax.get_ylabel() == f"{criterion.upper()} (lower is better)"


def test_bic_table_sorts_k_within_each_type(ax):
    t = np.array(
        [(3, "full", 5.0), (1, "full", 9.0), (2, "full", 4.0)],
        dtype=[("K", int), ("covariance_type", "U9"), ("bic", float)],
    )
    plot_bic_table(ax, t)
    assert ax.lines[0].get_xdata().tolist() == [1, 2, 3]
    assert ax.lines[0].get_ydata().tolist() == [9.0, 4.0, 5.0]


def test_bic_table_refuses_what_is_not_a_selection_table(ax):
    with pytest.raises(ValueError, match="fields"):
        plot_bic_table(ax, np.zeros(3))
    with pytest.raises(ValueError, match="criterion"):
        plot_bic_table(ax, _table(), criterion="waic")


# --- plot_digit_images --------------------------------------------------------------------------


def test_digit_images_one_picture_per_axes_on_a_common_scale():
    fig, axs = plt.subplots(2, 3)
    rng = np.random.default_rng(1)
    imgs = rng.uniform(0, 16, size=(5, 64))
    out = plot_digit_images(axs, imgs, titles=[f"#{i}" for i in range(5)])
    assert out.shape == (6,)
    for i in range(5):
        (im,) = out[i].images
        assert np.array_equal(im.get_array(), imgs[i].reshape(8, 8))
        assert im.get_clim() == (imgs.min(), imgs.max())
        assert out[i].get_title() == f"#{i}"
        assert len(out[i].get_xticks()) == 0 and len(out[i].get_yticks()) == 0
    assert not out[5].axison and len(out[5].images) == 0
    plt.close(fig)


def test_digit_images_fixed_scale_and_shape():
    fig, axs = plt.subplots(1, 2)
    out = plot_digit_images(axs, np.arange(12.0).reshape(2, 6), shape=(2, 3), vmin=0, vmax=16)
    assert out[1].images[0].get_array().shape == (2, 3)
    assert out[0].images[0].get_clim() == (0.0, 16.0)
    plt.close(fig)


@pytest.mark.parametrize(
    "images, kwargs, message",
    [
        (np.zeros((3, 64)), {}, "at least as many axes"),
        (np.zeros((2, 60)), {}, "64 pixels"),
        (np.zeros((2, 64)), {"titles": ["a"]}, "titles"),
        (np.zeros((2, 64)), {"shape": (8,)}, "shape"),
    ],
)
def test_digit_images_refuse_bad_input(images, kwargs, message):
    fig, axs = plt.subplots(1, 2)
    with pytest.raises(ValueError, match=message):
        plot_digit_images(axs, images, **kwargs)
    plt.close(fig)


def test_helpers_touch_no_rcparams(ax):
    before = dict(matplotlib.rcParams)
    plot_covariance_ellipses(ax, [[0.0, 0.0]], [np.eye(2)])
    plot_bic_table(ax, _table())
    fig, axs = plt.subplots(1, 2)
    plot_digit_images(axs, np.zeros((2, 64)))
    plt.close(fig)
    assert dict(matplotlib.rcParams) == before
