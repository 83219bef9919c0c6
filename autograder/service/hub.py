"""`dlgrade serve --hub`: the service as a JupyterHub service, its students the Hub's users.

JupyterHub's own client (``jupyterhub.services.auth.HubOAuth``) does the work: it asks the Hub
who a token belongs to (a notebook's ``$JUPYTERHUB_API_TOKEN``, or the token of the browser's
OAuth cookie) and runs the OAuth login of the page. The Hub starts the service with everything in
the environment (``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_SERVICE_PREFIX``, ``JUPYTERHUB_SERVICE_URL``,
``JUPYTERHUB_OAUTH_CALLBACK_URL``…); a token identifies a user only when its scopes allow access
to this service (``access:services!service=<name>``), as for any Hub service.
"""
from __future__ import annotations

import os
from urllib.parse import urlparse

from autograder.course.folder import CourseError

ENVIRONMENT = ("JUPYTERHUB_API_TOKEN", "JUPYTERHUB_API_URL", "JUPYTERHUB_SERVICE_PREFIX", "JUPYTERHUB_CLIENT_ID")


class HubUsers:
    """Who a request comes from, asked of the Hub (cached for a minute by HubOAuth)."""

    def __init__(self, admin_group: str = "instructors"):
        from jupyterhub.services.auth import HubOAuth

        self.auth = HubOAuth.instance(cache_max_age=60)  # the instance HubOAuthCallbackHandler uses too
        self.admin_group = admin_group
        self.prefix = "/" + os.environ["JUPYTERHUB_SERVICE_PREFIX"].strip("/") + "/"

    def user_for_token(self, token: str) -> dict | None:
        """The Hub's model of the token's user when the token may reach this service; None otherwise."""
        from jupyterhub.services.auth import check_scopes

        model = self.auth.user_for_token(token, sync=True)
        if not model or model.get("kind", "user") != "user":
            return None
        if self.auth.access_scopes and not check_scopes(self.auth.access_scopes, set(model.get("scopes", []))):
            return None
        return model

    def user_of_browser(self, handler) -> dict | None:
        """The user of the OAuth cookie the login left in this browser."""
        token = handler.get_signed_cookie(self.auth.cookie_name)
        return self.user_for_token(token.decode()) if token else None

    def is_admin(self, model: dict | None) -> bool:
        return bool(model) and (bool(model.get("admin")) or self.admin_group in (model.get("groups") or []))

    def login_url(self, handler) -> str:
        """The Hub's OAuth page, with a state that brings the browser back to where it was."""
        from tornado.httputil import url_concat

        params, verifier = {}, None
        if self.auth.pkce_enabled:
            verifier, params["code_challenge"], params["code_challenge_method"] = self.auth.generate_pkce_code_challenge()
        params["state"] = self.auth.set_state_cookie(handler, next_url=handler.request.uri, code_verifier=verifier)
        return url_concat(self.auth.login_url, params)

    def callback_route(self) -> tuple[str, type]:
        from jupyterhub.services.auth import HubOAuthCallbackHandler

        return urlparse(self.auth.oauth_redirect_uri).path, HubOAuthCallbackHandler


def hub_users_from_environment(admin_group: str) -> HubUsers:
    """The Hub's client, from the environment the Hub gives a service it starts (CourseError without it)."""
    missing = [name for name in ENVIRONMENT if not os.environ.get(name)]
    if missing:
        raise CourseError("--hub runs as a service of JupyterHub, which sets " + ", ".join(missing) +
                          "; add dlgrade to c.JupyterHub.services (see docs/serve.md)")
    try:
        import jupyterhub.services.auth  # noqa: F401
    except ImportError:
        raise CourseError("--hub needs JupyterHub's Python package: pip install 'dlgrade[hub]'") from None
    return HubUsers(admin_group)


def service_address() -> tuple[str, int] | None:
    """Host and port of ``$JUPYTERHUB_SERVICE_URL`` (where the Hub's proxy sends this service's requests)."""
    url = os.environ.get("JUPYTERHUB_SERVICE_URL")
    if not url:
        return None
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or (443 if parsed.scheme == "https" else 80)
