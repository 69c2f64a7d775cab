"""Small helpers shared by tests."""

from __future__ import annotations

import socket

from vigie.platform.identifiers import luhn_ok

# A short history keeps the session-wide demo fast; the full demo defaults run in CI through
# tests/integration/test_demo.py::test_demo_defaults_cover_two_years.
SESSION_DEMO_ARGS = ["--from", "2019-10-01", "--to", "2020-03-31", "--scale", "0.0001"]


def siret(n: int) -> str:
    """A valid (Luhn) SIRET built from ``n``: 13 digits plus the check digit."""
    base = f"{n:013d}"
    return next(base + d for d in "0123456789" if luhn_ok(base + d))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: the ``[auth]`` section AppTest gives the dashboards (no provider is called: the tests seed
#: ``st.user`` as Streamlit does after a sign-in; tests/e2e go through a real provider)
APPTEST_AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "apptest-cookie-secret-0123456789",
    "client_id": "vigie-dashboards",
    "client_secret": "apptest",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def signed_in(app, email: str, *, issued_hours_ago: float = 0.0):
    """``app`` (AppTest) as the person ``email`` signed in ``issued_hours_ago`` ago."""
    import time

    app.secrets["auth"] = dict(APPTEST_AUTH)
    app.user = {
        "is_logged_in": True,
        "sub": f"sub-{email}",
        "email": email,
        "iat": int(time.time() - issued_hours_ago * 3600),
    }
    return app


def grant(settings, email: str, role: str, *sirets: str) -> None:
    """Grant ``role`` to ``email`` in the home of ``settings`` (idempotent)."""
    from vigie.platform import access
    from vigie.platform.store import Store

    store = Store(settings.platform_db_path)
    try:
        access.grant(store, role=role, by="tests", email=email, structure_sirets=sirets)
    finally:
        store.close()


def table_with(app, *columns: str):
    """The first table (``st.dataframe``) of ``app`` that has all of ``columns``: a page's
    tables, charts' data included, found by what they show rather than by position."""
    for table in app.dataframe:
        if set(columns) <= set(table.value.columns):
            return table
    shown = [list(t.value.columns) for t in app.dataframe]
    raise AssertionError(f"no table with {columns}: {shown}")


def debian_program_or_skip(path, *, package: str, variable: str, needed_for: str):
    """``path`` (a program Debian's ``package`` installs, ``variable`` overrides it) if it is
    there; otherwise the test is skipped with the advice to install it, and fails under CI
    (``.ci/run`` installs it, so CI never skips what a person would see)."""
    import os

    import pytest

    if path.exists():
        return path
    message = (
        f"{path} is missing: `sudo apt-get install {package}`, or set {variable} to the program"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must {needed_for}: {message}")
    pytest.skip(message)


class Downloads:
    """The bytes behind each download button of an AppTest run, by the button's URL.

    AppTest keeps a download's data in a media-file store it drops after the run; this
    records what the page handed to it."""

    def __init__(self, monkeypatch) -> None:
        from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

        self.data: dict[str, bytes] = {}
        self.names: dict[str, str | None] = {}
        original = MemoryMediaFileStorage.load_and_get_id

        def recording(storage, path_or_data, mimetype, kind, filename=None):
            file_id = original(storage, path_or_data, mimetype, kind, filename)
            if isinstance(path_or_data, bytes):
                self.data[file_id] = path_or_data
                self.names[file_id] = filename
            return file_id

        monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)

    def of(self, button) -> tuple[bytes, str | None]:
        """The data and file name of an AppTest download button
        (``app.get("download_button")[i]``)."""
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        return self.data[file_id], self.names[file_id]
