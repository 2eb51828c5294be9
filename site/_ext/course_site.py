"""Sphinx extension of the course website (site/_config.yml, ``local_extensions``).

* No Thebe: Jupyter Book 1 always loads sphinx-thebe, whose page script names a CDN
  (``unpkg.com``) and is added twice on every page with Sphinx 7 (``THEBE_JS_URL`` declared twice:
  an uncaught error in the console). The site runs no code, so the Thebe scripts are dropped.
* A fixed light theme (``default_mode``): otherwise the pydata theme logs "invalid theme mode" on a
  first visit, and the colour-contrast audit would depend on the reader's system setting.
"""

from __future__ import annotations

from typing import Any


def _drop_thebe(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for js in scripts:
        filename = str(getattr(js, "filename", js) or "")
        body = str(getattr(js, "attributes", {}).get("body", "")) if hasattr(js, "attributes") else ""
        if "thebe" in filename or "THEBE_JS_URL" in body:
            continue
        if body and any(body == str(getattr(k, "attributes", {}).get("body", "")) for k in kept):
            continue  # the same inline script twice (sphinx-togglebutton's selector)
        kept.append(js)
    scripts[:] = kept  # in place: Sphinx renders the list it put into the context


def _light_mode(app: Any, config: Any) -> None:
    context = dict(config.html_context or {})
    context["default_mode"] = "light"  # the pydata theme's <body data-default-mode>
    config.html_context = context


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _light_mode)
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
