"""The student's page in a real Chromium: sign in with the personal link, upload the notebook with
the file picker, read the verdict; at a phone's 390 px nothing is cut off."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from autograder.grading.submission import assignment_points
from dlhelpers.submit import number
from tests.e2e.serve.conftest import ASSIGNMENT, notebooks
from tests.support.browser import headless_chromium, screenshot
from tests.support.grading_service import ServiceProcess, issue_tokens

pytestmark = pytest.mark.slow

GRADING_WAIT = 600  # a loaded CI machine grades slowly; the test asserts on what, never on how fast


def test_a_student_uploads_on_the_page_and_reads_the_verdict_also_at_390_px(course, tmp_path):
    token = issue_tokens(course, ["4001"])["4001"]
    saved = tmp_path / f"{ASSIGNMENT}.ipynb"
    saved.write_bytes(notebooks(course)["full"])
    full = sum(assignment_points(ASSIGNMENT).values())
    with ServiceProcess(course, "--workers", "1") as service, headless_chromium() as browser:
        browser.get(f"{service.url}?token={token}")
        assert "token=" not in browser.current_url  # the link's token leaves the address bar
        card_path = f"//section[.//h2[@class='name' and text()='{ASSIGNMENT}']]"
        card = WebDriverWait(browser, 60).until(lambda b: b.find_element(By.XPATH, card_path))
        assert browser.find_element(By.ID, "student").text == "4001"
        card.find_element(By.CSS_SELECTOR, 'input[name="notebook"]').send_keys(str(saved))
        card.find_element(By.CSS_SELECTOR, "form.upload button").click()
        WebDriverWait(browser, 60).until(lambda b: "Recebido!" in b.find_element(By.XPATH, card_path).text)
        WebDriverWait(browser, GRADING_WAIT, poll_frequency=1).until(
            lambda b: b.find_elements(By.XPATH, card_path + "//span[@class='score']"))
        card = browser.find_element(By.XPATH, card_path)
        assert f"nota {number(full)} de {number(full)}" in card.text
        assert "corrigido" in card.text and "Envios restantes hoje: 2 de 3" in card.text
        screenshot(browser, "serve-page-1280")

        browser.set_window_size(390, 844)
        WebDriverWait(browser, 10).until(lambda b: b.execute_script("return window.innerWidth") <= 420)
        overflow = browser.execute_script(
            "const d = document.documentElement; const w = d.clientWidth;"
            "return [d.scrollWidth - w, [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1).map(e => e.tagName + '.' + e.className)];")
        screenshot(browser, "serve-page-390")
        assert overflow[0] <= 0 and overflow[1] == [], overflow
