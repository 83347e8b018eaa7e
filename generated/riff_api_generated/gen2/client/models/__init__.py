# Generated from spec/openapi-gen2.yaml by `scripts/regenerate` (openapi-python-client). Do not edit by hand:
# change the spec and run `scripts/regenerate`; `scripts/regenerate --check` runs in CI.
"""Contains all the data models used in inputs/outputs"""

from .compose_request import ComposeRequest
from .compose_request_audio_format import ComposeRequestAudioFormat
from .compose_response import ComposeResponse
from .compose_response_audio_format import ComposeResponseAudioFormat
from .error import Error
from .error_detail import ErrorDetail
from .prompt_request import PromptRequest
from .prompt_request_audio_format import PromptRequestAudioFormat
from .prompt_response import PromptResponse
from .prompt_response_audio_format import PromptResponseAudioFormat
from .sound_prompt import SoundPrompt
from .timestamped_word import TimestampedWord

__all__ = (
    "ComposeRequest",
    "ComposeRequestAudioFormat",
    "ComposeResponse",
    "ComposeResponseAudioFormat",
    "Error",
    "ErrorDetail",
    "PromptRequest",
    "PromptRequestAudioFormat",
    "PromptResponse",
    "PromptResponseAudioFormat",
    "SoundPrompt",
    "TimestampedWord",
)
