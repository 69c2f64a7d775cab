"""A real OIDC provider on 127.0.0.1 for the demo and the tests (``oidc-provider-mock``).

``vigie serve`` starts it beside the API, Dagster and the dashboards when no production
provider is configured. Its sign-in form offers one button per person who holds a grant in
``dashboard_access`` by e-mail (the demo's users), and takes any other subject typed in.
It signs real ID tokens (RS256, its own keys) and answers the userinfo endpoint, so the
dashboards go through the same code flow as with ProConnect.

Its pages are served without the CDN stylesheet of the package's own template (the machine
is offline) and without the Werkzeug debugger the package turns on.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

#: the provider's page frame (the package's own links a CDN stylesheet)
TEMPLATES = Path(__file__).with_name("dev_provider_templates")


def users_from_grants(db_path: Path) -> list:
    """One provider user per e-mail holding a grant in force, with its name if known."""
    from oidc_provider_mock import User

    from vigie.platform import access
    from vigie.platform.store import Store

    store = Store(db_path)
    try:
        emails = sorted(
            {g["principal"] for g in access.grants(store) if g["principal_kind"] == "email"}
        )
    finally:
        store.close()
    return [
        User(sub=e, claims={"email": e, "email_verified": True, "name": e.split("@")[0]})
        for e in emails
    ]


def make_app(users: list):
    import flask
    import jinja2
    import oidc_provider_mock
    from oidc_provider_mock import init_app

    app = flask.Flask("vigie-dev-provider")
    # our frame first, then the package's forms (which extend it)
    app.jinja_loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(str(TEMPLATES)),
            jinja2.FileSystemLoader(str(Path(oidc_provider_mock.__file__).parent / "templates")),
        ]
    )
    init_app(app, user_claims=users, require_nonce=False)
    app.debug = False
    inner = app.wsgi_app
    app.wsgi_app = getattr(inner, "app", inner)  # no interactive debugger on the port
    app.secret_key = secrets.token_bytes(16)
    return app


def main(argv: list[str] | None = None) -> None:
    import werkzeug.serving

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9400)
    parser.add_argument("--db", type=Path, required=True, help="the platform store (grants)")
    args = parser.parse_args(argv)
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on 127.0.0.1 only
    app = make_app(users_from_grants(args.db))
    server = werkzeug.serving.make_server(args.host, args.port, app, threaded=True)
    print(f"OIDC provider for the demo on http://{args.host}:{args.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
