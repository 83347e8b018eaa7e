"""The drifts: each one way a service may break its spec, and the checks that must say so.

Between them, each document's drifts make every check of the suite fail at least once
(``test_suite_catches_drift.py`` proves it), so no check is there for show. The second
generation's lean on ``GET /models`` where the drift is about transport (keys, statuses,
headers, methods): it renders no song, so those runs cost little; and on ``/prompt`` rather
than ``/compose`` (half the generated cases) unless the drift needs ``/compose``'s fields.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from contract_tests._broken import Drift, Exchange
from contract_tests._emulator import CONTRACT_KEY
from contract_tests._rules import ECHO

__all__ = ["DRIFTS"]


def _body_dict(exchange: Exchange) -> dict[str, Any] | None:
    body = exchange.request_json()
    return body if isinstance(body, dict) else None


def _500_on(field: str, value: Any) -> Callable[[Exchange], None]:
    """Fails on a valid request whose ``field`` is ``value``, as a crashing service would."""

    def before(exchange: Exchange) -> None:
        body = _body_dict(exchange)
        if body is not None and field in body and body[field] == value:
            exchange.answer(
                500, {"code": "internal_error", "message": "IndexError: list index out of range"}
            )

    return before


def _422_above(field: str, limit: float) -> Callable[[Exchange], None]:
    """Refuses a value the spec allows, as a 422 naming the field."""

    def before(exchange: Exchange) -> None:
        body = _body_dict(exchange)
        value = body.get(field) if body is not None else None
        if isinstance(value, int | float) and not isinstance(value, bool) and value > limit:
            exchange.answer(
                422,
                {
                    "code": "validation_error",
                    "message": "The request body does not match the schema.",
                    "detail": [{"loc": ["body", field], "msg": "too high", "type": "less_than"}],
                },
            )

    return before


def _key_optional(exchange: Exchange) -> None:
    if exchange.request_header(b"api-key") is None:
        exchange.set_request_header(b"api-key", CONTRACT_KEY.encode())


def _any_key(exchange: Exchange) -> None:
    exchange.set_request_header(b"api-key", CONTRACT_KEY.encode())


def _lax_audio_format(*formats: str) -> Callable[[Exchange], None]:
    """Serves an unknown audio_format as the first of ``formats``."""

    def before(exchange: Exchange) -> None:
        body = _body_dict(exchange)
        if body is not None and body.get("audio_format") not in (None, *formats):
            body["audio_format"] = formats[0]
            exchange.request_body = json.dumps(body).encode()

    return before


def _404_unless(*methods: str) -> Callable[[Exchange], None]:
    def before(exchange: Exchange) -> None:
        if exchange.method not in methods:
            exchange.answer(404, {"code": "not_found", "message": "Not Found"})

    return before


def _advertise_other_methods(exchange: Exchange) -> None:
    if exchange.method == "OPTIONS":
        exchange.status, exchange.body = 204, b""
        exchange.headers = [
            (b"allow", b"GET, POST, DELETE, OPTIONS"),
            (b"x-request-id", str(uuid.uuid4()).encode()),
        ]


def _on_status(status: int, edit: Callable[[Exchange], None]) -> Callable[[Exchange], None]:
    def after(exchange: Exchange) -> None:
        if exchange.status == status:
            edit(exchange)

    return after


def _on_success(edit: Callable[[Exchange], None]) -> Callable[[Exchange], None]:
    return _on_status(200, edit)


def _edit_json(edit: Callable[[Any], Any]) -> Callable[[Exchange], None]:
    """Replaces the answer's JSON by what ``edit`` returns for it."""

    def apply(exchange: Exchange) -> None:
        exchange.set_response_json(edit(exchange.response_json()))

    return apply


def _drop_field(name: str) -> Callable[[Exchange], None]:
    def edit(song: Any) -> Any:
        if isinstance(song, dict):
            song.pop(name, None)
        return song

    return _edit_json(edit)


def _set_field(name: str, value: Any) -> Callable[[Exchange], None]:
    def edit(song: Any) -> Any:
        if isinstance(song, dict):
            song[name] = value
        return song

    return _edit_json(edit)


def _drop_item_fields(field: str, *names: str) -> Callable[[Exchange], None]:
    """Drops ``names`` from each object of the answer's list ``field``."""

    def edit(song: Any) -> Any:
        for item in song.get(field, []) if isinstance(song, dict) else []:
            for name in names:
                item.pop(name, None)
        return song

    return _edit_json(edit)


def _strength_as_string(song: Any) -> Any:
    if isinstance(song, dict):
        for prompt in song.get("prompts", []):
            prompt["strength"] = str(prompt.get("strength"))
    return song


def _status(status: int) -> Callable[[Exchange], None]:
    def edit(exchange: Exchange) -> None:
        exchange.status = status

    return edit


def _text_plain(exchange: Exchange) -> None:
    exchange.set_response_header(b"content-type", b"text/plain")


def _no_request_id(exchange: Exchange) -> None:
    exchange.drop_response_header(b"x-request-id")


_FIRST_GENERATION = (
    Drift(
        "drops_timestamped_lyrics",
        "answers without the required key timestamped_lyrics",
        frozenset({"response_schema_conformance"}),
        "create_riff",
        after=_on_success(_drop_field("timestamped_lyrics")),
    ),
    Drift(
        "strength_as_string",
        "answers each prompt's strength as a string",
        frozenset({"response_schema_conformance"}),
        "create_from_topic",
        after=_on_success(_edit_json(_strength_as_string)),
    ),
    Drift(
        "prompts_without_time_range",
        "answers the riff's prompts without their start_s and end_s (read as 0 and 30)",
        frozenset({ECHO}),
        "create_riff",
        after=_on_success(_drop_item_fields("prompts", "start_s", "end_s")),
    ),
    Drift(
        "500_on_empty_prompts",
        "answers 500 to a riff with an empty prompt list (which the spec allows)",
        frozenset({"not_a_server_error", "positive_data_acceptance"}),
        "create_riff",
        before=_500_on("prompts", []),
    ),
    Drift(
        "accepts_missing_key",
        "serves requests that carry no Api-Key header",
        frozenset({"ignored_auth", "missing_required_header"}),
        "create_from_topic",
        before=_key_optional,
    ),
    Drift(
        "accepts_any_key",
        "serves requests whatever their Api-Key",
        frozenset({"ignored_auth"}),
        "create_riff",
        before=_any_key,
    ),
    Drift(
        "accepts_unknown_audio_format",
        "serves a song for an audio_format outside wav, m4a, mp3",
        frozenset({"negative_data_rejection"}),
        "create_from_topic",
        before=_lax_audio_format("wav", "m4a", "mp3"),
    ),
    Drift(
        "201_instead_of_200",
        "answers a song with status 201, which the spec does not list",
        frozenset({"status_code_conformance"}),
        "create_from_topic",
        after=_on_success(_status(201)),
    ),
    Drift(
        "text_plain_song",
        "labels the song's JSON as text/plain",
        frozenset({"content_type_conformance"}),
        "create_riff",
        after=_on_success(_text_plain),
    ),
    Drift(
        "no_request_id",
        "answers without the required X-Request-Id header",
        frozenset({"response_headers_conformance"}),
        "create_from_topic",
        after=_no_request_id,
    ),
    Drift(
        "404_for_other_methods",
        "answers 404 instead of 405 to a method the path does not support",
        frozenset({"unsupported_method"}),
        "create_riff",
        before=_404_unless("POST"),
    ),
    Drift(
        "advertises_undocumented_methods",
        "answers OPTIONS with an Allow header listing methods the spec does not declare",
        frozenset({"allow_header_conformance"}),
        "create_riff",
        before=_advertise_other_methods,
    ),
)

_SECOND_GENERATION = (
    Drift(
        "drops_title",
        "answers a prompt's song without the required title",
        frozenset({"response_schema_conformance"}),
        "prompt",
        after=_on_success(_drop_field("title")),
    ),
    Drift(
        "wav_audio_format",
        'answers a prompt\'s song with audio_format "wav" (the spec knows only m4a)',
        frozenset({"response_schema_conformance"}),
        "prompt",
        after=_on_success(_set_field("audio_format", "wav")),
    ),
    Drift(
        "models_as_object",
        'answers /models with an object {"models": [...]} instead of the array',
        frozenset({"response_schema_conformance"}),
        "list_models",
        after=_on_success(_edit_json(lambda models: {"models": models})),
    ),
    Drift(
        "401_without_error_body",
        "refuses a key with 401 and a JSON body that is not the Error schema",
        frozenset({"response_schema_conformance"}),
        "list_models",
        after=_on_status(401, _edit_json(lambda _: {"error": "unauthorized"})),
    ),
    Drift(
        "sound_prompts_without_strength",
        "answers the composed song's sound prompts without their strengths (read as 0.5)",
        frozenset({ECHO}),
        "compose",
        after=_on_success(_drop_item_fields("sound_prompts", "strength")),
    ),
    Drift(
        "500_on_instrumental",
        "answers 500 to an instrumental prompt (its song has no lyrics to time)",
        frozenset({"not_a_server_error", "positive_data_acceptance"}),
        "prompt",
        before=_500_on("instrumental", True),
    ),
    Drift(
        "422_on_full_lyrics_strength",
        "refuses a lyrics_strength above 0.9 with 422 (the spec allows up to 1)",
        frozenset({"positive_data_acceptance"}),
        "compose",
        before=_422_above("lyrics_strength", 0.9),
    ),
    Drift(
        "models_without_key",
        "lists the models to requests that carry no Api-Key header",
        frozenset({"ignored_auth", "missing_required_header"}),
        "list_models",
        before=_key_optional,
    ),
    Drift(
        "models_with_any_key",
        "lists the models whatever the Api-Key",
        frozenset({"ignored_auth"}),
        "list_models",
        before=_any_key,
    ),
    Drift(
        "accepts_other_audio_format",
        "makes a song from a prompt for an audio_format other than m4a",
        frozenset({"negative_data_rejection"}),
        "prompt",
        before=_lax_audio_format("m4a"),
    ),
    Drift(
        "models_with_201",
        "answers /models with status 201, which the spec does not list",
        frozenset({"status_code_conformance"}),
        "list_models",
        after=_on_success(_status(201)),
    ),
    Drift(
        "text_plain_models",
        "labels the models' JSON as text/plain",
        frozenset({"content_type_conformance"}),
        "list_models",
        after=_on_success(_text_plain),
    ),
    Drift(
        "models_without_request_id",
        "answers /models without the required X-Request-Id header",
        frozenset({"response_headers_conformance"}),
        "list_models",
        after=_no_request_id,
    ),
    Drift(
        "models_404_for_other_methods",
        "answers 404 instead of 405 to a method /models does not support",
        frozenset({"unsupported_method"}),
        "list_models",
        before=_404_unless("GET", "HEAD"),
    ),
    Drift(
        "models_advertise_undocumented_methods",
        "answers OPTIONS /models with an Allow header listing methods the spec does not declare",
        frozenset({"allow_header_conformance"}),
        "list_models",
        before=_advertise_other_methods,
    ),
)

#: Every drift of both documents, by name.
DRIFTS: dict[str, Drift] = {
    drift.name: drift for drift in (*_FIRST_GENERATION, *_SECOND_GENERATION)
}
