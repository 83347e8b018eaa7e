# Generated from spec/openapi.yaml by `scripts/regenerate` (scripts/regenerate). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Generated from spec/openapi.yaml: the attrs client and the pydantic models.

``riff_api`` (hand-written) is the interface meant for people; this package is what it calls.
"""

SPEC_SHA256 = "aea792f5df06dc29b0570bf7e69929393f0d60089bc78ff1f9abfb332efa8c38"
