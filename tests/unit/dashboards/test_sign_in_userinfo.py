"""ProConnect's userinfo answers a JWT signed with the issuer's keys: the dashboards verify its
signature, issuer and audience before reading a claim. An OIDC issuer's three endpoints
(discovery, JWKS, userinfo) are served here on 127.0.0.1, as ProConnect answers them."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from vigie.dashboards import sign_in

KEY = RSAKey.generate_key(2048, parameters={"kid": "issuer-key"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "issuer-key"})
CLIENT_ID = "vigie-dashboards"


class Issuer(BaseHTTPRequestHandler):
    answer: tuple[str, bytes] = ("application/json", b"{}")

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):  # noqa: N802 (http.server's name)
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path.endswith("/openid-configuration"):
            kind, body = (
                "application/json",
                json.dumps(
                    {
                        "issuer": base,
                        "jwks_uri": f"{base}/jwks",
                        "userinfo_endpoint": f"{base}/userinfo",
                    }
                ).encode(),
            )
        elif self.path == "/jwks":
            kind, body = "application/json", json.dumps({"keys": [KEY.as_dict(private=False)]})
            body = body.encode()
        elif self.path == "/userinfo":
            assert self.headers["Authorization"] == "Bearer the-access-token"
            kind, body = type(self).answer
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def issuer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Issuer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    sign_in.provider_metadata.clear()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def _answer(issuer: str, *, key=KEY, iss: str | None = None, aud: str = CLIENT_ID) -> None:
    claims = {
        "sub": "agent-1",
        "email": "agent@ville.fr",
        "siret": "21750001600019",
        "iss": iss or issuer,
        "aud": aud,
        "iat": int(time.time()),
    }
    Issuer.answer = (
        "application/jwt",
        jwt.encode({"alg": "RS256", "kid": "issuer-key"}, claims, key).encode(),
    )


def _auth(issuer: str) -> dict:
    return {
        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
        "client_id": CLIENT_ID,
    }


def test_a_signed_userinfo_jwt_gives_its_claims(issuer):
    _answer(issuer)
    claims = sign_in.verified_userinfo(_auth(issuer), "the-access-token")
    assert (claims["email"], claims["siret"], claims["sub"]) == (
        "agent@ville.fr",
        "21750001600019",
        "agent-1",
    )


@pytest.mark.parametrize(
    "change",
    [{"key": OTHER_KEY}, {"aud": "another-service"}, {"iss": "https://elsewhere.example"}],
    ids=["not signed by the issuer", "for another client", "from another issuer"],
)
def test_a_userinfo_jwt_that_does_not_verify_is_refused(issuer, change):
    _answer(issuer, **change)
    with pytest.raises(sign_in.IdentityError):
        sign_in.verified_userinfo(_auth(issuer), "the-access-token")


def test_a_plain_json_userinfo_is_read_as_it_is(issuer):
    Issuer.answer = ("application/json", b'{"sub": "s", "email": "x@y.fr"}')
    assert sign_in.verified_userinfo(_auth(issuer), "the-access-token") == {
        "sub": "s",
        "email": "x@y.fr",
    }
