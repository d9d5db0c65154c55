"""What counts as a server failure for the GraphQL fuzzer (loaded by schemathesis as its hooks file).

A GraphQL server answers most failures with 200 and an `errors` list, so a 5xx status alone
misses the crashes that matter most: a resolver or service letting an unexpected exception
through. Rungs masks those as "Unexpected error; quote request …", and that message is as much
a server error as a 500. Errors the client is meant to read (a refused page size, a bad cursor,
a validation error) are answers, not failures, whatever their `path`.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis

MASKED_ERROR = "Unexpected error; quote request"


def _masked_errors(body: bytes) -> list[str]:
    try:
        payload: Any = json.loads(body)
    except ValueError:
        return []
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if not isinstance(errors, list):
        return []
    return [
        str(error.get("message"))
        for error in errors
        if isinstance(error, dict) and str(error.get("message", "")).startswith(MASKED_ERROR)
    ]


@schemathesis.check
def no_server_failure(ctx: Any, response: Any, case: Any) -> None:
    """No 5xx, and no unexpected exception masked inside a 200."""
    if response.status_code >= 500:
        raise AssertionError(f"the server answered {response.status_code}")
    if masked := _masked_errors(response.content):
        raise AssertionError("a resolver failed unexpectedly: " + "; ".join(masked))
