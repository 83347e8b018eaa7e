"""The demo in a real browser: ``streamlit run`` serves it, headless Chromium makes a song.

Checks what only a browser shows: the page renders, the button works over Streamlit's
websocket, the audio element loads a playable file, and the screenshot is not blank.
"""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np
import pytest
from conftest import Browser, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOPIC_BUTTON = "//div[contains(@class, 'st-key-topic_go')]//button"
MAIN_MENU = "//*[@data-testid='stMainMenu']"
DEPLOY_BUTTON = "//*[@data-testid='stAppDeployButton']"


def png_pixels(path: Path) -> np.ndarray:
    """Decode a PNG file into an RGB array (height x width x 3)."""
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="rgb24")


def test_the_demo_starts_without_collecting_usage_statistics(
    demo_server: str, tmp_path: Path
) -> None:
    """The settings the demo ships turn Streamlit's usage statistics off, and its notice."""
    log = (tmp_path / "streamlit.log").read_text()
    assert demo_server in log  # what Streamlit prints once it serves: "URL: http://..."
    assert "usage statistics" not in log.lower()
    assert "gatherUsageStats" not in log


def test_a_song_made_in_chromium(demo_server: str, browser: Browser, tmp_path: Path) -> None:
    browser.get(demo_server)
    button = wait_until(lambda: browser.find_all(TOPIC_BUTTON), 60, "the Create song button")
    # The toolbar is drawn with the page: a viewer's, with no developer "Deploy" button.
    wait_until(lambda: browser.find_all(MAIN_MENU), 30, "the toolbar's menu")
    assert browser.find_all(DEPLOY_BUTTON) == []
    assert "Deploy" not in browser.run_js("return document.body.innerText;")
    browser.click(button[0])

    wait_until(lambda: browser.find_all("//audio"), 90, "an audio player")
    # The player must get a real file: the browser reads its length once it has loaded it.
    duration = wait_until(
        lambda: browser.run_js(
            "const a = document.querySelector('audio');"
            "return a && a.readyState >= 1 && isFinite(a.duration) ? a.duration : 0;"
        ),
        30,
        "the audio to load",
    )
    assert duration == pytest.approx(30.0, abs=0.5)
    # The spectrogram is drawn once its picture has arrived.
    wait_until(
        lambda: browser.run_js(
            "return [...document.querySelectorAll('[data-testid=stImage] img')]"
            ".some(img => img.complete && img.naturalWidth > 0);"
        ),
        30,
        "the spectrogram",
    )
    # The download button comes last: once it is there, the whole song is on the page.
    wait_until(lambda: browser.find_all("//*[@data-testid='stDownloadButton']"), 30, "the download")
    page = browser.run_js("return document.body.innerText;")
    assert "#1 Topic: Indie pop banger about my dog Boris" in page
    assert "Word timings" in page
    assert "Took" in page

    shot = Path(os.environ.get("RIFF_DEMO_SCREENSHOT_DIR") or tmp_path) / "demo.png"
    shot.write_bytes(browser.screenshot())
    pixels = png_pixels(shot)
    assert pixels.shape[0] > 500
    assert pixels.shape[1] > 800
    # Not blank: many distinct colours (text, widgets, the spectrogram) and real contrast.
    rgb = pixels.astype(np.uint32)
    colours = np.unique((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])
    assert len(colours) > 500
    assert pixels.std() > 20


COMPOSE_TAB = "//*[@role='tab'][.//p[normalize-space(text())='Compose']]"
COMPOSE_BUTTON = "//div[contains(@class, 'st-key-compose_go')]//button"


def test_a_compose_song_made_in_chromium(demo_server: str, browser: Browser) -> None:
    """The second generation's tab in the browser: /compose through the page, an m4a plays."""
    browser.get(demo_server)
    tab = wait_until(lambda: browser.find_all(COMPOSE_TAB), 60, "the Compose tab")
    browser.click(tab[0])

    def click_create() -> bool:
        # The tab's panel is drawn after the click: its button is clickable once shown.
        for element in browser.find_all(COMPOSE_BUTTON):
            try:
                browser.click(element)
            except RuntimeError:  # "element not interactable": not shown yet
                continue
            return True
        return False

    wait_until(click_create, 30, "the Compose tab's Create song button")
    wait_until(lambda: browser.find_all("//audio"), 90, "an audio player")
    duration = wait_until(
        lambda: browser.run_js(
            "const a = document.querySelector('audio');"
            "return a && a.readyState >= 1 && isFinite(a.duration) ? a.duration : 0;"
        ),
        30,
        "the m4a to load",
    )
    assert duration == pytest.approx(30.0, abs=0.5)
    wait_until(lambda: browser.find_all("//*[@data-testid='stDownloadButton']"), 30, "the download")
    page = browser.run_js("return document.body.innerText;")
    assert "#1 Compose:" in page
    assert "m4a" in page
    assert "Word timings" in page
