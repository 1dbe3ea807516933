"""schemathesis checks for scimgate (loaded by ops/schemathesis.sh via SCHEMATHESIS_HOOKS).

Every error answer must be a SCIM error body (RFC 7644 §3.12), except at the OAuth token
endpoint, which answers RFC 6749 §5.2 errors to the POSTs it serves.
"""

import schemathesis

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _content_type(response) -> str:
    value = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return value.split(";")[0].strip().lower()


@schemathesis.check
def error_bodies_are_scim_or_oauth(ctx, response, case):
    """4xx and 5xx carry a SCIM error (RFC 6749 error on /oauth/token)."""
    status = response.status_code
    if status < 400:
        return None
    try:
        body = response.json()
    except Exception as err:  # noqa: BLE001 - any unparsable body is the finding
        raise AssertionError(f"{status} without a JSON error body: {err}") from None
    # Methods the document does not list get the router's answer (405), a SCIM error everywhere.
    documented = case.method.upper() == case.operation.method.upper()
    if case.operation.path == "/oauth/token" and documented:
        assert _content_type(response) == "application/json", _content_type(response)
        assert isinstance(body, dict) and isinstance(body.get("error"), str), body
        return None
    assert _content_type(response) == "application/scim+json", _content_type(response)
    assert isinstance(body, dict), body
    assert body.get("schemas") == [SCIM_ERROR], f"schemas: {body.get('schemas')}"
    assert body.get("status") == str(status), f"status {body.get('status')!r} on a {status}"
    scim_type = body.get("scimType")
    assert scim_type is None or isinstance(scim_type, str), body
    return None
