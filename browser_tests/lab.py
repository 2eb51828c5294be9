"""A pinned JupyterLab in headless Chromium: start the server, open a notebook, run it, find its widgets.

Shared by the browser test (``browser_tests/test_widgets.py``, ``make test-browser``) and the latency
benchmark (``benchmarks/bench_widgets.py``, ``make bench-widgets``).  Nothing here knows a chapter or a
widget by name: every widget that follows the pattern of :mod:`mle_lib.widgets._base` is found by its
CSS classes (``.mle-explorer``, ``.mle-control-<key>``, ``.mle-button-<slug>``, ``.mle-readout-text``,
``.mle-figure``).

What the tooling notes (``shared/NOTES.md``) taught and this module does:

* the server runs from the repository's ``.venv`` with ``--allow-root`` when root, on 127.0.0.1, a free
  port and a fixed token, in a fresh HOME / config / data / runtime / settings / workspaces directory
  (so no earlier tab, extension or setting leaks in); the news toast is switched off and so is
  **autosave**: running a notebook in the browser must never write its outputs back to ``notebooks/``;
* Debian's ``/usr/bin/chromium`` (Playwright's own browser download does not work on these machines),
  headless, with a fresh user-data-dir;
* locators are scoped to the visible notebook panel, and the kernel is waited for through
  ``window.jupyterapp`` (exposed with ``--LabApp.expose_app_in_browser``) with optional chaining.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # Playwright is installed only with the browser group
    from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = "mle-browser-test"
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}
SCREENSHOTS = ROOT / "build" / "screenshots"
#: The visible notebook (JupyterLab keeps hidden panels of other tabs in the DOM).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# User settings of the fresh profile: no news toast (it would cover the notebook and ask the
# internet), no autosave (the browser run must not rewrite the notebooks' stored outputs).
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# --------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------
@dataclass
class LabServer:
    """A running JupyterLab: its base URL, token, process and the fresh HOME it runs in."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    home: Path
    log: Path

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM to its process group, then SIGKILL), remove its HOME."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.home, ignore_errors=True)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_lab(timeout: float = 60.0) -> LabServer:
    """Start ``.venv/bin/jupyter lab`` on the repository (kernels start in each notebook's folder).

    The server's root is the repository, not ``notebooks/``, so that the negative-control notebooks
    under ``browser_tests/`` are served by the same server; chapters open as ``notebooks/NAME``.
    """
    jupyter = ROOT / ".venv" / "bin" / "jupyter"
    if not jupyter.exists():
        raise RuntimeError(f"{jupyter} is missing: run `make install` (or `make test-browser`) first")
    home = Path(tempfile.mkdtemp(prefix="mle-lab-home-"))
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
        # Matplotlib's font cache survives between runs (building it costs seconds per kernel).
        MPLCONFIGDIR=str(ROOT / "build" / "mplconfig"),
        OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
        OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "1"),
        MKL_NUM_THREADS=os.environ.get("MKL_NUM_THREADS", "1"),
    )
    env.pop("JUPYTER_PATH", None)
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    args = [
        str(jupyter),
        "lab",
        f"--notebook-dir={ROOT}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        "--no-browser",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    log = ROOT / "build" / "jupyter-lab.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LabServer(f"http://127.0.0.1:{port}", TOKEN, process, home, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(f"jupyter lab exited with status {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{server.url}/api/status?token={TOKEN}", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"jupyter lab did not answer /api/status within {timeout:.0f} s; see {log}")
        time.sleep(0.3)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (a persistent context in a fresh user-data-dir)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    profile = tempfile.mkdtemp(prefix="mle-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=VIEWPORT,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# A notebook in the page
# --------------------------------------------------------------------------------------------------
@dataclass
class PageProblems:
    """What went wrong in a JupyterLab page besides the notebook's outputs.

    Failed requests and console errors (only those of our content: :func:`is_our_console_error`), recorded by
    :func:`watch_page`.
    """

    server_url: str
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        """Record the failed requests and console errors of ``page`` (see :func:`watch_page`) in this object."""

        def sort(problem: str) -> None:
            kind = self.console_errors if problem.startswith(("console error", "uncaught")) else self.failed_requests
            kind.append(problem)

        watch_page(
            page,
            urlsplit(self.server_url).netloc,
            sort,
            lambda url: None,  # JupyterLab is not cut off: its requests are not routed (that would slow it)
            block_external=False,
            console_error=is_our_console_error,
        )


# Console errors that come from our content: the widget manager failing to build or render a widget,
# a Python exception forwarded by a comm, or anything naming our package or CSS classes. JupyterLab's
# own chatter (e.g. a missing optional server extension) is not ours and is not counted.
_OURS = ("mle", "widget", "jupyter-widgets", "comm", "model", "traceback", "uncaught")


def is_our_console_error(text: str) -> bool:
    """Whether a console error ``text`` concerns our content: it contains one of the words of ``_OURS``."""
    lowered = text.lower()
    return any(word in lowered for word in _OURS)


def open_notebook(page: Any, server: LabServer, path: str) -> None:
    """Open ``path`` (relative to the repository) in a reset workspace and wait for its idle kernel."""
    page.goto(f"{server.url}/lab/tree/{path}?reset&token={server.token}")
    page.locator(f"{PANEL} .jp-Notebook").wait_for(timeout=60_000)
    wait_kernel_idle(page, timeout=60_000)


def wait_kernel_idle(page: Any, timeout: float = 30_000) -> None:
    """Wait until the current notebook's kernel exists and reports ``idle`` (the session is briefly null)."""
    page.wait_for_function(
        "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'",
        timeout=timeout,
    )


def menu(page: Any, top: str, item: str) -> None:
    """Click ``top`` → ``item`` in JupyterLab's menu bar, as a user would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


# Per code cell of the current notebook: its source is empty (JupyterLab does not run it), its
# execution count, and its outputs' types and error text (from the notebook model, not the DOM).
_CELLS_JS = """() => {
  const nb = window.jupyterapp?.shell?.currentWidget?.content;
  if (!nb) return null;
  return nb.widgets.filter(c => c.model.type === 'code').map(c => ({
    empty: c.model.sharedModel.getSource().trim() === '',
    count: c.model.executionCount,
    errors: c.model.outputs.toJSON().filter(o => o.output_type === 'error')
      .map(o => `${o.ename}: ${o.evalue}`),
  }));
}"""

# Error outputs as the page shows them: stderr streams and exceptions (JupyterLab renders both with
# the stderr MIME type) count when they say "Error" or "Traceback" (a warning on stderr does not);
# a widget the manager could not render counts whatever it says.
_DOM_ERRORS_JS = """(panel) => {
  const root = document.querySelector(panel);
  if (!root) return [];
  const out = [];
  for (const el of root.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    const t = el.textContent || '';
    if (/Error|Traceback/.test(t)) out.push(t.slice(0, 2000));
  }
  for (const el of root.querySelectorAll('.jp-OutputArea-output')) {
    const t = el.textContent || '';
    if (/Error displaying widget|Failed to (load|create) (model|view)/.test(t)) out.push(t.slice(0, 2000));
  }
  return out;
}"""


def notebook_errors(page: Any) -> list[str]:
    """Every error output in the visible notebook (model error outputs, then DOM error renderings)."""
    cells = page.evaluate(_CELLS_JS) or []
    found = [err for cell in cells for err in cell["errors"]]
    found.extend(page.evaluate(_DOM_ERRORS_JS, PANEL))
    return found


def run_all_cells(page: Any, timeout: float = 180.0) -> int:
    """Clear outputs, Run → Run All Cells, wait until every non-empty code cell has run and the kernel is idle.

    Returns the number of code cells that ran. Raises ``AssertionError`` as soon as an error output
    appears (JupyterLab stops a Run All at the first exception, so waiting on would only time out).
    """
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"({_CELLS_JS})().every(c => c.count === null)", timeout=10_000)
    menu(page, "Run", "Run All Cells")
    deadline = time.monotonic() + timeout
    while True:
        cells = page.evaluate(_CELLS_JS)
        errors = notebook_errors(page)
        assert not errors, "error output in the notebook:\n" + "\n---\n".join(errors)
        todo = [c for c in cells if not c["empty"] and c["count"] is None]
        idle = page.evaluate(
            "() => window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"
        )
        if not todo and idle:
            return sum(1 for c in cells if not c["empty"])
        assert time.monotonic() < deadline, f"{len(todo)} code cells had not run after {timeout:.0f} s"
        time.sleep(0.25)


def explorers(page: Any) -> list[Any]:
    """Locators of every widget of the pattern in the visible notebook, in page order."""
    boxes = page.locator(f"{PANEL} .mle-explorer")
    return [boxes.nth(i) for i in range(boxes.count())]


def explorer_name(box: Any) -> str:
    """The explorer's name from its ``mle-explorer-<name>`` class (``unnamed`` without one)."""
    classes = (box.get_attribute("class") or "").split()
    names = [c.removeprefix("mle-explorer-") for c in classes if c.startswith("mle-explorer-")]
    return names[0] if names else "unnamed"


def readout_state(box: Any) -> tuple[str, str, str]:
    """``(data-view, data-state, text)`` of an explorer's readout (empty strings while it shows an error)."""
    return box.evaluate(
        """(box) => {
          const r = box.querySelector('.mle-readout-text');
          const e = box.querySelector('.mle-readout-error');
          if (!r) return ['', '', e ? 'ERROR: ' + e.textContent : ''];
          return [r.getAttribute('data-view') || '', r.getAttribute('data-state') || '', r.textContent || ''];
        }"""
    )


# --------------------------------------------------------------------------------------------------
# Controls: which one to move, how, and what value the page shows for it
# --------------------------------------------------------------------------------------------------
# Kinds in the order the harness prefers them: a slider (the lecture's gesture), else an extra button
# (E-step, Reset, …), else a dropdown, checkbox or toggle. A text box is used only when nothing else
# exists (what to type is not generic), and then its value is left unchecked.
KINDS = ("slider", "button", "dropdown", "checkbox", "toggle", "text")

_CONTROLS_JS = """(box) => {
  const out = [];
  const kindOf = (el) => {
    if (el.querySelector('.noUi-handle')) return 'slider';
    if (el.querySelector('select')) return 'dropdown';
    if (el.querySelector('input[type=checkbox]')) return 'checkbox';
    if (el.matches('.widget-toggle-buttons, .widget-toggle-button')) return 'toggle';
    if (el.querySelector('input[type=text], input[type=number], textarea')) return 'text';
    return null;
  };
  const all = box.querySelectorAll('[class*="mle-control-"], [class*="mle-button-"]');
  all.forEach((el, index) => {
    for (const cls of el.classList) {
      if (cls.startsWith('mle-control-')) {
        out.push({index, key: cls.slice('mle-control-'.length), kind: kindOf(el), cls});
      } else if (cls.startsWith('mle-button-')) {
        out.push({index, key: null, kind: 'button', cls});
      }
    }
  });
  return out;
}"""


@dataclass
class Control:
    """One control of an explorer: its kind, its state key (``None`` for a button) and its locator."""

    kind: str
    key: str | None
    css: str
    locator: Any

    def __str__(self) -> str:
        return f"{self.kind} .{self.css}"


def controls_of(box: Any) -> list[Control]:
    """The controls of an explorer's box that the harness knows how to move, in page order."""
    found = [c for c in box.evaluate(_CONTROLS_JS) if c["kind"] is not None]
    return [Control(c["kind"], c["key"], c["cls"], box.locator(f".{c['cls']}").first) for c in found]


def pick_control(box: Any) -> Control:
    """The control the harness moves: the first of the most preferred kind (see :data:`KINDS`)."""
    found = controls_of(box)
    for kind in KINDS:
        for control in found:
            if control.kind == kind:
                return control
    raise AssertionError(f"explorer {explorer_name(box)!r} has no control or button the harness can move")


def move_once(page: Any, control: Control) -> None:
    """One user gesture on ``control``: an arrow key on a slider, a click, the next option."""
    if control.kind == "slider":
        handle = control.locator.locator(".noUi-handle").first
        now, lo, hi = (
            float(handle.get_attribute(a) or "nan") for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
        )
        handle.focus()
        # Step away from the end the handle sits at (ArrowRight at the maximum would change nothing).
        page.keyboard.press("ArrowLeft" if now >= hi and hi > lo else "ArrowRight")
    elif control.kind == "button":
        control.locator.click()
    elif control.kind == "dropdown":
        select = control.locator.locator("select").first
        n = select.locator("option").count()
        current = select.evaluate("(s) => s.selectedIndex")
        select.select_option(index=(current + 1) % n)
    elif control.kind == "checkbox":
        control.locator.locator("input[type=checkbox]").first.click()
    elif control.kind == "toggle":
        buttons = control.locator.locator("button")
        if buttons.count() == 0:  # a single ToggleButton is itself the button
            control.locator.click()
        else:
            control.locator.locator("button:not(.mod-active)").first.click()
    elif control.kind == "text":
        box = control.locator.locator("input, textarea").first
        box.press("End")
        box.press("Backspace")
        box.press("Enter")
    else:
        raise AssertionError(f"cannot move a control of kind {control.kind!r}")


def shown_value(control: Control) -> Any:
    """The control's value as the page shows it (a slider's readout text, the selected label, …)."""
    loc = control.locator
    if control.kind == "slider":
        return loc.locator(".widget-readout").first.text_content()
    if control.kind == "dropdown":
        return loc.locator("select").first.evaluate("(s) => s.options[s.selectedIndex]?.text ?? ''")
    if control.kind == "checkbox":
        return loc.locator("input[type=checkbox]").first.is_checked()
    if control.kind == "toggle":
        active = loc.locator("button.mod-active")
        return (
            active.first.text_content() if active.count() else loc.evaluate("(b) => b.classList.contains('mod-active')")
        )
    return None


def figure_src(box: Any) -> str:
    """The ``src`` of the explorer's figure (empty if it has none)."""
    return box.locator(".mle-figure").first.get_attribute("src") or ""


def shut_down_kernel(page: Any) -> None:
    """Shut the visible notebook's kernel down (a closed tab would leave it running on the server)."""
    with contextlib.suppress(Exception):
        page.evaluate("async () => { await window.jupyterapp?.shell?.currentWidget?.sessionContext?.shutdown(); }")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) in a thread; yield the base URL ``http://127.0.0.1:P``.

    The one static server of the browser checks: the site check serves ``build/site`` with it, the slide
    lint ``build/slides``, the players' checks and the benchmark both.
    """
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def watch_page(
    page: Any,
    local: str,
    problem: Callable[[str], None],
    external: Callable[[str], None],
    *,
    block_external: bool = True,
    console_error: Callable[[str], bool] = lambda text: True,
) -> None:
    """Report what goes wrong while ``page`` loads from the server at ``local`` (``host:port``; ``""``: ``file://``).

    The one page watcher of the browser checks (site, slide decks, players, JupyterLab).

    Every request to another host is blocked and passed to ``external`` (an offline machine must not
    hang on it, and the page must not need it) unless ``block_external`` is false; failed local requests,
    local HTTP statuses ≥ 400, console errors (those ``console_error`` accepts) and uncaught exceptions go
    to ``problem``.
    """

    def on_route(route: Any) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.netloc == local:
            route.continue_()
        else:
            external(url)
            route.abort("blockedbyclient")

    def on_failed(request: Any) -> None:
        # An image whose load the page cancelled (a player showing the next frame before the last one
        # arrived) is not missing: a missing file is an HTTP 404, or net::ERR_FILE_NOT_FOUND from disk.
        if request.resource_type == "image" and "ERR_ABORTED" in str(request.failure):
            return
        if urlsplit(request.url).netloc == local:
            problem(f"failed request: {request.method} {request.url} ({request.failure})")

    def on_response(response: Any) -> None:
        if response.status >= 400 and urlsplit(response.url).netloc == local:
            problem(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_console(msg: Any) -> None:
        if msg.type == "error" and console_error(msg.text):
            problem(f"console error: {msg.text}")

    if block_external:
        page.route("**/*", on_route)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: problem(f"uncaught exception: {exc}"))
