"""The OpenAPI spec: committed, generated from the code, and the server fuzzed against it."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from corridor.api.app import openapi_json

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_spec_is_the_generated_one() -> None:
    assert DOC.read_text(encoding="utf-8") == openapi_json(), (
        "docs/openapi.json is out of date: run `corridor serve --openapi > docs/openapi.json`"
    )


def test_served_spec_is_the_committed_one(client) -> None:
    import json

    assert client.get("/openapi.json").json() == json.loads(DOC.read_text(encoding="utf-8"))


#: The committed spec (the first test holds it equal to the code's).
schema = schemathesis.openapi.from_path(DOC)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_fuzz_every_operation(case, server) -> None:
    """Generated requests, valid and not, to every operation of the real server: never a
    5xx, only documented status codes, and answers in the documented shape."""
    case.call_and_validate(
        base_url=server.url,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        timeout=60,
    )
