"""`enviar()`: sends the notebook being edited to the course's grading service (`dlgrade serve`)
and prints the official verdict when it arrives.

Standard library only: it runs wherever the notebook runs (Colab, JupyterHub, a laptop).
Where each piece comes from, first found wins:

- the service's address: ``url=``, ``$DLGRADE_URL`` (the course's JupyterHub sets it);
- the token: ``token=``, ``$DLGRADE_TOKEN``, the JupyterHub user's ``$JUPYTERHUB_API_TOKEN``,
  Colab's secret ``DLGRADE_TOKEN``, else it is asked for (hidden input);
- the notebook: ``caminho=``, Colab's open notebook, the file of the kernel's session
  (``$JPY_SESSION_NAME`` / ``__session__``: the last save, so save first).

Inside the grader (``$NBGRADER_EXECUTION`` set) it does nothing: a graded notebook never submits.
"""
from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

__all__ = ["ErroDeEnvio", "enviar"]

POLL_SECONDS = 2.0   # at least this between two questions to the service
FAILED_TESTS_SHOWN = 3  # per exercise in the notebook's output; the service's page lists them all
WAIT_SECONDS = 25    # each question waits for the verdict up to this long on the service (a long poll)


class ErroDeEnvio(RuntimeError):
    """The service refused the submission or could not be reached (the message says why, in Portuguese)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status of a refusal; None when the service was not reached

    @property
    def passageiro(self) -> bool:
        """A service restarting or a database away for a moment: worth asking again."""
        return self.status is None or self.status in (502, 503, 504)


def enviar(tarefa: str, url: str | None = None, token: str | None = None, caminho: str | os.PathLike | None = None,
           esperar: bool = True, espera_maxima: float = 600.0, arquivos: list[str | os.PathLike] | None = None) -> dict | None:
    """Envia este notebook para a correção oficial e mostra o resultado.

    Parâmetros:
    - tarefa: o identificador da tarefa (por exemplo ``"a2_convolucao"``);
    - url, token: o endereço do serviço e o seu token (normalmente vêm do ambiente do curso);
    - caminho: o arquivo .ipynb a enviar (padrão: o notebook aberto, na última versão salva);
    - esperar: se True, espera a correção (até ``espera_maxima`` segundos) e mostra a nota;
    - arquivos: arquivos entregues junto (os que o enunciado pede, por exemplo as predições).

    Devolve o envio como o serviço o descreve (``status``, ``score``, ``max_score``, ``cells``),
    ou None dentro da correção automática, onde não envia nada.
    """
    if "NBGRADER_EXECUTION" in os.environ:
        return None
    base = (url or os.environ.get("DLGRADE_URL") or "").strip()
    if not base:
        raise ErroDeEnvio("Não sei o endereço do serviço de correção: use enviar(tarefa, url=...) com o endereço "
                          "que o professor divulgou (ou defina a variável de ambiente DLGRADE_URL).")
    base = base.rstrip("/") + "/"
    secret = token or course_token()
    name, content = notebook_to_send(caminho)
    files = [("notebook", name, content)]
    for path in arquivos or []:
        path = Path(path)
        if not path.is_file():
            raise ErroDeEnvio(f"O arquivo {path} não existe: gere-o (rode as células que o criam) antes de enviar.")
        files.append(("files", path.name, path.read_bytes()))
    reply = request(base + "api/submissions", secret, fields={"assignment": tarefa}, files=files)
    print(f"Envio recebido às {time.strftime('%H:%M')} (id {reply['id']}); envios restantes hoje para "
          f"{tarefa}: {reply['remaining_today']}.")
    if not esperar:
        return reply
    deadline = time.monotonic() + espera_maxima
    warned = False
    while True:
        asked = time.monotonic()
        wait = max(0, min(WAIT_SECONDS, round(deadline - asked)))
        try:
            submission = request(base + f"api/submissions/{reply['id']}?wait={wait}", secret)
        except ErroDeEnvio as error:  # the submission is stored: a moment's outage only delays its verdict
            if not error.passageiro or time.monotonic() > deadline:
                raise
            if not warned:
                print(f"O serviço não respondeu agora ({error}). O seu envio está guardado; continuo esperando.")
                warned = True
            time.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - asked)))
            continue
        if submission["status"] in ("graded", "failed"):
            print(verdict_text(submission))
            return submission
        if time.monotonic() > deadline:
            print(f"A correção ainda não terminou ({submission['message']}); veja o resultado depois na página "
                  f"do serviço: {base}")
            return submission
        time.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - asked)))


def course_token() -> str:
    for variable in ("DLGRADE_TOKEN", "JUPYTERHUB_API_TOKEN"):
        if os.environ.get(variable):
            return os.environ[variable]
    try:  # Colab's secrets (the key icon in the side bar)
        from google.colab import userdata  # type: ignore[import-not-found]

        return userdata.get("DLGRADE_TOKEN")
    except Exception:  # noqa: BLE001 - not on Colab, or no such secret
        pass
    import getpass

    secret = getpass.getpass("Seu token do curso (o professor enviou): ").strip()
    if not secret:
        raise ErroDeEnvio("Sem token não há como enviar: use o token que o professor enviou a você.")
    return secret


def notebook_to_send(path) -> tuple[str, bytes]:
    """(file name, content) of the notebook to send."""
    if path is None:
        colab = colab_notebook()
        if colab is not None:
            return "notebook.ipynb", colab
        path = session_notebook()
    if path is None:
        raise ErroDeEnvio("Não encontrei o arquivo deste notebook: use enviar(tarefa, caminho='seu_notebook.ipynb').")
    path = Path(path)
    if not path.is_file():
        raise ErroDeEnvio(f"O arquivo {path} não existe: confira o caminho.")
    print(f"Enviando {path.name}, salvo às {time.strftime('%H:%M', time.localtime(path.stat().st_mtime))} "
          "(o que não foi salvo não vai: salve com Ctrl+S antes de enviar).")
    return path.name, path.read_bytes()


def colab_notebook() -> bytes | None:
    """The notebook open in Colab, as Colab's front end holds it (unsaved edits included)."""
    try:
        from google.colab import _message  # type: ignore[import-not-found]
    except ImportError:
        return None
    reply = _message.blocking_request("get_ipynb", request="", timeout_sec=60)
    return json.dumps(reply["ipynb"]).encode("utf-8")


def session_notebook() -> Path | None:
    """The .ipynb of the kernel's session (Jupyter tells the kernel), when it is on this disk."""
    names = [os.environ.get("JPY_SESSION_NAME")]
    try:
        names.append(get_ipython().user_ns.get("__session__"))  # type: ignore[name-defined]
    except NameError:
        pass
    for name in filter(None, names):
        for candidate in (Path(name), Path.cwd() / Path(name).name):
            if candidate.suffix == ".ipynb" and candidate.is_file():
                return candidate
    return None


def request(address: str, token: str, fields: dict | None = None, files: list | None = None) -> dict:
    """A GET, or a multipart POST when ``files`` is given; the reply's JSON (ErroDeEnvio on a refusal)."""
    headers = {"Authorization": f"token {token}", "Accept": "application/json"}
    body = None
    if files is not None:
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in (fields or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        for key, name, content in files:
            safe = name.replace('"', "_").replace("\r", "_").replace("\n", "_")
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{safe}"\r\n'
                         "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    try:
        with urllib.request.urlopen(urllib.request.Request(address, data=body, headers=headers), timeout=120) as reply:
            return json.loads(reply.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read().decode("utf-8"))["error"]
        except Exception:  # noqa: BLE001 - not the service's JSON (a proxy's page)
            message = f"o serviço respondeu {error.code} {error.reason}"
        raise ErroDeEnvio(message, error.code) from None
    except (urllib.error.URLError, OSError) as error:
        raise ErroDeEnvio(f"Não consegui falar com o serviço de correção em {address}: {error}. Confira o "
                          "endereço e a sua conexão.") from None


def verdict_text(submission: dict) -> str:
    """What a student reads: the score, each exercise's, and the message of each test that failed."""
    if submission["status"] == "failed":
        return f"A correção falhou: {submission['message']}"
    lines = [f"Nota oficial: {number(submission['score'])} de {number(submission['max_score'])}."]
    for grade_id, cell in sorted(submission.get("cells", {}).items()):
        mark = "✔" if cell["score"] >= cell["max_score"] else "✘"
        lines.append(f"  {mark} {grade_id}: {number(cell['score'])} de {number(cell['max_score'])}")
        failed = [test for test in cell.get("tests", []) if not test["passed"]]
        for test in failed[:FAILED_TESTS_SHOWN]:
            first, *rest = (test["message"] or "").splitlines() or [""]
            lines.append(f"      - {test['name']}: {first}")
            lines.extend(f"        {line}" for line in rest)
        if len(failed) > FAILED_TESTS_SHOWN:
            lines.append(f"      … e mais {len(failed) - FAILED_TESTS_SHOWN} teste(s) com falha (todos na página do serviço)")
    return "\n".join(lines)


def number(value) -> str:
    return "–" if value is None else f"{value:g}".replace(".", ",")
