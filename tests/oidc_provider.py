"""A tiny OpenID Connect provider for tests (a stand-in for NemLog-in/MitID).

It serves discovery, JWKS, authorize (auto-approves and redirects back with a code),
token (an RS256-signed id_token made with joserfc, checking client secret, redirect_uri
and PKCE) and userinfo on 127.0.0.1 with a random port, in a background thread.

    provider = OIDCProvider().start()
    provider.login_as(sub="abc", cpr="0101801234")   # the person who "uses MitID" next
    ...
    provider.stop()
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CPR_CLAIM = "dk:gov:saml:attribute:CprNumberIdentifier"


class OIDCProvider:
    def __init__(self, client_id="samplan-test", client_secret="test-hemmelighed", cpr_claim=CPR_CLAIM):
        self.client_id, self.client_secret, self.cpr_claim = client_id, client_secret, cpr_claim
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})
        self.claims = {"sub": "ukendt"}
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def login_as(self, *, sub: str, cpr: str | None = None, **extra):
        claims = {"sub": sub, **extra}
        if cpr is not None:
            claims[self.cpr_claim] = cpr
        self.claims = claims

    def settings(self) -> dict:
        """The value for Django's SAMPLAN_OIDC setting."""
        return {
            "ISSUER": self.issuer,
            "CLIENT_ID": self.client_id,
            "CLIENT_SECRET": self.client_secret,
            "SCOPE": "openid",
            "CPR_CLAIM": self.cpr_claim,
            "ACR_VALUES": "",
            "REDIRECT_URI": "",
            "TOKEN_AUTH_METHOD": "client_secret_basic",
        }

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self, claims: dict, nonce: str) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "nonce": nonce,
        }
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, payload, self.key)


def _handler(provider: OIDCProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _json(self, data, status=200):
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlsplit(self.path)
            provider.requests.append(url.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                return self._json(provider.metadata())
            if url.path == "/jwks":
                return self._json({"keys": [provider.key.as_dict(private=False)]})
            if url.path == "/authorize":
                return self._authorize(query)
            if url.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                claims = provider.access_tokens.get(token)
                return self._json(claims) if claims else self._json({"error": "invalid_token"}, 401)
            return self._json({"error": "not_found"}, 404)

        def _authorize(self, query):
            if query.get("client_id") != provider.client_id or query.get("response_type") != "code":
                return self._json({"error": "invalid_request"}, 400)
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "redirect_uri": query.get("redirect_uri"),
                "nonce": query.get("nonce", ""),
                "challenge": query.get("code_challenge"),
                "method": query.get("code_challenge_method"),
                "claims": dict(provider.claims),
            }
            params = {"code": code}
            if "state" in query:
                params["state"] = query["state"]
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{urlencode(params)}")
            self.end_headers()

        def do_POST(self):
            url = urlsplit(self.path)
            provider.requests.append(url.path)
            if url.path != "/token":
                return self._json({"error": "not_found"}, 404)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                from urllib.parse import unquote

                client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
                client_id, client_secret = unquote(client_id), unquote(client_secret)
            if (client_id, client_secret) != (provider.client_id, provider.client_secret):
                return self._json({"error": "invalid_client"}, 401)
            grant = provider.codes.pop(form.get("code", ""), None)
            if form.get("grant_type") != "authorization_code" or grant is None:
                return self._json({"error": "invalid_grant"}, 400)
            if form.get("redirect_uri") != grant["redirect_uri"]:
                return self._json({"error": "invalid_grant", "error_description": "redirect_uri"}, 400)
            if grant["challenge"]:
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                    return self._json({"error": "invalid_grant", "error_description": "pkce"}, 400)
            access_token = secrets.token_urlsafe(24)
            provider.access_tokens[access_token] = grant["claims"]
            return self._json(
                {
                    "access_token": access_token,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": provider.id_token(grant["claims"], grant["nonce"]),
                }
            )

    return Handler
