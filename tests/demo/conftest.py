"""Fixtures for the demo's tests: the app under AppTest, served by Streamlit, and a browser.

The browser is Debian's Chromium driven through Debian's chromedriver, spoken to in plain
W3C WebDriver (JSON over HTTP, with httpx), so no browser-automation package is needed.
Every server started here listens on 127.0.0.1 only and is stopped by its process id.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "demo_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
#: W3C WebDriver's name for the key that holds an element's reference.
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def load_demo() -> ModuleType:
    """demo_app.py imported as a module: its functions, without drawing the page."""
    name = "demo_app_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, APP)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # dataclasses look their module up in sys.modules while the module runs.
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    """Call ``check`` until it returns something truthy; fail the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def stop_group(process: subprocess.Popen[Any]) -> None:
    """Stop a process started with its own session, and its children, by its process id."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass


def _http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def ensure_chromium() -> None:
    """Install Chromium and its driver from Debian when missing and possible, else skip."""
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("needs Chromium and chromedriver (apt-get install chromium chromium-driver)")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium-driver"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            pytest.skip(f"could not install Chromium: {' '.join(command)} failed")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("Chromium was installed but is not at /usr/bin/chromium")


class Browser:
    """A headless Chromium session, driven over W3C WebDriver with a handful of commands."""

    def __init__(self, driver_url: str, profile_dir: Path) -> None:
        self._http = httpx.Client(base_url=driver_url, timeout=60)
        args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            # This network is closed: background fetches would only stall or be refused.
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
            "--window-size=1400,2400",
            f"--user-data-dir={profile_dir}",
        ]
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }
        answer = self._command("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self._session = f"/session/{answer['sessionId']}"

    def _command(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self._http.request(method, path, json=body)
        value = response.json().get("value")
        if response.status_code != 200:
            raise RuntimeError(f"WebDriver {method} {path}: {value}")
        return value

    def get(self, url: str) -> None:
        """Open ``url`` and wait for the page to load."""
        self._command("POST", f"{self._session}/url", {"url": url})

    def find_all(self, xpath: str) -> list[str]:
        """References of the elements matching an XPath expression (maybe none)."""
        found = self._command(
            "POST", f"{self._session}/elements", {"using": "xpath", "value": xpath}
        )
        return [element[ELEMENT] for element in found]

    def click(self, element: str) -> None:
        """Click an element as a user would (it must be visible)."""
        self._command("POST", f"{self._session}/element/{element}/click", {})

    def run_js(self, script: str, *args: Any) -> Any:
        """Run JavaScript in the page and return its result."""
        return self._command(
            "POST", f"{self._session}/execute/sync", {"script": script, "args": list(args)}
        )

    def screenshot(self) -> bytes:
        """The visible part of the page as PNG bytes."""
        return base64.b64decode(self._command("GET", f"{self._session}/screenshot"))

    def close(self) -> None:
        """End the session, which closes Chromium."""
        try:
            self._command("DELETE", self._session)
        finally:
            self._http.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Browser]:
    """A fresh headless Chromium with an empty profile, closed after the test."""
    ensure_chromium()
    port = free_port()
    driver = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}", "--allowed-ips=127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        driver_url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _http_ok(f"{driver_url}/status"), 20, "chromedriver to start")
        profile = tmp_path / "chromium-profile"
        profile.mkdir()
        session = Browser(driver_url, profile)
        try:
            yield session
        finally:
            session.close()
    finally:
        stop_group(driver)


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    """``streamlit run demo_app.py`` on a free loopback port; yields the page's URL.

    Started without RIFFUSION_* variables, so the app picks its built-in emulator. Only the
    options a test needs are given (no browser to open, where to listen, no file watcher):
    the rest comes from the settings the demo ships, as when a user runs the README's
    command. What it prints goes to ``streamlit.log`` in the test's ``tmp_path``.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RIFFUSION_")}
    env["HOME"] = str(tmp_path)  # Streamlit writes its ~/.streamlit there, not in ours
    log = (tmp_path / "streamlit.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: server.poll() is not None or _http_ok(f"{url}/_stcore/health"),
            60,
            "Streamlit to serve the app",
        )
        if server.poll() is not None:
            pytest.fail(f"streamlit exited: {(tmp_path / 'streamlit.log').read_text()}")
        yield url
    finally:
        stop_group(server)
        log.close()
