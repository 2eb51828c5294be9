r"""Check a static website as a reader's browser sees it: every page in headless Chromium, served locally.

Used by ``browser_tests/test_site.py`` (the course website, ``make test-site``) and by
``browser_tests/test_site_negative_controls.py`` (tiny broken pages that each check must reject).

Per page, :func:`check_page` records

* every request to another host (it is blocked, so an offline machine cannot hang on it), every
  response with HTTP status ≥ 400 and every failed request (a missing image, script, font, …);
* console errors and uncaught exceptions;
* images that did not load (``naturalWidth == 0``) and images without real alternative text (no
  ``alt``, an empty one, or MyST-NB's fallback: the image's own file name);
* TeX left untypeset after MathJax ran (``\frac``, ``\(``, ``$…$`` in the text outside code) and
  MathJax's own error boxes;
* widget views left on the page (the site must show the widget's stored PNG instead);
* every link and its ``#fragment``, resolved later against the files and the ids of every page
  (:func:`broken_links`);
* the axe-core audit (``web/node_modules/axe-core``, injected into the page, no request): violations
  of impact ``serious`` or ``critical`` fail, and so do skipped heading levels (``heading-order``);
  the others are summarised.
"""

from __future__ import annotations

import contextlib
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from lab import watch_page

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
#: Rules that fail whatever axe-core rates their impact: headings must go down one level at a time.
FAILING_RULES = ("heading-order", "image-alt", "color-contrast")


def pages_of(folder: Path) -> list[str]:
    """The site's HTML pages, as paths relative to ``folder`` (theme assets and sources left out)."""
    skip = {"_static", "_sources", "_images", "_downloads"}
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if not skip & set(p.relative_to(folder).parts)
    )


# --------------------------------------------------------------------------------------------------
# One page
# --------------------------------------------------------------------------------------------------
@dataclass
class PageReport:
    """What one page showed and requested. ``problems`` are failures; ``minor`` are only printed."""

    page: str
    problems: list[str] = field(default_factory=list)
    minor: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href as written, absolute URL)
    ids: set[str] = field(default_factory=set)
    images: int = 0
    output_images: int = 0
    maths: int = 0
    axe_counts: dict[str, int] = field(default_factory=dict)


# Text nodes inside these are code or already typeset maths: TeX there is not a rendering failure.
_SKIP_SELECTOR = "pre, code, script, style, textarea, mjx-container, .highlight, .MathJax, mjx-assistive-mml"

_PAGE_SCRIPT = """
(skip) => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest(skip)) continue;
    if (parent.closest('[hidden], [aria-hidden="true"]')) continue;
    if (node.textContent.trim()) texts.push(node.textContent);
  }
  const images = [...document.images].map((img) => ({
    src: img.getAttribute('src') || '',
    alt: img.getAttribute('alt'),
    role: img.getAttribute('role'),
    loaded: img.complete && img.naturalWidth > 0,
    output: !!img.closest('.cell_output, .output'),
    where: (() => {
      let el = img.closest('.cell') || img;
      while (el && el.previousElementSibling === null) el = el.parentElement;
      const headings = [...document.querySelectorAll('h1, h2, h3, h4')].filter(
        (h) => h.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING);
      const h = headings[headings.length - 1];
      return h ? h.textContent.replace(/[#¶]/g, '').trim() : '';
    })(),
  }));
  const links = [...document.querySelectorAll('a[href]')].map((a) => [a.getAttribute('href'), a.href]);
  const ids = [...document.querySelectorAll('[id], a[name]')].map((el) => el.id || el.getAttribute('name'));
  return {
    texts,
    images,
    links,
    ids,
    maths: document.querySelectorAll('mjx-container').length,
    mathErrors: [...document.querySelectorAll('mjx-merror')].map((e) => e.textContent),
    widgetViews: document.querySelectorAll(
      'script[type="application/vnd.jupyter.widget-view+json"], .jupyter-widgets').length,
  };
}
"""

_REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.I)

_TEX = re.compile(
    r"\\(?:[()\[\]]|frac|hat|mathrm|mathbf|sum|prod|sqrt|left|right|begin|end|theta|mu|sigma|pi|log|ln|"
    r"alpha|beta|gamma|lambda|cdot|le|ge|infty|partial|text|operatorname)(?![a-z])"
    r"|\$\$|\$[^$\s](?:[^$\n]*[^$\s])?\$"
)


def untypeset_tex(texts: list[str]) -> list[str]:
    """The pieces of visible prose that still look like TeX source."""
    found = []
    for text in texts:
        for match in _TEX.finditer(text):
            start = max(match.start() - 30, 0)
            found.append(text[start : match.end() + 30].replace("\n", " "))
    return found


def alt_problem(image: dict[str, Any]) -> str | None:
    """Why an image's alternative text is not real, or None if it is."""
    alt = image["alt"]
    if image["role"] in ("presentation", "none") and alt == "":
        return None  # decorative and said so
    if alt is None:
        return "has no alt attribute"
    if not alt.strip():
        return "has an empty alt"
    src_name = image["src"].rsplit("/", 1)[-1]
    if alt.strip() == image["src"] or (src_name and src_name in alt) or re.fullmatch(r"\S+\.(png|svg|jpe?g|gif)", alt):
        return f"has a file name for alt text ({alt!r}): add metadata.mystnb.image.alt to the cell"
    return None


def check_page(context: Any, base: str, page: str, *, audit: bool = True, settle_ms: int = 0) -> PageReport:
    """Load ``base/page`` in a new tab of ``context`` and report what a reader would meet."""
    report = PageReport(page)
    with urllib.request.urlopen(f"{base}/{page}", timeout=10) as resp:
        source = resp.read().decode("utf-8", errors="replace")
    refresh = _REFRESH.search(source)
    if refresh:  # a redirect page (Jupyter Book's index.html): check where it points, do not follow it
        report.links = [(refresh.group(1), urljoin(f"{base}/{page}", refresh.group(1)))]
        return report
    tab = context.new_page()
    tab.set_default_timeout(30_000)

    watch_page(
        tab,
        urlsplit(base).netloc,
        report.problems.append,
        lambda url: report.problems.append(f"request to another host: {url}"),
    )
    try:
        tab.goto(f"{base}/{page}", wait_until="load")
        # MathJax 3 typesets after load; its startup promise settles when the first pass is done.
        tab.evaluate(
            "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
            " { await MathJax.startup.promise; } }"
        )
        with contextlib.suppress(Exception):
            tab.wait_for_load_state("networkidle", timeout=10_000)
        if settle_ms:
            tab.wait_for_timeout(settle_ms)
        seen = tab.evaluate(_PAGE_SCRIPT, _SKIP_SELECTOR)
        report.ids = {i for i in seen["ids"] if i}
        report.links = [(href, url) for href, url in seen["links"]]
        report.maths = seen["maths"]
        for piece in untypeset_tex(seen["texts"]):
            report.problems.append(f"untypeset TeX: …{piece}…")
        for error in seen["mathErrors"]:
            report.problems.append(f"MathJax error: {error}")
        if seen["widgetViews"]:
            report.problems.append(f"{seen['widgetViews']} empty widget view(s): show the stored PNG instead")
        for image in seen["images"]:
            report.images += 1
            report.output_images += image["output"]
            where = f"{page}: image {image['src']}" + (f" (under “{image['where']}”)" if image["where"] else "")
            if not image["loaded"]:
                report.problems.append(f"{where} did not load")
            if (why := alt_problem(image)) is not None:
                report.problems.append(f"{where} {why}")
        if audit:
            run_axe(tab, report)
    finally:
        tab.close()
    return report


def run_axe(tab: Any, report: PageReport) -> None:
    """axe-core on the loaded page: serious/critical violations are problems, the rest minor notes."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make web-assets` (npm ci --prefix web)")
    tab.add_script_tag(content=AXE.read_text())
    result = tab.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        impact = violation.get("impact") or "unknown"
        report.axe_counts[impact] = report.axe_counts.get(impact, 0) + len(violation["nodes"])
        targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:3])
        more = f" (+{len(violation['nodes']) - 3} more)" if len(violation["nodes"]) > 3 else ""
        line = f"axe {impact}: {violation['id']} ({violation['help']}) at {targets}{more}"
        failing = impact in FAILING_IMPACTS or violation["id"] in FAILING_RULES
        (report.problems if failing else report.minor).append(line)


# --------------------------------------------------------------------------------------------------
# Links between pages
# --------------------------------------------------------------------------------------------------
def broken_links(reports: dict[str, PageReport], base: str, folder: Path) -> list[str]:
    """Every internal link whose file is missing or whose ``#fragment`` names no id on its page."""
    ids = {r.page: r.ids for r in reports.values()}
    broken = []
    for report in reports.values():
        for href, url in report.links:
            if href.startswith(("mailto:", "javascript:")) or href in ("#", ""):
                continue
            if not url.startswith(base + "/"):
                continue  # a link to another site is not followed (no network); requests to it are failures
            target, fragment = urldefrag(url)
            rel = unquote(urlsplit(target).path).lstrip("/")
            path = folder / rel
            if path.is_dir():
                rel = (Path(rel) / "index.html").as_posix()
                path = folder / rel
            if not path.is_file():
                broken.append(f"{report.page}: link {href!r} → {rel} does not exist")
                continue
            if fragment and rel.endswith(".html"):
                target_ids = ids.get(rel)
                if target_ids is None:  # a page that was not visited (not listed): read its ids from the file
                    target_ids = set(re.findall(r'\s(?:id|name)="([^"]+)"', path.read_text(errors="replace")))
                if unquote(fragment) not in target_ids:
                    broken.append(f"{report.page}: link {href!r} → #{fragment} is not an id of {rel}")
    return broken
