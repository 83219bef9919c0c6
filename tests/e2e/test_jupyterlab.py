"""A student's first Run-All in a real JupyterLab (Debian's chromium through Selenium): the
release notebook of a course made by `dlgrade init` opens, runs, and stops at the first stub with
the Portuguese message, never a traceback. The screenshot is kept in test-artifacts/"""
import shutil

import pytest

from tests.support.browser import ARTIFACTS, headless_chromium, jupyter_lab, screenshot

pytestmark = pytest.mark.slow

ASSIGNMENT = "a1_ativacoes"
STUB = "ainda não foi implementada"
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'


def test_a_release_notebook_runs_in_jupyterlab_and_stops_at_the_stub(course, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    folder = tmp_path / ASSIGNMENT
    shutil.copytree(course / "release" / ASSIGNMENT, folder)  # the session's course stays untouched
    with headless_chromium(1400, 1000) as browser, jupyter_lab(folder, tmp_path / "jupyter.log") as (base, token):
        browser.get(f"{base}lab/tree/{ASSIGNMENT}.ipynb?token={token}")
        wait = WebDriverWait(browser, 180)
        wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")))
        # The kernel is up once the toolbar's indicator says idle.
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']"))
        wait.until(ready.element_to_be_clickable((By.XPATH, "//li[contains(@class,'lm-MenuBar-item')]"
                                                           "[.//div[normalize-space()='Run']]"))).click()
        wait.until(ready.element_to_be_clickable(
            (By.CSS_SELECTOR, "li.lm-Menu-item[data-command='runmenu:run-all']"))).click()
        wait.until(lambda b: any(STUB in e.text for e in b.find_elements(By.CSS_SELECTOR, STDERR)))
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']"))
        stopped = next(e for e in browser.find_elements(By.CSS_SELECTOR, STDERR) if STUB in e.text)
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", stopped)
        screenshot(browser, "jupyterlab-run-all")
        outputs = "\n".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"))
        errors = [e.text for e in browser.find_elements(By.CSS_SELECTOR, STDERR)]
    assert "Traceback" not in outputs and "---------" not in outputs, outputs[-3000:]  # no Python traceback
    assert len(errors) == 1 and STUB in errors[0] and "Substitua `raise NotImplementedError()`" in errors[0], errors
    assert (ARTIFACTS / "jupyterlab-run-all.png").stat().st_size > 10_000
