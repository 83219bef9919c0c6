"""`dlgrade serve`'s HTTP side, on tornado: the JSON API of the contract, the student's page and
the instructor's /admin.

Tornado because it is already here (Jupyter's server, nbgrader's formgrader and JupyterHub's
services all run on it, so `--hub` uses JupyterHub's own HubAuth mixins), it streams request
bodies (a 200 MB upload is refused with 413 without being held in memory) and it ships signed
cookies and XSRF protection for the page's forms.

Every handler reads and writes the store synchronously on the IOLoop: the checks of a submission
(its student's daily limit) and its insert run with no other request in between, so two uploads
at once cannot both take the last attempt. A submission is committed before the 202 is written.
"""
from __future__ import annotations

import functools
import json
import logging
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jinja2
import tornado.web
from sqlalchemy.exc import SQLAlchemyError
from tornado import httputil

from autograder.service.policy import WINDOW, GradingService, PolicyError, policy_for
from autograder.service.store import FAILED, GRADED, GRADING, QUEUED, ServiceStore, StoreUnavailable
from autograder.service.waiters import MAX_WAIT_SECONDS, Waiters

log = logging.getLogger("dlgrade.serve")
TEMPLATES = Path(__file__).resolve().parent / "templates"
STUDENT_COOKIE = "dlgrade_aluno"
ADMIN_COOKIE = "dlgrade_admin"
STORE_DOWN = ("O serviço de correção não consegue guardar nem ler envios agora (o disco ou o banco de dados do "
              "servidor está cheio ou fora do ar). Nada foi registrado nem contado: tente de novo em alguns minutos "
              "e, se continuar, avise o professor.")
DISCARD_UP_TO = 512 << 20  # a larger body than the limit is read and dropped up to this, so the client sees the 413

STATUS_MESSAGES = {
    QUEUED: "Na fila: a correção começa assim que houver um corretor livre.",
    GRADING: "Corrigindo: o notebook roda no corretor oficial.",
}


class Refusal(Exception):
    """An HTTP refusal with its Portuguese message (``{"error": message}``)."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def local_time(moment: datetime) -> str:
    """A moment as students read it: in the deadline's own zone when it has one."""
    return moment.strftime("%d/%m/%Y às %H:%M") + (f" ({moment.strftime('%z')[:3]}h)" if moment.utcoffset() else " (UTC)")


@functools.lru_cache(maxsize=None)
def grade_ids_of(assignment: str) -> frozenset[str]:
    from autograder.authoring.builder import build_source_notebook

    return frozenset(exercise_ids(build_source_notebook(assignment).cells))


def exercise_ids(cells) -> set[str]:
    """The grade ids of a notebook's exercise cells (solution and grade cells: not the shared prose)."""
    ids = set()
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if isinstance(meta, dict) and (meta.get("grade") or meta.get("solution")) and meta.get("grade_id"):
            ids.add(str(meta["grade_id"]))
    return ids


class Service:
    """What the handlers share: the course, its store, its settings and the grading loop."""

    def __init__(self, course: Path, store: ServiceStore, dispatcher=None, hub=None, prefix: str = "/"):
        from autograder.authoring.builder import assignment_ids
        from autograder.course.folder import course_config
        from autograder.course.gradebook import gradebook_url

        self.course = Path(course).resolve()
        self.store, self.dispatcher, self.hub = store, dispatcher, hub  # hub: a HubUsers with --hub
        self.waiters = Waiters()  # long polls for verdicts; the grading loop wakes them
        self.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        self.settings = GradingService(config=course_config(self.course))
        known = set(assignment_ids())
        self.assignments = sorted(p.name for p in (self.course / "source").iterdir()
                                  if p.is_dir() and p.name in known) if (self.course / "source").is_dir() else []
        self.policies = {a: policy_for(self.settings, a) for a in self.assignments}  # PolicyError at start
        self.gradebook_url, _ = gradebook_url(self.course)
        self._gradebook = None
        self._gradebook_ready = False  # its tables exist (checked until they do)
        self.jinja = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                        undefined=jinja2.StrictUndefined)

    def in_gradebook(self, student: str) -> bool:
        """Whether ``student`` is still one of the course's students (a removed one keeps no access).
        A gradebook server out of reach raises (SQLAlchemyError: a 503), it does not refuse the student."""
        from sqlalchemy import create_engine, inspect, text

        sqlite = self.gradebook_url.startswith("sqlite")
        if sqlite and not Path(self.gradebook_url.removeprefix("sqlite:///")).is_file():
            return False  # no gradebook yet (tokens were issued from one): refused, and no empty file made
        if self._gradebook is None:
            self._gradebook = create_engine(self.gradebook_url, pool_pre_ping=not sqlite)
        with self._gradebook.connect() as connection:
            if not self._gradebook_ready:
                if not inspect(connection).has_table("student"):
                    return False
                self._gradebook_ready = True
            return connection.execute(text("select 1 from student where id = :id"), {"id": student}).first() is not None

    def remaining_today(self, student: str, assignment: str, now: datetime) -> tuple[int, list[datetime]]:
        policy = self.policies[assignment]
        times = self.store.submitted_since(student, assignment, now - WINDOW)
        return max(policy.submissions_per_day - len(times), 0), times

    def public(self, row) -> dict:
        return public_submission(row, self.policies.get(row.assignment))


def public_submission(row, policy) -> dict:
    """A submission as its student may see it: ``cells[*].tests`` only where the policy shows
    each test before the deadline (``feedback_before_deadline = "tests"``); never test code."""
    show_tests = policy is None or policy.feedback_before_deadline == "tests"
    cells = {}
    for grade_id, cell in (row.report or {}).get("cells", {}).items():
        tests = [{"name": t["name"], "passed": t["passed"], "message": t["message"]} for t in cell["tests"]]
        cells[grade_id] = {"score": cell["score"], "max_score": cell["max_score"], "tests": tests if show_tests else []}
    if row.status == GRADED:
        message = f"Corrigida: nota {number(row.score)} de {number(row.max_score)}."
    elif row.status == FAILED:
        message = row.message or "Não foi possível corrigir esta submissão."
    else:
        message = STATUS_MESSAGES[row.status]
    return {"id": row.id, "assignment": row.assignment, "student": row.student_id, "status": row.status,
            "submitted_at": row.submitted_at.isoformat(), "score": row.score, "max_score": row.max_score,
            "cells": cells, "message": message, "feedback_page": bool(show_tests and row.status == GRADED)}


class BaseHandler(tornado.web.RequestHandler):
    service: Service

    def initialize(self, service: Service):
        self.service = service

    def set_default_headers(self):
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")  # a ?token= link never leaks onward
        self.set_header("X-Frame-Options", "DENY")

    def header_token(self) -> str | None:
        value = self.request.headers.get("Authorization", "")
        scheme, _, token = value.partition(" ")
        return token.strip() if scheme.lower() in ("token", "bearer") and token.strip() else None

    def is_api(self) -> bool:
        return self.request.path.startswith(self.service.prefix + "api/")

    def check_xsrf_cookie(self):
        if self.header_token():  # a header a page of another site cannot set: no XSRF possible
            return
        super().check_xsrf_cookie()

    def student_for_token(self, token: str) -> str | None:
        """The student of a course token; with --hub also the user of a Hub token that may reach the service."""
        student = self.service.store.student_for(token)
        if student is not None:
            return student if self.service.in_gradebook(student) else None
        if self.service.hub is not None:
            model = self.service.hub.user_for_token(token)
            return model["name"] if model else None
        return None

    def get_current_user(self) -> str | None:
        token = self.header_token()
        if token:
            return self.student_for_token(token)
        cookie = self.get_signed_cookie(STUDENT_COOKIE, max_age_days=30)
        if cookie and self.service.in_gradebook(cookie.decode()):
            return cookie.decode()
        if self.service.hub is not None:
            model = self.service.hub.user_of_browser(self)
            return model["name"] if model else None
        return None

    def has_session_cookie(self) -> bool:
        """Whether the browser sent a cookie that signs it in (the only way a foreign page could act for it)."""
        hub_cookie = self.service.hub.auth.cookie_name if self.service.hub is not None else None
        return bool(self.get_cookie(STUDENT_COOKIE) or (hub_cookie and self.get_cookie(hub_cookie)))

    def refuse(self, refusal: Refusal):
        self.set_status(refusal.status)
        for name, value in refusal.headers.items():
            self.set_header(name, value)
        self.write_json({"error": refusal.message})

    def write_json(self, value, status: int | None = None):
        if status:
            self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(value, ensure_ascii=False))

    def log_exception(self, kind, value, traceback):
        if isinstance(value, SQLAlchemyError):  # one line per request while the database is away, not a traceback
            log.warning("%s %s: 503, the database is out of reach (%s)", self.request.method, self.request.path,
                        str(value).splitlines()[0])
            return
        super().log_exception(kind, value, traceback)

    def write_error(self, status_code, **kwargs):
        error = kwargs.get("exc_info", (None, None))[1]
        if isinstance(error, SQLAlchemyError):  # the database is unreachable (a server down): nothing was done
            self.set_status(503)
            self.set_header("Retry-After", "60")
            if self.is_api():
                return self.write_json({"error": STORE_DOWN})
            return self.finish(self.render_page("error.html.j2", status=503, message=STORE_DOWN))
        messages = {400: "pedido inválido", 401: "token ausente ou inválido", 403: "acesso negado (recarregue a página)",
                    404: "não encontrado", 405: "método não permitido", 413: "arquivo grande demais"}
        message = messages.get(status_code, "erro interno do serviço de correção; tente de novo em instantes")
        if self.is_api():
            self.write_json({"error": message})
        else:
            self.finish(self.render_page("error.html.j2", status=status_code, message=message))

    def render_page(self, name: str, **values) -> str:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        return self.service.jinja.get_template(name).render(xsrf_token=self.xsrf_token.decode(), **values)

    def require_student(self) -> str:
        student = self.current_user
        if not student:
            raise Refusal(401, "Token ausente ou inválido: use o token (ou o link) que o professor enviou a você.")
        return student


@tornado.web.stream_request_body
class SubmissionsHandler(BaseHandler):
    """``POST /api/submissions`` (multipart) and ``GET /api/submissions?assignment=``."""

    def check_xsrf_cookie(self):
        if not self.has_session_cookie():
            return  # no session a foreign page could ride on: the request gets its 401 (or uses its header)
        super().check_xsrf_cookie()

    def prepare(self):
        self.body_parts, self.body_size, self.too_large = [], 0, False
        if self.request.method != "POST":
            return
        self.limit = int(self.service.settings.max_upload_mib * (1 << 20))
        try:
            self.student = self.require_student()
        except Refusal as refusal:
            return self.refuse(refusal)
        length = int(self.request.headers.get("Content-Length", "0") or 0)
        if length > self.limit:
            self.too_large = True
            if length > DISCARD_UP_TO:
                return self.refuse(self.too_large_refusal())
        self.request.connection.set_max_body_size(DISCARD_UP_TO)

    def data_received(self, chunk: bytes):
        self.body_size += len(chunk)
        if self.body_size > self.limit:
            self.too_large, self.body_parts = True, []
        elif not self.too_large:
            self.body_parts.append(chunk)

    def too_large_refusal(self) -> Refusal:
        return Refusal(413, f"Envio grande demais: o limite é de {number(self.service.settings.max_upload_mib)} MiB "
                            "(o notebook com os arquivos entregues). Limpe as saídas grandes (Kernel > Restart & "
                            "Clear Output) e envie de novo.")

    def post(self):
        try:
            if self.too_large:
                raise self.too_large_refusal()
            self.write_json(self.accept(), status=202)
        except Refusal as refusal:
            self.refuse(refusal)

    def accept(self) -> dict:
        service, now = self.service, datetime.now(timezone.utc)
        arguments, files = {}, {}
        content_type = self.request.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            raise Refusal(400, "Envie um formulário multipart com os campos 'assignment' e 'notebook' "
                               "(o arquivo .ipynb).")
        httputil.parse_body_arguments(content_type, b"".join(self.body_parts), arguments, files, self.request.headers)
        assignment = (arguments.get("assignment") or [b""])[0].decode("utf-8", "replace").strip()
        if assignment not in service.policies:
            raise Refusal(400, f"Tarefa desconhecida: {assignment!r}. As tarefas abertas são: "
                               f"{', '.join(service.assignments) or 'nenhuma'}.")
        policy = service.policies[assignment]
        if policy.closed(now):
            raise Refusal(400, f"O prazo de {assignment} terminou em {local_time(policy.deadline)}: "
                               "não há mais envios para esta tarefa.")
        notebook = self.notebook_bytes(files.get("notebook"), assignment)
        handed_in = self.handed_in(files.get("files", []), assignment)
        remaining, times = service.remaining_today(self.student, assignment, now)
        if remaining <= 0:
            next_try = times[len(times) - policy.submissions_per_day] + WINDOW
            wait = max(1, math.ceil((next_try - now).total_seconds()))
            shown = next_try.astimezone(policy.deadline.tzinfo if policy.deadline else timezone.utc)
            raise Refusal(429, f"Você já fez {policy.submissions_per_day} envios de {assignment} nas últimas 24 horas. "
                               f"O próximo envio é possível em {local_time(shown)}.",
                          {"Retry-After": str(wait)})
        try:
            row = service.store.add_submission(self.student, assignment, notebook, handed_in, now)
        except StoreUnavailable as error:
            raise Refusal(503, STORE_DOWN, {"Retry-After": "60"}) from error
        if service.dispatcher is not None:
            service.dispatcher.wake.set()
        return {"id": row.id, "status": QUEUED, "remaining_today": remaining - 1}

    def notebook_bytes(self, uploads, assignment: str) -> bytes:
        import nbformat

        if not uploads:
            raise Refusal(400, "Falta o arquivo do notebook (campo 'notebook').")
        content = uploads[0]["body"]
        if not content.strip():
            raise Refusal(400, "O arquivo enviado está vazio: salve o notebook (Ctrl-S) e envie de novo.")
        try:
            nb = nbformat.reads(content.decode("utf-8"), as_version=4)
        except Exception:  # noqa: BLE001 - nbformat raises many kinds for what is not a notebook
            raise Refusal(400, "O arquivo enviado não é um notebook Jupyter (.ipynb) legível. Envie o notebook "
                               f"{assignment}.ipynb que você baixou e preencheu.") from None
        ids = exercise_ids(nb.cells)
        if not ids & grade_ids_of(assignment):
            other = next((a for a in self.service.assignments if ids & grade_ids_of(a)), None)
            if other:
                raise Refusal(400, f"Este notebook é da tarefa {other}, não de {assignment}: "
                                   "escolha a tarefa certa ou envie o notebook certo.")
            raise Refusal(400, f"Este notebook não tem as células do nbgrader de {assignment}: envie o notebook "
                               "que você baixou do curso, preenchido (não uma cópia feita à mão).")
        return content

    def handed_in(self, uploads, assignment: str) -> dict[str, bytes]:
        """The handed-in files, only under the names the profile expects (no request path ever
        reaches the file system)."""
        from autograder.authoring.profiles import load_profile
        from autograder.grading.submission import MAX_ATTACHMENT_BYTES

        expected = load_profile(assignment).handed_in
        kept = {}
        for upload in uploads:
            name = upload.get("filename") or ""
            if name not in expected:
                allowed = ", ".join(expected) if expected else "nenhum (só o notebook)"
                raise Refusal(400, f"Arquivo não esperado: {name[:80]!r}. Arquivos que {assignment} recebe além do "
                                   f"notebook: {allowed}.")
            if len(upload["body"]) > MAX_ATTACHMENT_BYTES:
                raise self.too_large_refusal()
            kept[name] = upload["body"]
        return kept

    def get(self):
        try:
            student = self.require_student()
        except Refusal as refusal:
            return self.refuse(refusal)
        assignment = self.get_query_argument("assignment", None)
        rows = self.service.store.submissions_of(student, assignment)
        self.write_json({"submissions": [self.service.public(r) for r in rows]})


class SubmissionHandler(BaseHandler):
    """``GET /api/submissions/<id>``: the caller's own submission, 404 for any other. With
    ``?wait=S`` (up to 30 s) an unfinished one answers when its verdict is stored or S runs out."""

    async def get(self, submission_id: str):
        try:
            student = self.require_student()
            wait = self.wait_seconds()
            row = self.own(student, submission_id)
        except Refusal as refusal:
            return self.refuse(refusal)
        if wait > 0 and row.status in (QUEUED, GRADING):
            waiters = self.service.waiters
            future = waiters.register(submission_id)
            row = self.own(student, submission_id)  # read after registering: no verdict slips between
            if row.status in (QUEUED, GRADING):
                await waiters.wait(submission_id, future, wait)
                row = self.own(student, submission_id)
            else:
                waiters.forget(submission_id, future)
        self.write_json(self.service.public(row))

    def own(self, student: str, submission_id: str):
        row = self.service.store.submission(submission_id)
        if row is None or row.student_id != student:
            raise Refusal(404, "Envio não encontrado (ou não é seu).")
        return row

    def wait_seconds(self) -> float:
        raw = self.get_query_argument("wait", "0")
        try:
            seconds = float(raw)
        except ValueError:
            raise Refusal(400, f"O parâmetro wait deve ser um número de segundos (até {MAX_WAIT_SECONDS:g}).") from None
        return min(max(seconds, 0.0), MAX_WAIT_SECONDS) if math.isfinite(seconds) else 0.0


class AssignmentsHandler(BaseHandler):
    """``GET /api/assignments``: what the caller may submit, with the attempts left today."""

    def get(self):
        try:
            student = self.require_student()
        except Refusal as refusal:
            return self.refuse(refusal)
        self.write_json({"student": student, "assignments": self.service_assignments(student)})

    def service_assignments(self, student: str) -> list[dict]:
        from autograder.authoring.profiles import load_profile

        now = datetime.now(timezone.utc)
        listed = []
        for assignment, policy in self.service.policies.items():
            remaining, _ = self.service.remaining_today(student, assignment, now)
            listed.append({"id": assignment, "deadline": policy.deadline.isoformat() if policy.deadline else None,
                           "closed": policy.closed(now), "remaining_today": remaining,
                           "submissions_per_day": policy.submissions_per_day,
                           "feedback_before_deadline": policy.feedback_before_deadline,
                           "handed_in": list(load_profile(assignment).handed_in)})
        return listed


class FeedbackHandler(BaseHandler):
    """``GET /envios/<id>/devolutiva``: the feedback page of the caller's graded submission."""

    def get(self, submission_id: str):
        from autograder.grading.result_cache import ResultCache
        from autograder.service.feedback_page import CONTENT_SECURITY_POLICY, feedback_html

        student = self.current_user
        if not student:
            return self.redirect(self.service.prefix)
        row = self.service.store.submission(submission_id)
        public = self.service.public(row) if row is not None and row.student_id == student else None
        if public is None or not public["feedback_page"]:
            raise tornado.web.HTTPError(404)
        notebook, _ = self.service.store.content(row.id)
        executed = ResultCache(self.service.course, row.assignment).get(row.execution_key) if row.execution_key else None
        self.set_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(feedback_html(notebook, row.assignment, row.report, executed))


class PageHandler(BaseHandler):
    """``GET /``: the student's page; ``/?token=`` (the personal link) signs in and drops the token from the URL."""

    def get(self):
        token = self.get_query_argument("token", None)
        if token:
            student = self.student_for_token(token)
            if student:
                self.set_signed_cookie(STUDENT_COOKIE, student, expires_days=30, httponly=True, samesite="Lax",
                                        path=self.service.prefix)
                return self.redirect(self.service.prefix)
            return self.finish(self.render_page("login.html.j2", problem="Este link ou token não vale (foi trocado? "
                                                "peça um novo ao professor)."))
        student = self.current_user
        if not student and self.service.hub is not None:
            return self.redirect(self.service.hub.login_url(self))
        if not student:
            return self.finish(self.render_page("login.html.j2", problem=None))
        self.finish(self.render_page("page.html.j2", student=student))

    def post(self):  # the sign-in form (XSRF-checked by tornado)
        student = self.student_for_token(self.get_body_argument("token", "").strip())
        if not student:
            return self.finish(self.render_page("login.html.j2", problem="Token inválido: confira o que o professor enviou."))
        self.set_signed_cookie(STUDENT_COOKIE, student, expires_days=30, httponly=True, samesite="Lax",
                                        path=self.service.prefix)
        self.redirect(self.service.prefix)


class LogoutHandler(BaseHandler):
    def post(self):
        self.clear_cookie(STUDENT_COOKIE, path=self.service.prefix)
        self.redirect(self.service.prefix)


class AdminHandler(BaseHandler):
    """``/admin`` (and ``/api/admin``, the same numbers as JSON): for the course's instructors."""

    def is_admin(self) -> bool:
        import hmac

        secret = self.service.settings.admin_token
        token = self.header_token() or self.get_query_argument("token", None)
        if secret and token and hmac.compare_digest(token, secret):
            if self.get_query_argument("token", None):
                self.set_signed_cookie(ADMIN_COOKIE, "1", expires_days=1, httponly=True, samesite="Strict",
                                        path=self.service.prefix)
            return True
        if secret and self.get_signed_cookie(ADMIN_COOKIE, max_age_days=1) == b"1":
            return True
        if self.service.hub is not None:
            token = self.header_token()
            return self.service.hub.is_admin(self.service.hub.user_for_token(token) if token
                                             else self.service.hub.user_of_browser(self))
        return False

    def get(self):
        if not self.is_admin():
            if self.is_api():
                return self.refuse(Refusal(401, "Somente para os professores do curso (token de administração)."))
            raise tornado.web.HTTPError(401)
        numbers = admin_numbers(self.service)
        if self.is_api():
            return self.write_json(numbers)
        self.finish(self.render_page("admin.html.j2", numbers=numbers))


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def admin_numbers(service: Service) -> dict:
    now = datetime.now(timezone.utc)
    counts = service.store.status_counts()
    finished = service.store.finished_since(now - timedelta(hours=24))
    waits = [(b - a).total_seconds() for a, b in finished]
    last = service.store.submissions_of(limit=20)
    return {"queued": counts.get(QUEUED, 0), "grading": counts.get(GRADING, 0), "graded": counts.get(GRADED, 0),
            "failed": counts.get(FAILED, 0),
            "graded_last_hour": sum(1 for _, b in finished if b > now - timedelta(hours=1)),
            "time_to_verdict_s": {"p50": percentile(waits, 0.5), "p95": percentile(waits, 0.95), "count": len(waits)},
            "last_submissions": [{"id": r.id, "student": r.student_id, "assignment": r.assignment,
                                  "submitted_at": r.submitted_at.isoformat(), "status": r.status, "score": r.score,
                                  "max_score": r.max_score} for r in last]}


def make_app(service: Service) -> tornado.web.Application:
    routes = [
        (r"", PageHandler), (r"sair", LogoutHandler),
        (r"api/submissions", SubmissionsHandler), (r"api/submissions/([0-9a-f]{32})", SubmissionHandler),
        (r"api/assignments", AssignmentsHandler), (r"envios/([0-9a-f]{32})/devolutiva", FeedbackHandler),
        (r"admin", AdminHandler), (r"api/admin", AdminHandler),
    ]
    handlers = [(service.prefix + path, handler, {"service": service}) for path, handler in routes]
    if service.hub is not None:
        handlers.append(service.hub.callback_route())  # the end of the Hub's OAuth login
    return tornado.web.Application(
        handlers, cookie_secret=service.store.secret("cookie"), xsrf_cookies=True,
        xsrf_cookie_kwargs={"samesite": "Strict", "httponly": False, "path": service.prefix},
        default_handler_class=NotFoundHandler, default_handler_args={"service": service})


class NotFoundHandler(BaseHandler):
    def prepare(self):
        raise tornado.web.HTTPError(404)


__all__ = ["PolicyError", "Service", "make_app"]
