# Generated from spec/openapi.yaml, openapi-gen2.yaml by `scripts/regenerate` (scripts/regenerate). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Generated from the specs in spec/: one sub-package per spec document.

* ``gen1``: spec/openapi.yaml
* ``gen2``: spec/openapi-gen2.yaml

``riff_api`` (hand-written) is the interface meant for people; this package is what it calls.
"""

#: Sub-package name -> the spec document (in spec/) it is made from.
DOCUMENTS = {"gen1": "openapi.yaml", "gen2": "openapi-gen2.yaml"}
