# Generated from spec/openapi.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Contains all the data models used in inputs/outputs"""

from .error import Error
from .error_detail import ErrorDetail
from .prompt import Prompt
from .riff_request import RiffRequest
from .riff_request_audio_format import RiffRequestAudioFormat
from .riff_response import RiffResponse
from .timestamped_word import TimestampedWord
from .topic_request import TopicRequest
from .topic_request_audio_format import TopicRequestAudioFormat

__all__ = (
    "Error",
    "ErrorDetail",
    "Prompt",
    "RiffRequest",
    "RiffRequestAudioFormat",
    "RiffResponse",
    "TimestampedWord",
    "TopicRequest",
    "TopicRequestAudioFormat",
)
