"""Debian's headless Chromium through Selenium, for the pages people look at."""
import contextlib
import shutil
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"


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
