# Generated from spec/openapi.yaml by `scripts/regenerate` (scripts/regenerate). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Generated from spec/openapi.yaml: the attrs client, pydantic models and TypedDicts.

``client.api.OPERATIONS`` is the table of every operation of the document.
"""

#: SHA-256 of the spec document shipped beside this file (openapi.yaml).
SPEC_SHA256 = "aea792f5df06dc29b0570bf7e69929393f0d60089bc78ff1f9abfb332efa8c38"
#: The document's servers, in its order; the first is the live service.
SERVERS = ("https://backend.riffusion.com/v1", "http://127.0.0.1:8000/v1")
