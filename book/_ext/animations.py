"""Light pages: the frames of matplotlib's animations become image files loaded on demand.

``descent.plotting.animation`` returns matplotlib's JavaScript player with every frame embedded
in the page as base64 (so a notebook shows it on its own, and the execution cache stores it).
On the website that made a chapter weigh megabytes. When a page is written, each embedded frame
is saved as an image file in ``_images/`` (named by its content), and the player is changed:

- the image shows the last frame, the outcome that the alt text describes, as a poster that
  needs no JavaScript; the slider stands at that frame;
- the player loads its frames only when the reader first uses a control (play, the slider, a
  button); until then it is a stand-in that creates matplotlib's player on the first call;
- Play on the last frame starts again from the first.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

PLAYER = re.compile(r'<div class="animation">.*?</script>', re.S)
FRAME = re.compile(r'"data:image/(\w+);base64,([A-Za-z0-9+/=\\\s]*)"')  # lines end in "\"
IMAGE = re.compile(r"<img ([^>]*?)id=\"(_anim_img\w+)\"")
SLIDER = re.compile(r'(class="anim-slider"\s+name="points" min="0" )max="1" step="1" value="0"')
CREATE = re.compile(r"(anim\w+) = new Animation\(([^;]*?)\);")

# Replaces `animX = new Animation(...)`: a stand-in whose first call creates the player (which
# starts loading every frame), sets it to the poster's frame, and passes the call on.
STAND_IN = """var player = null;
        {name} = new Proxy({{}}, {{get: function (_, method) {{ return function () {{
            if (!player) {{
                player = new Animation({arguments});
                player.set_frame(player.frames.length - 1);
            }}
            if (method === "play_animation" && player.current_frame === player.frames.length - 1)
                player.set_frame(0);
            return player[method].apply(player, arguments);
        }}; }}}});"""


def decode(data: str) -> bytes:
    """The bytes of a frame from its base64 text, which continues lines with "\\"."""
    return base64.b64decode(re.sub(r"[\\\s]", "", data))


def save_frame(outdir: Path, kind: str, data: bytes) -> str:
    """Write one frame into ``_images/`` under a name taken from its content; return the name."""
    name = f"_images/animation-{hashlib.sha1(data).hexdigest()[:16]}.{kind}"
    path = outdir / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return name


def lighten(player: str, outdir: Path, pathto) -> str:
    """The HTML of one player, with its frames moved to files and loaded on demand."""
    from PIL import Image

    frames = [(kind, decode(data)) for kind, data in FRAME.findall(player)]
    if not frames:
        return player
    urls = [pathto(save_frame(outdir, kind, data), 1) for kind, data in frames]
    shown = iter(urls)
    player = FRAME.sub(lambda _: f'"{next(shown)}"', player)
    with Image.open(io.BytesIO(frames[-1][1])) as last_frame:
        width, height = last_frame.size
    poster = f'src="{urls[-1]}" width="{width}" height="{height}"'
    player = IMAGE.sub(lambda m: f'<img {poster} {m[1]}id="{m[2]}"', player, count=1)
    last = len(urls) - 1
    player = SLIDER.sub(lambda m: f'{m[1]}max="{last}" step="1" value="{last}"', player, count=1)
    return CREATE.sub(lambda m: STAND_IN.format(name=m[1], arguments=m[2]), player, count=1)


def lighten_page(app, pagename, templatename, context, doctree):
    if app.builder.format != "html" or "body" not in context:
        return
    if '<div class="animation">' not in context["body"]:
        return
    outdir = Path(app.builder.outdir)
    context["body"] = PLAYER.sub(
        lambda m: lighten(m[0], outdir, context["pathto"]), context["body"]
    )


def setup(app):
    app.connect("html-page-context", lighten_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
