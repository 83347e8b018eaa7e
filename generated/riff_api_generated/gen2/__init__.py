# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (scripts/regenerate). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Generated from spec/openapi-gen2.yaml: the attrs client, pydantic models and TypedDicts.

``client.api.OPERATIONS`` is the table of every operation of the document.
"""

#: SHA-256 of the spec document shipped beside this file (openapi.yaml).
SPEC_SHA256 = "e6b12cf0bcb0b3a31bc001fe9faaf8c59dd0c659c3266988e12ff0bc48fc3e45"
#: The document's servers, in its order; the first is the live service.
SERVERS = ("https://wb.riffusion.com/api/v1", "http://127.0.0.1:8000/api/v1")
