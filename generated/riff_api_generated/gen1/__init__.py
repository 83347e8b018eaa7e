# Generated from spec/openapi.yaml by `scripts/regenerate` (scripts/regenerate). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Generated from spec/openapi.yaml: the attrs client, pydantic models and TypedDicts.

``client.api.OPERATIONS`` is the table of every operation of the document.
"""

#: SHA-256 of the spec document shipped beside this file (openapi.yaml).
SPEC_SHA256 = "4835ec52ca1e98dad81304380cd3e8cc7f8dc6140dab3e2fd72ceed2f45fb463"
#: The document's servers, in its order; the first is the live service.
SERVERS = ("https://backend.riffusion.com/v1", "http://127.0.0.1:8000/v1")
