"""Debian's headless Chromium through Selenium, for the pages people look at."""
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Screenshots of the browser tests, kept after the run for a person to look at (CI can collect
# the folder); DLGRADE_TEST_ARTIFACTS moves it.
ARTIFACTS = Path(os.environ.get("DLGRADE_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


def screenshot(browser, name: str) -> Path:
    """Saves what the browser shows as ARTIFACTS/<name>.png and returns the path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path


@contextlib.contextmanager
def headless_chromium(width: int = 1280, height: int = 900):
    """A Selenium driver of Debian's chromium + chromium-driver (`make test` installs them as
    root); skips the test where they are missing. Flags: no background networking (this machine
    has no network), a fresh profile, no sandbox (CI runs as root)."""
    driver_path = shutil.which("chromedriver")
    if not driver_path or not shutil.which(CHROMIUM):
        pytest.skip("chromium and chromium-driver are not installed (make system-packages installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(folder: Path, log: Path, start_timeout: float = 120):
    """`jupyter lab` serving ``folder`` on 127.0.0.1 (started in it, so nbgrader's formgrader reads
    the course's nbgrader_config.py there); yields the URL prefix with the token, e.g.
    ``http://127.0.0.1:PORT/`` and the token. Its output goes to ``log``; stopped at the end."""
    port, token = free_port(), secrets.token_hex(16)
    bin_dir = str(Path(sys.executable).parent)
    runtime = tempfile.mkdtemp(prefix="jupyter-runtime-")
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "JUPYTER_RUNTIME_DIR": runtime}
    with open(log, "w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--ServerApp.token={token}", f"--ServerApp.root_dir={folder}", "--ServerApp.open_browser=False",
             "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
            cwd=folder, env=env, stdout=output, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=5):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("jupyter lab did not start:\n" + Path(log).read_text()[-3000:]) from None
                    time.sleep(0.5)  # polling interval, not a time limit
            yield base, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
            shutil.rmtree(runtime, ignore_errors=True)


def log_in(browser, base: str, token: str, timeout: float = 60):
    """Logs ``browser`` in to the Jupyter server at ``base`` with its token, through the login
    page, so that the page's own API calls (the formgrader's grades) carry the login cookie: a
    token in a page's URL authenticates that page only."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base}login")
    field = WebDriverWait(browser, timeout).until(lambda b: b.find_element(By.CSS_SELECTOR, "input[name=password]"))
    field.send_keys(token)
    field.submit()
    WebDriverWait(browser, timeout).until(lambda b: any(c["name"].startswith("username-") for c in b.get_cookies()))
