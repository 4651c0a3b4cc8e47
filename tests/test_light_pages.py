"""book/_ext/animations.py: an animation's frames leave the page as image files."""

import base64
import re
import sys

import matplotlib
import numpy as np
import pytest

from descent import plotting, surfaces
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import animations  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def player() -> str:
    """A five-frame animation of two short paths, as the notebook cell shows it."""
    valley = surfaces.all_surfaces()["valley"]
    paths = {
        "left": np.linspace([-2.0, 1.0], [0.0, 0.0], 5),
        "right": np.linspace([2.0, -1.0], [0.0, 0.0], 5),
    }
    return plotting.animation(valley, paths, alt='Two paths "meet" at the minimum.').data


def embedded_frames(html: str) -> list[bytes]:
    """The frames of a matplotlib player, decoded from the page."""
    encoded = re.findall(r'frames\[\d+\] = "data:image/jpeg;base64,([^"]*)"', html)
    return [base64.b64decode(e.replace("\\\n", "")) for e in encoded]


def test_frames_become_files_and_the_last_frame_is_the_poster(player, tmp_path):
    frames = embedded_frames(player)
    assert len(frames) == 5
    pathto = lambda name, resource: f"../{name}"  # noqa: E731 (a page one folder deep)
    html = animations.PLAYER.sub(lambda m: animations.lighten(m[0], tmp_path, pathto), player)
    assert "data:image" not in html and len(html) < len(player) / 10
    urls = re.findall(r'frames\[\d+\] = "([^"]+)"', html)
    assert [(tmp_path / url.removeprefix("../")).read_bytes() for url in urls] == frames
    poster = re.search(r"<img ([^>]*)>", html[html.index('<div class="animation">') :])[1]
    assert f'src="{urls[-1]}"' in poster and 'alt="Two paths &quot;meet&quot;' in poster
    assert re.search(r'width="\d+" height="\d+"', poster)
    assert re.search(
        r'class="anim-slider"\s+name="points" min="0" max="4" step="1" value="4"', html
    )
    assert html.count("new Animation(") == 1 and "new Proxy(" in html  # made on first use


def test_a_page_without_animations_is_left_alone(tmp_path):
    body = "<p>No player here.</p>"
    assert animations.PLAYER.sub(lambda m: animations.lighten(m[0], tmp_path, None), body) == body
    assert not list(tmp_path.iterdir())
