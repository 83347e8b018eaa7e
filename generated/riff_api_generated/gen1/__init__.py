# Generated from spec/openapi.yaml by `scripts/regenerate` (scripts/regenerate). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Generated from spec/openapi.yaml: the attrs client, pydantic models and TypedDicts.

``client.api.OPERATIONS`` is the table of every operation of the document.
"""

#: SHA-256 of the spec document shipped beside this file (openapi.yaml).
SPEC_SHA256 = "a0a00d0ffc73a463da2efd860dc63a80672bf4baa22715cb62e532c3a18c9792"
#: The document's servers, in its order; the first is the live service.
SERVERS = ("https://backend.riffusion.com/v1", "http://127.0.0.1:8000/v1")
