"""The JSON Schema of the trade screening contract, generated from the pydantic models.

``docs/trade-screening.schema.json`` is this function's output (``corridor screen --schema``);
a test keeps the committed file equal to it, so the published contract cannot drift from
the code.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import models_json_schema

from corridor.screening.results import ScreeningResult
from corridor.trade import Trade

SCHEMA_ID = "https://github.com/corridor/corridor/docs/trade-screening.schema.json"


def trade_screening_schema() -> dict[str, Any]:
    """One document: ``$defs.Trade`` (input) and ``$defs.ScreeningResult`` (output)."""
    _, schema = models_json_schema(
        [(Trade, "validation"), (ScreeningResult, "serialization")],
        ref_template="#/$defs/{model}",
        title="corridor trade screening",
        description=(
            "Input (Trade: YAML or JSON given to `corridor screen` or POST /screen) and output "
            "(ScreeningResult) of corridor's trade screening. Validate an input against "
            "#/$defs/Trade and a result against #/$defs/ScreeningResult."
        ),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "oneOf": [{"$ref": "#/$defs/Trade"}, {"$ref": "#/$defs/ScreeningResult"}],
    }


def schema_json() -> str:
    """The schema as the committed file holds it: sorted keys, two-space indent, final newline."""
    return json.dumps(trade_screening_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
