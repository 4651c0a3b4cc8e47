"""Small fixes to the generated pages of the book.

- Launch buttons stay on notebook pages only (the exercises and the explorer). Chapters are
  MyST markdown notebooks, so the theme would offer to launch them too, but Colab cannot open
  markdown, and what learners should launch are the exercises.
- Each inline script appears once: sphinx-thebe 0.3 registers its configuration script on
  every read of the environment, and the second copy throws "THEBE_JS_URL has already been
  declared" in the browser console.
- The theme starts in "auto" mode (light or dark as the reader's system prefers) instead of
  logging "Got invalid theme mode" when a reader has never chosen one.
"""

from pathlib import Path


def remove_launch_buttons(app, pagename, templatename, context, doctree):
    if Path(app.env.doc2path(pagename)).suffix == ".ipynb":
        return
    buttons = context.get("header_buttons", [])
    context["header_buttons"] = [b for b in buttons if b.get("label") != "launch-buttons"]


def deduplicate_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        body = getattr(script, "attributes", {}).get("body")
        key = (getattr(script, "filename", None) or "", body)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def default_mode(app, config):
    config.html_context.setdefault("default_mode", "auto")


def setup(app):
    app.connect("config-inited", default_mode)
    app.connect("html-page-context", remove_launch_buttons, priority=502)
    app.connect("html-page-context", deduplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
