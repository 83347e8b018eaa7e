"""riff_api: a typed, fast, honest client for the Riffusion music API.

    import riff_api

    song = riff_api.create_from_topic("Indie pop banger about my dog Boris", save_to="boris.wav")
    print(song.lyrics)

The module functions (``create``, ``create_from_request``, ``create_from_topic``,
``save_audio``) and models are those of the official client 0.1.5 (the API's first
generation); ``RiffAPIClient`` and the models of ``riff_api.types`` are those of 0.4.2 (the
second generation, ``/prompt``, ``/compose``, ``/models``). ``Riffusion`` and
``AsyncRiffusion`` speak both, with connection reuse, timeouts, retries and typed errors;
``batch`` makes many songs concurrently and resumably. ``OPERATIONS`` is the table of every
operation of the spec, which ``Riffusion.request`` sends.
"""

from __future__ import annotations

from riff_api._batch import (
    BatchProgress,
    BatchReport,
    Job,
    JobFileError,
    JobResult,
    batch,
    parse_jobs,
    read_jobs,
    read_manifest,
)
from riff_api._client import AsyncRiffusion, Riffusion
from riff_api._config import DEFAULT_API_URL, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES
from riff_api._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AudioSaveError,
    AuthenticationError,
    BadRequestError,
    BatchStorageError,
    CertificateVerificationError,
    InsecureTransportError,
    InternalServerError,
    MalformedAPIKeyError,
    MissingAPIKeyError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ResponseTooLargeError,
    RiffusionError,
    UnprocessableEntityError,
)
from riff_api._logging import setup_logging
from riff_api._models import Prompt, RiffRequest, RiffResponse, TimestampedWord, TopicRequest
from riff_api._module_api import (
    RiffAPIClient,
    create,
    create_from_request,
    create_from_topic,
    save_audio,
)
from riff_api._operations import OPERATIONS
from riff_api._types import NOT_GIVEN, AudioFormat, NotGiven
from riff_api._version import __version__
from riff_api.types import (
    ComposeRequest,
    ComposeResponse,
    PromptRequest,
    PromptResponse,
    SoundPrompt,
)

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "NOT_GIVEN",
    "OPERATIONS",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncRiffusion",
    "AudioFormat",
    "AudioSaveError",
    "AuthenticationError",
    "BadRequestError",
    "BatchProgress",
    "BatchReport",
    "BatchStorageError",
    "CertificateVerificationError",
    "ComposeRequest",
    "ComposeResponse",
    "InsecureTransportError",
    "InternalServerError",
    "Job",
    "JobFileError",
    "JobResult",
    "MalformedAPIKeyError",
    "MissingAPIKeyError",
    "NotFoundError",
    "NotGiven",
    "PermissionDeniedError",
    "Prompt",
    "PromptRequest",
    "PromptResponse",
    "RateLimitError",
    "RequestTooLargeError",
    "ResponseTooLargeError",
    "RiffAPIClient",
    "RiffRequest",
    "RiffResponse",
    "Riffusion",
    "RiffusionError",
    "SoundPrompt",
    "TimestampedWord",
    "TopicRequest",
    "UnprocessableEntityError",
    "__version__",
    "batch",
    "create",
    "create_from_request",
    "create_from_topic",
    "parse_jobs",
    "read_jobs",
    "read_manifest",
    "save_audio",
]

# Show riff_api.Riffusion, not riff_api._client.Riffusion, in reprs, tracebacks and docs.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__.startswith("riff_api._"):
        _obj.__module__ = "riff_api"
del _name, _obj

setup_logging()
