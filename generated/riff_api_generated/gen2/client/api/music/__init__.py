# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Contains endpoint functions for accessing the API"""
