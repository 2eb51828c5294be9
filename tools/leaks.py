r"""Find exercise answers in what a student is given (the leak test of ``tests/test_leaks.py``).

For every exercise of the author's chapters (``notebooks/``) this module lists the **secrets** a student
edition, the student release, the public site or a public deck must not show:

* ``number`` — each number of the answer the library computes (``mle_lib.homework.REGISTRY``), written at
  2, 3 and 4 significant figures (with and without trailing zeros), and as a fraction p/q or \frac{p}{q}
  (q ≤ 100) where the answer is one; for a choice, each number that the right option states and no other
  option does (the 0.66 of "both coins move to 0.66"). A number may appear as often as the exercise's own
  prompt writes it (a prompt lists its options; exercise 5.3's prompt lists the serial numbers, whose largest
  is the answer), and no more. Whole numbers below 100 (0, 2, 3, 32) are not searched for: a chapter writes
  them everywhere as inputs, so the search could not tell a leak from a sample size; the prompts and the
  text around those exercises were read by hand instead (issue 14).
* ``solution`` — each line a stub replaces (the right-hand side of a ``# SOLUTION`` line, the body of a
  ``# BEGIN SOLUTION`` block), and each sentence of a ``solution``-tagged cell, that the chapter states
  nowhere else;
* ``verdict`` — a stored check output that says "correct".

A number is found only as a whole token: ``0.45`` is not found in ``0.452`` or ``10.45``, and a fraction
only without spaces (``9/20``, not the code ``1 / 5``). Where a form of an answer also appears in a chapter
for a reason that gives nothing away, :data:`NOT_DISTINCTIVE` says so, once, with the reason.

Usage: python tools/leaks.py [FILE ...]   list what each file (notebook, HTML page, deck) shows of the secrets
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy as np
from editions import _LINE, _VARIANT_ONLY, exercise_cells, solution_lines, tags

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: Forms of answers that a chapter writes for reasons of its own, by exercise: {id: {form: reason}}.
NOT_DISTINCTIVE: dict[str, dict[str, str]] = {
    "ex1.1": dict.fromkeys(
        ("0.2", "0.20", "0.200", "0.2000"),
        "θ̂ = 1/5 for TTHTT is the mirror of HHTHH, whose 1 − θ̂ = 0.2 the chapter writes throughout "
        "(0.8⁴ · 0.2); the answer's fraction forms are still searched for",
    ),
    "ex9.3": {
        "0.52": "π̂_A = 0.523 to 2 significant figures is 0.52, which is also the paper's θ_B after ten "
        "iterations (Do & Batzoglou), stated before the exercise; 0.523 and 0.5227 are still searched for",
    },
}

#: Whole numbers below this are not searched for (see the module's docstring).
SMALL_WHOLE = 100

_OPTION = re.compile(r"^\s*[-*]\s*\*\*(?P<key>[a-z])\*\*\s*(?P<text>.+)$", re.M)
_NUMBER_IN_TEXT = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")


@dataclass(frozen=True)
class Secret:
    """Something a student must not be shown: which exercise it answers, its kind, and the text itself."""

    exercise: str
    kind: str  # "number", "solution" or "verdict"
    text: str
    chapter: str
    #: How often the exercise's own prompt writes it (a leak is any occurrence beyond these).
    allowed: int = 0

    def pattern(self) -> re.Pattern[str]:
        """The regular expression that finds this secret in a page's text."""
        if self.kind == "number":
            return re.compile(rf"(?<![\d.]){re.escape(self.text)}(?![\d]|\.\d)")
        if self.kind == "solution":  # searched with all white space removed (a deck spaces out code tokens)
            return re.compile(re.escape(_squeeze(self.text)))
        exercise, verdict = self.text.split(": ", 1)  # a verdict, however the page spaces it
        return re.compile(rf"\b{re.escape(exercise)}:\s*{verdict}\b")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def number_forms(x: float) -> set[str]:
    r"""The ways a chapter could write ``x``: 2, 3 and 4 significant figures, p/q and \frac{p}{q}."""
    x = abs(float(x))
    forms: set[str] = set()
    for digits in (2, 3, 4):
        forms.add(f"{x:.{digits}g}")
        forms.add(f"{x:#.{digits}g}".rstrip("."))
    if x == round(x) and x < SMALL_WHOLE:
        return set()
    forms = {f for f in forms if "e" not in f}
    frac = Fraction(x).limit_denominator(100)
    if frac.denominator > 1 and abs(float(frac) - x) < 1e-12 * max(1.0, x):
        p, q = frac.numerator, frac.denominator
        forms |= {f"{p}/{q}", f"\\frac{{{p}}}{{{q}}}", f"\\tfrac{{{p}}}{{{q}}}", f"\\dfrac{{{p}}}{{{q}}}"}
    return forms


def _options(nb: nbformat.NotebookNode, exercise: str, owner: dict[int, str]) -> tuple[str | None, list[str]]:
    """The right option's text of a choice exercise (read from its solution line) and the other options'."""
    letter = None
    for index, cell in enumerate(nb.cells):
        if owner.get(index) == exercise and cell.cell_type == "code":
            for line in cell.source.split("\n"):
                m = _LINE.match(line)
                if m and m["rhs"][:1] in "\"'" and len(m["rhs"].strip("\"'")) == 1:
                    letter = m["rhs"].strip("\"'").lower()
    right, others = None, []
    for index, cell in enumerate(nb.cells):
        if owner.get(index) == exercise and cell.cell_type == "markdown":
            for m in _OPTION.finditer(cell.source):
                if m["key"] == letter:
                    right = m["text"]
                else:
                    others.append(m["text"])
    return right, others


def _numbers(text: str) -> list[float]:
    return [float(t) for t in _NUMBER_IN_TEXT.findall(text)]


def secrets_of(path: Path) -> list[Secret]:
    """Every secret of one author's chapter."""
    from mle_lib.homework import REGISTRY, Choice, Value, expected_of

    nb = nbformat.read(path, as_version=4)
    owner = exercise_cells(nb)
    chapter = path.stem
    found: set[Secret] = set()
    for exercise in sorted(set(owner.values()) - {"?"}):
        ex = REGISTRY.get(exercise)
        numbers: list[float] = []
        if isinstance(ex, Value):
            numbers = [float(v) for v in np.ravel(np.asarray(expected_of(exercise, "demo"), dtype=float))]
        elif isinstance(ex, Choice):
            right, others = _options(nb, exercise, owner)
            elsewhere = {x for text in others for x in _numbers(text)}
            numbers = [x for x in _numbers(right or "") if x not in elsewhere]
        skip = NOT_DISTINCTIVE.get(exercise, {})
        # The exercise's own statement: its prompt, and the data a variant cell shows (the demo student's).
        prompt = "\n".join(
            c.source if c.cell_type == "markdown" else text_of_notebook(nbformat.v4.new_notebook(cells=[c]))
            for i, c in enumerate(nb.cells)
            if owner.get(i) == exercise and "solution" not in tags(c)
            if c.cell_type == "markdown" or (c.cell_type == "code" and _VARIANT_ONLY.match(c.source))
        )
        for x in numbers:
            for form in number_forms(x):
                if form not in skip:
                    secret = Secret(exercise, "number", form, chapter)
                    allowed = len(secret.pattern().findall(prompt))
                    found.add(Secret(exercise, "number", form, chapter, allowed))
    # What a stub replaces, where the chapter does not say it elsewhere.
    public = "\n".join(c.source for c in nb.cells if "solution" not in tags(c) and c.cell_type == "markdown")
    public += "\n".join(
        line
        for c in nb.cells
        if c.cell_type == "code" and "solution" not in tags(c)
        for line in c.source.split("\n")
        if not re.search(r"#\s*(BEGIN |END )?SOLUTION\s*$", line)
    )
    for index, cell in enumerate(nb.cells):
        exercise = owner.get(index, "?")
        if cell.cell_type == "code":
            lines = list(solution_lines(cell.source))
        elif "solution" in tags(cell):
            lines = [s.strip() for s in re.split(r"(?<=[.;:])\s+", cell.source.replace("\n", " "))]
        else:
            continue
        for line in lines:
            if len(line) >= 16 and line not in public and line.strip("\"'") not in public:
                found.add(Secret(exercise, "solution", line, chapter))
    for exercise in sorted(set(owner.values()) - {"?"}):
        found.add(Secret(exercise, "verdict", f"{exercise}: correct", chapter))
    return sorted(found, key=lambda s: (s.exercise, s.kind, s.text))


def all_secrets() -> list[Secret]:
    """Every chapter's secrets."""
    return [s for path in CHAPTERS for s in secrets_of(path)]


# --- what a file shows ------------------------------------------------------------------------------


class _Text(HTMLParser):
    """Visible text of a page (scripts and styles left out; alt and title text kept), MathJax's TeX included."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(f" {value} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def text_of_html(page: str) -> str:
    """The text a reader sees on an HTML page, with the TeX of its maths."""
    parser = _Text()
    parser.feed(page)
    # MathJax 3 typesets from the page's TeX; a deck keeps it in <script type="math/tex"> (read here too).
    scripts = re.findall(r'<script type="math/tex[^"]*">(.*?)</script>', page, re.S)
    return "".join(parser.parts) + "\n" + "\n".join(html.unescape(s) for s in scripts)


def text_of_notebook(nb: nbformat.NotebookNode) -> str:
    """Every source, every stored text output and every figure's alt text of a notebook (images are not text)."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        image = cell.get("metadata", {}).get("mystnb", {}).get("image", {})
        parts += [str(image[key]) for key in ("alt", "caption") if key in image]
        for output in cell.get("outputs", []):
            if "text" in output:
                parts.append(output["text"])
            for mime in ("text/plain", "text/html", "text/markdown", "text/latex"):
                if mime in output.get("data", {}):
                    value = output["data"][mime]
                    parts.append(text_of_html(value) if mime == "text/html" else value)
    return "\n".join(parts)


def text_of_file(path: Path) -> str:
    """The text of a notebook, HTML page or plain file, as a reader sees it."""
    if path.suffix == ".ipynb":
        return text_of_notebook(nbformat.read(path, as_version=4))
    raw = path.read_text(encoding="utf-8", errors="replace")
    return text_of_html(raw) if path.suffix in (".html", ".htm") else raw


@dataclass(frozen=True)
class Leak:
    """One secret found: where, with the text around it."""

    secret: Secret
    where: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.secret.exercise} {self.secret.kind} {self.secret.text!r} in …{self.context}…"


def find(text: str, secrets: Iterable[Secret], where: str) -> Iterator[Leak]:
    """Every place ``text`` shows one of ``secrets``."""
    squeezed = _squeeze(text)
    for secret in secrets:
        haystack = squeezed if secret.kind == "solution" else text
        for m in list(secret.pattern().finditer(haystack))[secret.allowed :]:
            context = haystack[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ")
            yield Leak(secret, where, context)


def chapter_of(path: Path | str) -> str | None:
    """The chapter stem a built file belongs to (``07_em_1d`` for ``07_em_1d-part2.slides.html``)."""
    m = re.match(r"(\d\d_[a-z0-9_]+?)(?:-part\d+)?(?:\.slides)?\.(?:ipynb|html)$", Path(path).name)
    return m.group(1) if m else None


def scan(paths: Iterable[Path], secrets: list[Secret] | None = None) -> list[Leak]:
    """Leaks in files, each file searched for the secrets it must not hold.

    A chapter's file is searched for that chapter's secrets; any other file (an index, the README, a page of the site)
    for every chapter's verdicts and solution lines.
    """
    secrets = all_secrets() if secrets is None else secrets
    leaks: list[Leak] = []
    for path in paths:
        chapter = chapter_of(path)
        mine = [s for s in secrets if s.chapter == chapter] if chapter else [s for s in secrets if s.kind != "number"]
        leaks += find(text_of_file(path), mine, str(path))
    return leaks


def main(argv: list[str]) -> int:
    """Print the leaks in the files named in ``argv`` and a JSON count; the exit code (1 if any)."""
    leaks = scan([Path(a) for a in argv])
    for leak in leaks:
        print(leak)
    print(json.dumps({"files": len(argv), "leaks": len(leaks)}))
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
