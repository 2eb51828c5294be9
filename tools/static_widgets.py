"""Kernel-free widget players for the website and the slide decks (``make site``, ``make slides``).

Every stored widget output of a chapter (a display bundle with a widget view, the PNG of its starting
state and the live widget's plain text) is replaced by a player: the widget's controls as standard HTML
elements (``<input type="range">``, ``<select>``, ``<input type="checkbox">``, ``<button>``), the figure as
``<img class="mle-figure">`` and the readout as text in an ``aria-live`` region ``.mle-readout``, all under
``.mle-static-widget``. ``static_widget_player.js`` swaps precomputed frames as the controls move; no
kernel, no dependency, no request to another host; it works from ``file://`` (the frames' text is in the
page, the figures are PNG files beside it).

What each player keeps live, and the frames, come from ``mle_lib.widgets._static`` (one declaration per
widget; the frames are drawn by the live widget itself). A stored output is recognised by its plain text:
it must equal, character for character, what the declared widget stores at its start — a notebook whose
widget was built with other arguments, or a widget with no declaration, stops the build with an error
naming the notebook and cell.

Frames are drawn once per version of ``mle_lib`` into ``build/widget-frames/<key>/`` (two worker
processes) and copied into each build's ``_widgets/`` folder, so ``make slides`` after ``make site`` (or
the lecturer's editions) draws nothing. The build prints every player's frames and size.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "widget-frames"
HERE = Path(__file__).resolve().parent
ASSETS = (HERE / "static_widget_player.js", HERE / "static_widget_player.css")
#: The folder beside the pages that holds the frames and the player's script and style sheet.
FOLDER = "_widgets"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _library_key() -> str:
    """A hash of what draws the frames: mle_lib's source files, the players' script, the numeric stack."""
    import matplotlib
    import numpy

    digest = hashlib.sha256(f"{matplotlib.__version__} {numpy.__version__}".encode())
    for path in sorted((ROOT / "mle_lib").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _render_into(factory: str, folder: str) -> tuple[str, str, int, float]:
    """Worker: draw every frame of one player into ``folder/<name>/``.

    Returns (name, the live widget's stored start text, frames, seconds).
    """
    from mle_lib.widgets._static import PLAYERS, frames_of, start_text

    start = time.perf_counter()
    text = start_text(PLAYERS[factory])
    rendered = frames_of(factory)
    target = Path(folder) / rendered.name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    size = 0
    for i, frame in enumerate(rendered.frames):
        (target / f"{i:03d}.png").write_bytes(frame.png)
        size += len(frame.png)
    meta = {
        "name": rendered.name,
        "title": rendered.title,
        "factory": factory,
        "fixed": PLAYERS[factory].fixed,
        "controls": rendered.controls,
        "buttons": rendered.buttons,
        "paths": rendered.paths,
        "start": rendered.index([c["start"] for c in rendered.controls]),
        "frames": [[f.alt, f.readout, *([f.presses] if rendered.buttons else [])] for f in rendered.frames],
        "size": list(_png_size(rendered.frames[0].png)),
    }
    (target / "frames.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return rendered.name, text, len(rendered.frames), time.perf_counter() - start


def _frame_count(factory: str) -> int:
    """About how many frames a declaration asks for, without building its widget.

    A slider whose values come from the live control counts as 10. The workers draw the players with the most
    frames first.
    """
    from mle_lib.widgets._static import PLAYERS

    decl = PLAYERS[factory]
    count = decl.presses.limit + 1 if decl.presses else 1
    for c in decl.controls:
        count *= 10 if callable(c.values) else len(c.values)
    return count


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


class Players:
    """The players of one build: :meth:`embed` each notebook, then :meth:`write` the frames beside the pages."""

    def __init__(self, cache: Path = CACHE, workers: int | None = None) -> None:
        from mle_lib.widgets._static import PLAYERS

        self.key = _library_key()
        self.folder = cache / self.key
        self.used: dict[str, dict[str, Any]] = {}
        start = time.perf_counter()
        if not self.folder.is_dir():
            for old in cache.glob("*"):  # frames of an older library: never used again
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
            self.folder.mkdir(parents=True)
        done = {f: self.folder / f"{f}.done.json" for f in PLAYERS}
        # the widgets with the most frames first: two workers finish at about the same time
        missing = sorted((f for f in PLAYERS if not done[f].is_file()), key=lambda f: -_frame_count(f))
        if missing:
            n = workers or min(2, os.cpu_count() or 1)
            with ProcessPoolExecutor(max_workers=n) as pool:
                for factory, (name, text, count, seconds) in zip(
                    missing, pool.map(_render_into, missing, [str(self.folder)] * len(missing)), strict=True
                ):
                    done[factory].write_text(json.dumps({"name": name, "text": text}, ensure_ascii=False))
                    print(f"  drew {name}: {count} frames in {seconds:.1f} s", flush=True)
        marks = {f: json.loads(path.read_text(encoding="utf-8")) for f, path in done.items()}
        #: factory → the plain text its widget stores at the start (how a stored output is recognised)
        self.texts = {f: str(m["text"]) for f, m in marks.items()}
        self.names = {f: str(m["name"]) for f, m in marks.items()}
        self.seconds = time.perf_counter() - start

    def meta(self, factory: str) -> dict[str, Any]:
        """The ``frames.json`` metadata of the player drawn for ``factory``."""
        meta = json.loads((self.folder / self.names[factory] / "frames.json").read_text(encoding="utf-8"))
        return dict(meta)

    # -- notebooks ---------------------------------------------------------------------------------
    def embed(self, nb: nbformat.NotebookNode, where: str) -> nbformat.NotebookNode:
        """Replace every stored widget output of ``nb`` (in place) by its player's HTML; return ``nb``."""
        from mle_lib.widgets._static import identify

        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for output in cell.get("outputs", []):
                data = output.get("data") or {}
                if WIDGET_VIEW not in data or "image/png" not in data:
                    continue
                text = data.get("text/plain", "")
                text = "".join(text) if isinstance(text, list) else str(text)
                widget = identify(text, self.texts)
                if widget is None:
                    raise ValueError(
                        f"{where}, cell {index}: no kernel-free player reproduces this stored widget output "
                        f"({text[:90]!r}…): declare it in mle_lib/widgets/_static.py, or re-run the notebook"
                    )
                factory = widget.factory
                if f"{factory}(" not in cell.source:
                    raise ValueError(f"{where}, cell {index}: the output is {factory}'s, but the cell does not call it")
                count += 1
                meta = self.meta(factory)
                self.used[factory] = meta
                data.clear()
                data["text/html"] = player_html(meta, f"{meta['name']}-{count}")
                data["text/plain"] = text
        return nb

    # -- files ---------------------------------------------------------------------------------------
    def write(self, folder: Path, label: str, *, clean: bool = True) -> int:
        """Copy the used players' frames, script and style sheet into ``folder/_widgets``; print the budget.

        With ``clean``, remove what was there; otherwise only the used players' folders are replaced.
        """
        target = folder / FOLDER
        if clean:
            shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True, exist_ok=True)
        for asset in ASSETS:
            shutil.copy2(asset, target / asset.name)
        rows, total_frames, total = [], 0, 0
        for meta in sorted(self.used.values(), key=lambda m: m["name"]):
            src = self.folder / meta["name"]
            dst = target / meta["name"]
            shutil.rmtree(dst, ignore_errors=True)
            dst.mkdir()
            size = 0
            for png in sorted(src.glob("*.png")):
                _link_or_copy(png, dst / png.name)
                size += png.stat().st_size
            rows.append((meta["name"], len(meta["frames"]), size))
            total_frames += len(meta["frames"])
            total += size
        print(f"{label}: kernel-free players ({FOLDER}/, frames drawn or reused in {self.seconds:.1f} s):")
        for name, frames, size in rows:
            print(f"  {name:<16} {frames:>4} frames {size / 1e6:7.2f} MB")
        print(f"  {'all':<16} {total_frames:>4} frames {total / 1e6:7.2f} MB")
        return total


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)  # same disk: no copy (build/ holds both)
    except OSError:
        shutil.copy2(src, dst)


def player_html(meta: dict[str, Any], uid: str) -> str:
    """The player's markup (see the module's docstring); ``uid`` makes its ids unique on the page."""
    esc = html.escape
    start = meta["start"]
    frames = meta["frames"]
    base = f"{FOLDER}/{meta['name']}/"
    parts = []
    for k, c in enumerate(meta["controls"]):
        cid = f"mle-sw-{uid}-{k}"
        label = f'<label for="{cid}">{esc(c["label"])}</label>'
        if c["kind"] == "range":
            value = c["values"][c["start"]]
            parts.append(
                f'<span class="mle-static-control">{label}<input type="range" id="{cid}" data-control="{k}" '
                f'min="0" max="{len(c["values"]) - 1}" step="1" value="{c["start"]}" '
                f'aria-valuetext="{esc(value)}"><output for="{cid}" aria-hidden="true">{esc(value)}</output></span>'
            )
        elif c["kind"] == "select":
            options = "".join(
                f'<option value="{i}"{" selected" if i == c["start"] else ""}>{esc(v)}</option>'
                for i, v in enumerate(c["values"])
            )
            parts.append(
                f'<span class="mle-static-control">{label}<select id="{cid}" data-control="{k}">{options}</select>'
                "</span>"
            )
        else:
            checked = " checked" if c["start"] else ""
            parts.append(
                f'<span class="mle-static-control"><input type="checkbox" id="{cid}" data-control="{k}"{checked}>'
                f"{label}</span>"
            )
    for b, name in enumerate(meta["buttons"]):
        parts.append(f'<button type="button" data-button="{b}">{esc(name)}</button>')
    fixed = meta.get("fixed") or ""
    data = json.dumps(
        {
            "controls": [{"values": c["values"], "start": c["start"]} for c in meta["controls"]],
            "paths": meta["paths"],
            "frames": frames,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).replace("</", "<\\/")
    width, height = meta["size"]
    note = f"{len(frames)} precomputed frames." + (f" {fixed}" if fixed else "")
    return (
        f'<div class="mle-static-widget" data-widget="{esc(meta["name"])}" data-factory="{esc(meta["factory"])}" '
        f'data-frames="{base}" role="group" aria-label="{esc(meta["title"])} (kernel-free)">'
        f'<link rel="stylesheet" href="{FOLDER}/static_widget_player.css">'
        f'<div class="mle-static-controls">{"".join(parts)}'
        f'<p class="mle-static-fixed">Kernel-free: {esc(note)}</p></div>'
        f'<div class="mle-readout" role="status" aria-live="polite">{esc(frames[start][1])}</div>'
        f'<img class="mle-figure" src="{base}{start:03d}.png" alt="{esc(frames[start][0])}" '
        f'width="{width}" height="{height}">'
        f'<script type="application/json" class="mle-static-data">{data}</script>'
        f'<script src="{FOLDER}/static_widget_player.js"></script>'
        "</div>"
    )


if __name__ == "__main__":  # draw (or reuse) every player's frames and print the budget
    players = Players()
    for name in players.texts:
        players.used[name] = players.meta(name)
    players.write(CACHE / "all", "players")  # hard links: no copy
    sys.exit(0)
