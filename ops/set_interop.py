"""Verifies scimgate's RFC 8936 poll delivery with PyJWT, a JWT library we did not write.

usage: set_interop.py ORIGIN TENANT RECEIVER_TOKEN RECEIVER_ID
Polls the tenant's SETs, verifies each against the server's JWKS (ES256, typ secevent+jwt,
iss, aud, RFC 9967 claim shapes), checks they are the events the events API lists, then
acknowledges them and checks that the next poll is empty. Exits non-zero on any mismatch.
"""

import json
import sys
import urllib.request

import jwt

PROV = "urn:ietf:params:scim:event:prov:"


def call(method, url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main():
    origin, tenant, token, audience = sys.argv[1:5]
    issuer = f"{origin}/t/{tenant}"
    poll_url = f"{origin}/t/{tenant}/events/poll"
    listed = call("GET", f"{origin}/t/{tenant}/events?limit=1000", token)["events"]
    answer = call("POST", poll_url, token, {"maxEvents": 1000, "returnImmediately": True})
    sets = answer["sets"]
    assert answer["moreAvailable"] is False, answer
    assert sorted(sets) == sorted(e["id"] for e in listed), (sorted(sets), listed)

    keys = jwt.PyJWKClient(f"{origin}/.well-known/jwks.json")
    uris = []
    for jti, token_text in sets.items():
        header = jwt.get_unverified_header(token_text)
        assert header["alg"] == "ES256", header
        assert header["typ"] == "secevent+jwt", header
        key = keys.get_signing_key_from_jwt(token_text)
        claims = jwt.decode(
            token_text,
            key.key,
            algorithms=["ES256"],
            audience=audience,
            issuer=issuer,
            options={"require": ["iss", "aud", "iat", "jti"]},
        )
        assert claims["jti"] == jti, claims
        assert "sub" not in claims, claims
        sub_id = claims["sub_id"]
        assert sub_id["format"] == "scim", sub_id
        assert sub_id["uri"] in (f"/Users/{sub_id['id']}", f"/Groups/{sub_id['id']}"), sub_id
        assert isinstance(claims["txn"], str), claims
        (uri, payload), = claims["events"].items()
        if uri.endswith(":full"):
            assert "data" in payload and "attributes" not in payload, claims
            assert "password" not in payload["data"], claims
        if uri.endswith(":notice"):
            assert "attributes" in payload and "data" not in payload, claims
        uris.append(uri)
    for expected in ("create:full", "patch:full", "deactivate", "delete"):
        assert PROV + expected in uris, (expected, uris)

    acked = call(
        "POST", poll_url, token, {"maxEvents": 1000, "returnImmediately": True, "ack": list(sets)}
    )
    assert acked["sets"] == {}, acked
    print(f"set-interop: {len(sets)} SETs verified with PyJWT {jwt.__version__}: {sorted(set(uris))}")


if __name__ == "__main__":
    main()
