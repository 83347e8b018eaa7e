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

from typing import TYPE_CHECKING

from riff_api._lazy import lazy_namespace
from riff_api._logging import setup_logging
from riff_api._version import __version__

if TYPE_CHECKING:  # what type checkers and editors see; at run time, loaded on first use
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
    from riff_api._defaults import DEFAULT_API_URL, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES
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
    from riff_api._models import (
        AudioResponse,
        Prompt,
        RiffRequest,
        RiffResponse,
        TimestampedWord,
        TopicRequest,
    )
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
    "AudioResponse",
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

#: Where each public name lives. ``import riff_api`` loads none of them (httpx, pydantic and
#: the generated models take a quarter of a second): each is imported on first use.
_HOMES: dict[str, str] = {
    "DEFAULT_API_URL": "riff_api._defaults",
    "DEFAULT_BASE_URL": "riff_api._defaults",
    "DEFAULT_MAX_RESPONSE_BYTES": "riff_api._defaults",
    "NOT_GIVEN": "riff_api._types",
    "OPERATIONS": "riff_api._operations",
    "APIConnectionError": "riff_api._exceptions",
    "APIError": "riff_api._exceptions",
    "ResponseTooLargeError": "riff_api._exceptions",
    "MalformedAPIKeyError": "riff_api._exceptions",
    "CertificateVerificationError": "riff_api._exceptions",
    "BatchStorageError": "riff_api._exceptions",
    "APIResponseValidationError": "riff_api._exceptions",
    "APIStatusError": "riff_api._exceptions",
    "APITimeoutError": "riff_api._exceptions",
    "AsyncRiffusion": "riff_api._client",
    "AudioFormat": "riff_api._types",
    "AudioResponse": "riff_api._models",
    "AudioSaveError": "riff_api._exceptions",
    "AuthenticationError": "riff_api._exceptions",
    "BadRequestError": "riff_api._exceptions",
    "BatchProgress": "riff_api._batch",
    "BatchReport": "riff_api._batch",
    "ComposeRequest": "riff_api.types",
    "ComposeResponse": "riff_api.types",
    "InsecureTransportError": "riff_api._exceptions",
    "InternalServerError": "riff_api._exceptions",
    "Job": "riff_api._batch",
    "JobFileError": "riff_api._batch",
    "JobResult": "riff_api._batch",
    "MissingAPIKeyError": "riff_api._exceptions",
    "NotFoundError": "riff_api._exceptions",
    "NotGiven": "riff_api._types",
    "PermissionDeniedError": "riff_api._exceptions",
    "Prompt": "riff_api._models",
    "PromptRequest": "riff_api.types",
    "PromptResponse": "riff_api.types",
    "RateLimitError": "riff_api._exceptions",
    "RequestTooLargeError": "riff_api._exceptions",
    "RiffAPIClient": "riff_api._module_api",
    "RiffRequest": "riff_api._models",
    "RiffResponse": "riff_api._models",
    "Riffusion": "riff_api._client",
    "RiffusionError": "riff_api._exceptions",
    "SoundPrompt": "riff_api.types",
    "TimestampedWord": "riff_api._models",
    "TopicRequest": "riff_api._models",
    "UnprocessableEntityError": "riff_api._exceptions",
    "__version__": "riff_api._version",
    "batch": "riff_api._batch",
    "create": "riff_api._module_api",
    "create_from_request": "riff_api._module_api",
    "create_from_topic": "riff_api._module_api",
    "parse_jobs": "riff_api._batch",
    "read_jobs": "riff_api._batch",
    "read_manifest": "riff_api._batch",
    "save_audio": "riff_api._module_api",
}


__getattr__, __dir__ = lazy_namespace(globals(), _HOMES, submodules=("types",))

setup_logging()
