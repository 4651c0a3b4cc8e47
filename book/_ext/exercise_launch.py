"""Keep launch buttons on the exercise pages only.

Chapters are MyST markdown notebooks, so the theme would offer to launch them too, but Colab
cannot open markdown and learners should launch the exercises. The theme adds its buttons at
priority 501; this handler runs after it and removes the launch group from other pages.
"""


def remove_launch_buttons(app, pagename, templatename, context, doctree):
    if pagename.startswith("exercises/"):
        return
    buttons = context.get("header_buttons", [])
    context["header_buttons"] = [b for b in buttons if b.get("label") != "launch-buttons"]


def setup(app):
    app.connect("html-page-context", remove_launch_buttons, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
