"""Keep launch buttons on notebook pages only: the exercises and the explorer.

Chapters are MyST markdown notebooks, so the theme would offer to launch them too, but Colab
cannot open markdown, and what learners should launch are the exercises. The theme adds its
buttons at priority 501; this handler runs after it and removes them from markdown pages.
"""

from pathlib import Path


def remove_launch_buttons(app, pagename, templatename, context, doctree):
    if Path(app.env.doc2path(pagename)).suffix == ".ipynb":
        return
    buttons = context.get("header_buttons", [])
    context["header_buttons"] = [b for b in buttons if b.get("label") != "launch-buttons"]


def setup(app):
    app.connect("html-page-context", remove_launch_buttons, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
