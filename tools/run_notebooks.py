"""Re-execute notebooks in place, in a fresh kernel, top to bottom (``make notebooks``).

The stored outputs are the regression baseline that strict nbval compares against, so this is how
they are refreshed after a change in ``mle_lib``. Nothing volatile is stored: no widget state, no
per-cell timing metadata, one normalised kernelspec.

Usage: python tools/run_notebooks.py notebooks/01_likelihood.ipynb [...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def coalesce_streams(outputs: list[nbformat.NotebookNode]) -> list[nbformat.NotebookNode]:
    """Merge consecutive stdout (or stderr) chunks: how the kernel splits them varies from run to run."""
    merged: list[nbformat.NotebookNode] = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (
            out.get("output_type") == "stream"
            and prev is not None
            and prev.get("output_type") == "stream"
            and prev.get("name") == out.get("name")
        ):
            prev["text"] = "".join(prev["text"]) + "".join(out["text"])
        else:
            merged.append(out)
    return merged


def run(path: Path) -> float:
    """Execute the notebook at ``path`` in place in a fresh kernel and store it normalised; the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
            for out in cell.outputs:
                out.get("metadata", {}).pop("execution", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    """Execute every notebook named in ``argv``; the exit code."""
    paths = [Path(p) for p in argv if p.endswith(".ipynb")]
    if not paths:
        print("usage: run_notebooks.py NOTEBOOK.ipynb [...]", file=sys.stderr)
        return 2
    for path in paths:
        seconds = run(path)
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
