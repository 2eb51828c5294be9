"""The leak test: no answer in anything a student is given (issue 14).

Searched here (``make test``): the committed student edition, the student release (built into a temporary
folder), the public site's chapters as the site builder feeds them to Jupyter Book, and the public decks'
HTML as ``make slides`` writes it (rendered in memory). ``make test-site`` searches the built site's pages
too (``browser_tests/test_site.py``). What is searched for is ``tools/leaks.py``'s list of secrets: every
exercise's answer as the library computes it (2, 3 and 4 significant figures, fractions), every solution line
and every "correct" output. The lecturer's editions, and a student edition with one answer put back, must be
caught: the negative controls below.
"""

from __future__ import annotations

from pathlib import Path

import editions
import leaks
import make_release
import make_slides
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = leaks.CHAPTERS


@pytest.fixture(scope="module")
def secrets() -> list[leaks.Secret]:
    return leaks.all_secrets()


def _report(found: list[leaks.Leak]) -> str:
    return "\n  ".join(str(leak)[:260] for leak in found[:40])


def test_every_exercise_has_secrets_to_search_for(secrets):
    """The search knows every exercise: a verdict for each, the answer's numbers for the numeric ones."""
    from mle_lib.homework import REGISTRY, Value

    by_exercise = {s.exercise for s in secrets}
    exercises = {k for k in REGISTRY if not k.startswith("demo")}
    assert exercises <= by_exercise, sorted(exercises - by_exercise)
    numeric = {s.exercise for s in secrets if s.kind == "number"}
    for key, ex in REGISTRY.items():
        if isinstance(ex, Value) and not key.startswith("demo") and leaks.number_forms(_first(key)):
            assert key in numeric, f"{key}: no number of its answer is searched for"


def _first(key: str) -> float:
    import numpy as np

    from mle_lib.homework import expected_of

    return float(np.ravel(np.asarray(expected_of(key, "demo"), dtype=float))[0])


def test_number_forms():
    assert leaks.number_forms(0.45) >= {"0.45", "0.450", "0.4500", "9/20", "\\frac{9}{20}"}
    assert leaks.number_forms(-9.7954) >= {"9.8", "9.80", "9.795"}
    assert leaks.number_forms(3.0) == set()  # whole numbers below 100: see tools/leaks.py
    assert "2/3" not in leaks.number_forms(0.6667)
    pattern = leaks.Secret("ex", "number", "0.45", "c").pattern()
    assert pattern.search("θ = 0.45.") and not pattern.search("0.452") and not pattern.search("10.45")


@pytest.mark.parametrize("chapter", [p.name for p in CHAPTERS])
def test_student_edition_shows_no_answer(chapter, secrets):
    found = leaks.scan([ROOT / "student" / chapter], secrets)
    assert not found, "the student edition shows answers:\n  " + _report(found)


@pytest.mark.parametrize("chapter", [p.name for p in CHAPTERS])
def test_public_site_chapter_shows_no_answer(chapter, secrets, tmp_path):
    nb = editions.edition(nbformat.read(ROOT / "notebooks" / chapter, as_version=4), "site", chapter)
    nbformat.write(nb, tmp_path / chapter)
    found = leaks.scan([tmp_path / chapter], secrets)
    assert not found, "the public site's chapter shows answers:\n  " + _report(found)


@pytest.fixture(scope="module")
def public_decks(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("decks")
    exporter = make_slides.exporter()
    written = []
    for path in CHAPTERS:
        for deck in make_slides.decks_of(path, "slides"):
            (out / deck.filename).write_text(make_slides.render(deck, exporter, {}, out), encoding="utf-8")
            written.append(out / deck.filename)
    return written


def test_public_decks_show_no_answer(public_decks, secrets):
    found = leaks.scan(public_decks, secrets)
    assert not found, "the public decks show answers:\n  " + _report(found)


def test_public_decks_show_no_plotting_code(public_decks):
    """A cell that only draws a figure shows the figure on a slide, not its matplotlib code."""
    for deck in public_decks:
        text = deck.read_text(encoding="utf-8")
        assert "plt.subplots" not in text and "plt.show" not in text, deck.name


def test_student_release_shows_no_answer(secrets, tmp_path):
    written = make_release.build(tmp_path / "release")
    assert not any(p.parts[0] in ("notebooks", "tests", "tools") for p in written), written
    assert {p.name for p in written if p.parts[0] == "student"} == {p.name for p in CHAPTERS}
    found = leaks.scan([tmp_path / "release" / p for p in written], secrets)
    assert not found, "the student release shows answers:\n  " + _report(found)


# --- negative controls: the same search must find what the lecturer's editions show -----------------


def test_lecturer_editions_are_caught(public_decks, secrets, tmp_path):
    """notebooks/ and the lecturer's decks hold every verdict and solution line the search looks for."""
    found = leaks.scan(CHAPTERS, secrets)
    kinds = {(leak.secret.chapter, leak.secret.kind) for leak in found}
    for path in CHAPTERS:
        assert (path.stem, "verdict") in kinds and (path.stem, "solution") in kinds, path.name
    deck = make_slides.decks_of(CHAPTERS[-1], "lecturer")[0]
    target = tmp_path / deck.filename
    target.write_text(make_slides.render(deck, make_slides.exporter(), {}, tmp_path), encoding="utf-8")
    assert {leak.secret.kind for leak in leaks.scan([target], secrets)} >= {"verdict", "solution"}


def test_an_answer_put_back_is_caught(secrets, tmp_path):
    """Break the student edition on purpose (one exercise's answer written into its text): the test fails."""
    from mle_lib.homework import expected_of

    chapter = CHAPTERS[-1]
    nb = nbformat.read(ROOT / "student" / chapter.name, as_version=4)
    answer = float(expected_of("ex9.3", "demo"))
    nb.cells.append(nbformat.v4.new_markdown_cell(f"So the weight of coin A is about ${answer:.3f}$."))
    nbformat.write(nb, tmp_path / chapter.name)
    before = {(leak.secret, leak.context) for leak in leaks.scan([ROOT / "student" / chapter.name], secrets)}
    found = [
        leak for leak in leaks.scan([tmp_path / chapter.name], secrets) if (leak.secret, leak.context) not in before
    ]
    assert [leak.secret.exercise for leak in found] == ["ex9.3"], _report(found)


def test_release_branch_is_committed_without_touching_the_work_tree(tmp_path, monkeypatch):
    """make release BRANCH=student: the release folder becomes the branch's new tip, on top of the last one."""
    import subprocess

    out = tmp_path / "release"
    make_release.build(out)
    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["config", "user.email", "ci@example.org"], ["config", "user.name", "CI"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    (repo / "x").write_text("x")
    subprocess.run(["git", "add", "x"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=repo, check=True)
    monkeypatch.setattr(make_release, "ROOT", repo)
    first = make_release.commit_to_branch(out, "student")
    second = make_release.commit_to_branch(out, "student")
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True, text=True).stdout  # noqa: E731
    assert git("rev-parse", f"{second}^").strip() == first
    files = git("ls-tree", "-r", "--name-only", "student").split()
    assert "student/09_em_beyond_gaussians.ipynb" in files and "Makefile" in files
    assert not [f for f in files if f.startswith(("notebooks/", "tests/", "tools/"))]
    assert git("status", "--porcelain").strip() == ""  # nothing staged, the work tree as it was
    with pytest.raises(SystemExit, match="BRANCH"):
        make_release.commit_to_branch(out, "main")
