# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from enum import StrEnum


class ComposeRequestAudioFormat(StrEnum):
    M4A = "m4a"

    def __str__(self) -> str:
        return str(self.value)
