# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
from enum import StrEnum


class TopicRequestAudioFormat(StrEnum):
    M4A = "m4a"
    MP3 = "mp3"
    WAV = "wav"

    def __str__(self) -> str:
        return str(self.value)
