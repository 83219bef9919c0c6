"""`dlgrade serve --hub` outside a JupyterHub: a clear refusal naming what the Hub would have set."""
import pytest

from autograder.course.folder import CourseError
from autograder.service.hub import ENVIRONMENT, hub_users_from_environment, service_address


def test_without_the_hubs_environment_hub_mode_says_what_is_missing(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "x")
    with pytest.raises(CourseError, match="JUPYTERHUB_API_URL.*c.JupyterHub.services") as raised:
        hub_users_from_environment("instructors")
    assert "JUPYTERHUB_API_TOKEN" not in str(raised.value)


def test_the_service_listens_where_the_hubs_proxy_sends_it(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_URL", raising=False)
    assert service_address() is None
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101/")
    assert service_address() == ("127.0.0.1", 10101)


def test_in_the_hubs_environment_the_prefix_and_the_oauth_callback_come_from_it(monkeypatch):
    pytest.importorskip("jupyterhub")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "segredo")
    monkeypatch.setenv("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api")
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/services/dlgrade/")
    monkeypatch.setenv("JUPYTERHUB_CLIENT_ID", "service-dlgrade")
    monkeypatch.setenv("JUPYTERHUB_OAUTH_CALLBACK_URL", "/services/dlgrade/oauth_callback")
    from jupyterhub.services.auth import HubOAuth

    HubOAuth.clear_instance()
    try:
        users = hub_users_from_environment("instructors")
        assert users.prefix == "/services/dlgrade/"
        assert users.callback_route()[0] == "/services/dlgrade/oauth_callback"
        assert users.is_admin({"name": "prof", "admin": False, "groups": ["instructors"]})
        assert users.is_admin({"name": "root", "admin": True, "groups": []})
        assert not users.is_admin({"name": "ana", "admin": False, "groups": ["alunos"]})
        assert not users.is_admin(None)
    finally:
        HubOAuth.clear_instance()
