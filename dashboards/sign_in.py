"""Sign-in: who the person is (their OIDC provider says), and what they may see (Vigie says).

Streamlit signs the person in (``st.login``, Authlib, OIDC code flow with PKCE) with the
provider of ``[auth]`` in the dashboards' secrets: the local provider of ``vigie serve``, or
ProConnect, or any OIDC issuer. Then, here:

1. the session is at most ``SESSION_HOURS`` old (from the ID token's ``iat``), else the
   person is signed out;
2. the identity is completed from the provider's userinfo endpoint, with the access token
   Streamlit exposes (``expose_tokens``): ProConnect's ID token carries only ``sub``, its
   userinfo answers a JWT signed with the issuer's keys, verified here (issuer, audience,
   signature) before any claim is used;
3. the e-mail and organisation SIRET are looked up in ``dashboard_access``
   (``vigie.platform.access``). Nobody without a grant in force sees anything but a
   message that says no more than "no access", whatever the reason.
"""

from __future__ import annotations

import json
import time
import urllib.request
from typing import Any

import streamlit as st

from vigie.platform import access as acl

SESSION_HOURS = 8
#: the claims of the identity Vigie reads (ProConnect: ``email``, ``siret``, names)
IDENTITY_CLAIMS = ("sub", "email", "siret", "name", "given_name", "usual_name")


class IdentityError(RuntimeError):
    """The provider's answer about the person cannot be trusted (logged, never shown)."""


def configured() -> bool:
    """Whether the dashboards have a sign-in provider (``[auth]`` in their secrets)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _get_json(url: str, headers: dict[str, str] | None = None) -> tuple[str, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured)
        return response.headers.get_content_type(), response.read()


@st.cache_data(ttl="1h", show_spinner=False)
def provider_metadata(url: str) -> dict[str, Any]:
    return json.loads(_get_json(url)[1])


def verified_userinfo(auth: dict[str, Any], access_token: str) -> dict[str, Any]:
    """The provider's userinfo for ``access_token``: JSON as it is, or a JWT (ProConnect)
    verified against the issuer's keys, issuer and audience."""
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    metadata = provider_metadata(auth["server_metadata_url"])
    kind, body = _get_json(
        metadata["userinfo_endpoint"], {"Authorization": f"Bearer {access_token}"}
    )
    if kind != "application/jwt":
        return json.loads(body)
    keys = KeySet.import_key_set(json.loads(_get_json(metadata["jwks_uri"])[1]))
    try:
        token = jwt.decode(body.decode("ascii").strip(), keys)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": auth["client_id"]},
        ).validate(token.claims)
    except (JoseError, ValueError) as err:
        raise IdentityError(f"userinfo JWT refused: {err}") from None
    return dict(token.claims)


def identity() -> dict[str, Any]:
    """The signed-in person's claims: the ID token's, completed by the userinfo endpoint
    where Streamlit exposes the access token (cached for the session)."""
    user = dict(st.user.to_dict()) if hasattr(st.user, "to_dict") else dict(st.user)
    key = (user.get("sub"), user.get("iat"))
    cached = st.session_state.get("vigie_identity")
    if cached and cached[0] == key:
        return cached[1]
    claims = {k: user[k] for k in IDENTITY_CLAIMS if user.get(k) is not None}
    tokens = getattr(st.user, "tokens", None) or {}
    access_token = tokens.get("access") if hasattr(tokens, "get") else None
    if access_token:
        info = verified_userinfo(dict(st.secrets["auth"]), access_token)
        if info.get("sub") not in (None, claims.get("sub")):
            raise IdentityError("userinfo is about another subject")
        claims.update({k: info[k] for k in IDENTITY_CLAIMS if info.get(k) is not None})
    st.session_state["vigie_identity"] = (key, claims)
    return claims


def session_expired() -> bool:
    issued = st.user.get("iat")
    return issued is not None and time.time() - float(issued) > SESSION_HOURS * 3600


def display_name(claims: dict[str, Any]) -> str:
    names = " ".join(str(claims[k]) for k in ("given_name", "usual_name") if claims.get(k))
    return claims.get("name") or names or claims.get("email") or str(claims.get("sub"))


def resolve(store, claims: dict[str, Any]) -> acl.Access | None:
    return acl.resolve(
        store,
        email=claims.get("email"),
        organisation_siret=claims.get("siret"),
        name=display_name(claims),
    )
