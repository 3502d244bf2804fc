"""Headless Chromium for the tests that look at a page as a person would (Debian's chromium
and chromium-driver, driven by selenium; ``.ci/run`` installs them).

Why selenium and not playwright: Debian's chromedriver is built from the same source as
Debian's chromium, so the pair always matches; playwright pins each release to one browser
build of its own and drives another one only on a best-effort basis, and its Python package
carries a Node.js runtime. Selenium is given both paths, so it never looks for (or downloads)
a driver.

Outside CI a missing browser skips the test, naming the install; in CI it is an error.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["INSTALL", "headless_chromium", "png_colours", "png_size"]

INSTALL = "apt-get install chromium chromium-driver"
_IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(what: str) -> None:
    if _IN_CI:
        pytest.fail(f"{what} in CI: .ci/run installs it ({INSTALL})")
    pytest.skip(f"{what}: {INSTALL} (and pip install -e '.[test]' for selenium)")


@contextmanager
def headless_chromium(profile: Path, *, width: int = 1280, height: int = 1400) -> Iterator[Any]:
    """A selenium WebDriver of a fresh headless Chromium (its profile in ``profile``), with the
    browser's console log kept (``driver.get_log("browser")``)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (os.access(chromium, os.X_OK) and os.access(driver_path, os.X_OK)):
        _missing("no chromium or chromedriver found")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed")
    # selenium logs every request at DEBUG, screenshots included: keep failures readable
    for name in ("selenium", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        f"--user-data-dir={profile}",
        # the browser's own traffic (updates, sync, safe browsing): none of it on a test run
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        # the viewport exactly (--window-size includes the window's frame)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()


# -- PNG: the size from its header; the colours counted by the browser ------------------------


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        yield kind, data[offset + 8 : offset + 8 + length]
        offset += 12 + length


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image."""
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
            return width, height
    raise ValueError("PNG without IHDR")


_COUNT_COLOURS = """
const [data, done] = arguments;
const image = new Image();
image.onerror = () => done(-1);
image.onload = () => {
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const seen = new Set();
  for (let i = 0; i < pixels.length; i += 4) {
    seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
  }
  done(seen.size);
};
image.src = "data:image/png;base64," + data;
"""


def png_colours(driver: Any, data: bytes) -> int:
    """How many distinct colours the PNG ``data`` holds, counted by the browser (which
    decodes PNG natively; Python's standard library does not). Leaves ``driver`` on a blank
    page."""
    driver.get("about:blank")
    driver.set_script_timeout(30)
    count = driver.execute_async_script(_COUNT_COLOURS, base64.b64encode(data).decode("ascii"))
    if not isinstance(count, int) or count < 0:
        raise ValueError("the browser could not decode the PNG")
    return count
