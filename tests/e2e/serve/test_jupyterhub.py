"""`dlgrade serve --hub` as a service of a real JupyterHub (its proxy, its OAuth, users' servers
started by the Hub): Ana submits from her notebook's kernel with `dlhelpers.enviar()` and her Hub
token and reads the official score; Bruno cannot see her submission; a token without access to
the service is refused; the Hub's admin opens the instructor's view; the page logs in through the
Hub's OAuth."""
import re

import nbformat
import pytest
import requests

from autograder.grading.submission import assignment_points
from dlhelpers.submit import number
from tests.e2e.serve.conftest import ASSIGNMENT, build_course, notebooks
from tests.support.jupyterhub import SERVICE, Hub, missing_pieces

pytestmark = [pytest.mark.slow, pytest.mark.skipif(missing_pieces() is not None, reason=str(missing_pieces()))]

FULL = sum(assignment_points(ASSIGNMENT).values())
ACCESS = f"access:services!service={SERVICE}"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    course = build_course(folder / "curso", overrides=f'c.GradingService.submissions_per_day = {{"{ASSIGNMENT}": 3}}\n',
                          only=(ASSIGNMENT,))
    with Hub(folder / "jupyterhub", course, users=["ana", "bruno", "prof"], admins=["prof"]) as running:
        yield running, notebooks(course)


def api(hub: Hub, token: str, path: str) -> requests.Response:
    return requests.get(f"{hub.service_url}{path.lstrip('/')}", headers={"Authorization": f"token {token}"}, timeout=60)


def test_a_hub_user_submits_from_the_notebook_kernel_and_only_she_sees_her_verdict(hub):
    running, books = hub
    running.start_server("ana")
    # Ana's notebook in her server (half of the answers right), and a kernel of its session.
    content = nbformat.reads(books["half_right"].decode(), as_version=4)
    saved = running.server("ana", "PUT", f"/contents/{ASSIGNMENT}.ipynb",
                           json={"type": "notebook", "format": "json", "content": content})
    assert saved.status_code in (200, 201), saved.text
    session = running.server("ana", "POST", "/sessions", json={"path": f"{ASSIGNMENT}.ipynb", "type": "notebook",
                                                              "name": f"{ASSIGNMENT}.ipynb", "kernel": {"name": "python3"}})
    assert session.status_code == 201, session.text

    # The release's submit cell, switched on: the address and the Hub token come from the server's environment.
    ran = running.run_in_kernel("ana", session.json()["kernel"]["id"],
                                f"from dlhelpers import enviar\nenvio = enviar({ASSIGNMENT!r})\nprint('id', envio['id'])")
    assert ran["error"] is None, (ran, running.output())
    out = ran["stdout"]
    assert f"Enviando {ASSIGNMENT}.ipynb" in out and "Envio recebido" in out, out
    score = re.search(r"Nota oficial: ([0-9,]+) de ([0-9,]+)\.", out)
    assert score and score.group(2) == number(FULL), out
    submission_id = re.search(r"^id (\S+)$", out, re.M).group(1)

    ana = running.token_for("ana", [ACCESS])
    verdict = api(running, ana, f"/api/submissions/{submission_id}").json()
    assert verdict["student"] == "ana" and verdict["status"] == "graded"
    assert number(verdict["score"]) == score.group(1) and 0 < verdict["score"] < FULL  # half right: a partial score
    assert [s["id"] for s in api(running, ana, f"/api/submissions?assignment={ASSIGNMENT}").json()["submissions"]] \
        == [submission_id]

    # Bruno, with a token of his own that may reach the service, sees nothing of Ana's.
    bruno = running.token_for("bruno", [ACCESS])
    assert api(running, bruno, f"/api/submissions/{submission_id}").status_code == 404
    assert api(running, bruno, f"/api/submissions?assignment={ASSIGNMENT}").json() == {"submissions": []}
    assert api(running, bruno, "/api/admin").status_code in (401, 403)
    # A Hub token of Ana's without access to this service is not a course token either.
    narrow = running.token_for("ana", ["read:users:name!user=ana"])
    assert api(running, narrow, "/api/assignments").status_code == 401
    # The Hub's admin opens the instructor's view, which counts Ana's submission.
    admin = api(running, running.token_for("prof", [ACCESS]), "/api/admin")
    assert admin.status_code == 200, admin.text
    assert any(s["id"] == submission_id for s in admin.json()["last_submissions"]), admin.json()


def test_the_page_logs_in_through_the_hubs_oauth(hub):
    """A browser without a cookie goes to the Hub's login, and comes back to the page as the Hub user."""
    running, _ = hub
    browser = requests.Session()
    first = browser.get(running.service_url, timeout=60)
    assert "/hub/login" in first.url, first.url  # the Hub's login form, with the way back in `next`
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', first.text)
    logged = browser.post(first.url, data={"username": "bruno", "password": "qualquer",
                                           **({"_xsrf": xsrf.group(1)} if xsrf else {})}, timeout=60)
    assert logged.status_code == 200, logged.text
    assert logged.url.startswith(running.service_url), logged.url
    assert '<span id="student">bruno</span>' in logged.text
    listed = browser.get(f"{running.service_url}api/assignments", timeout=60).json()["assignments"]
    assert [a["id"] for a in listed] == [ASSIGNMENT]
    mine = browser.get(f"{running.service_url}api/submissions", timeout=60)
    assert mine.status_code == 200 and mine.json() == {"submissions": []}
