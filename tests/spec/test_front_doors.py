"""Every operation of the spec has its front doors, and every request field reaches them.

Walked from the generated operations table, so an operation or a field added to the spec is
checked here without a new line of test: a client method (sync and async), a ``riff``
command, batch job lines and an emulator handler per operation; and each field of each
request model sent on the wire by the client method, by the command's option, by a job line,
and accepted (and checked) by the emulator.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from spec_samples import argv_value, required_sample, sample, sample_answer, wrong

import riff_api
from riff_api._defaults import API_KEY_ENV
from riff_api._operations import OPERATIONS, SERVICES, endpoint_methods
from riff_api.cli import Environment, main
from riff_api.cli._fields import option_name
from riff_api.cli._options import SONG_COMMANDS
from riff_api.emulator._routes import HANDLERS
from riff_api.testing import InProcessEmulator, in_process_emulator

KEY = "sk-walk-0123456789"
OPERATION_IDS = list(OPERATIONS)
SONG_OPERATIONS = [o.id for o in OPERATIONS.values() if o.carries_audio and o.request_model]
FIELDS = [
    (operation.id, name)
    for operation in OPERATIONS.values()
    if operation.request_model is not None
    for name in operation.request_model.model_fields
]
FIELD_IDS = [f"{operation}.{name}" for operation, name in FIELDS]


class Wire:
    """A MockTransport handler answering each operation with a valid body; keeps the bodies."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        self.sent.append(json.loads(request.content) if request.content else {})
        operation = next(
            o
            for o in OPERATIONS.values()
            if request.url.path.endswith(o.path) and request.method == o.method
        )
        return httpx.Response(200, json=sample_answer(operation))


def _value(operation_id: str, field: str) -> Any:
    model = OPERATIONS[operation_id].request_model
    assert model is not None
    info = model.model_fields[field]
    return sample(info.annotation, info.default)


def _url_options() -> dict[str, str]:
    return {service.argument: "https://api.walk.test/v1" for service in SERVICES.values()}


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_every_operation_has_a_client_method(operation_id: str) -> None:
    for cls in (riff_api.Riffusion, riff_api.AsyncRiffusion):
        assert operation_id in endpoint_methods(cls), (
            f"{cls.__name__} has no method for the spec's operation {operation_id!r}: "
            "add one (marked @endpoint) in riff_api/_client.py"
        )


@pytest.mark.parametrize("operation_id", SONG_OPERATIONS)
def test_every_song_operation_has_a_command(operation_id: str) -> None:
    commands = {c.operation.id for c in SONG_COMMANDS.values()}
    assert operation_id in commands, (
        f"riff has no command for the spec's operation {operation_id!r}: add it to "
        "SONG_COMMANDS in riff_api/cli/_options.py"
    )


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_every_operation_has_an_emulator_handler(operation_id: str) -> None:
    assert operation_id in HANDLERS, (
        f"the emulator has no handler for the spec's operation {operation_id!r}: add one to "
        "HANDLERS in riff_api/emulator/_routes.py"
    )


def _call_arguments(method: Any, operation_id: str, field: str) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments: the required fields, and ``field`` set."""
    model = OPERATIONS[operation_id].request_model
    assert model is not None
    values = {**required_sample(model), field: _value(operation_id, field)}
    first = [
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_ONLY
    ]
    positional = [values.pop(name) for name in first if name in values]
    return positional, values


@pytest.mark.parametrize(("operation_id", "field"), FIELDS, ids=FIELD_IDS)
def test_a_field_reaches_the_client_methods(operation_id: str, field: str) -> None:
    expected = _value(operation_id, field)
    wire = Wire()
    name = endpoint_methods(riff_api.Riffusion)[operation_id]
    with riff_api.Riffusion(
        api_key=KEY, http_client=httpx.Client(transport=httpx.MockTransport(wire)), **_url_options()
    ) as client:
        args, kwargs = _call_arguments(getattr(client, name), operation_id, field)
        getattr(client, name)(*args, **kwargs)

    async def call_async() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(wire))
        async with riff_api.AsyncRiffusion(
            api_key=KEY, http_client=http, **_url_options()
        ) as client:
            method = getattr(client, endpoint_methods(riff_api.AsyncRiffusion)[operation_id])
            args, kwargs = _call_arguments(method, operation_id, field)
            await method(*args, **kwargs)
        await http.aclose()

    asyncio.run(call_async())
    assert [sent[field] for sent in wire.sent] == [expected, expected]


def _run(argv: list[str], tmp_path: Path, wire: Wire) -> str:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=out,
        stderr=err,
        environ={
            API_KEY_ENV: KEY,
            **{s.env: "https://api.walk.test/v1" for s in SERVICES.values()},
        },
        cwd=tmp_path,
        transport=httpx.MockTransport(wire),
    )
    status = main(argv, env)
    assert status == 0, err.getvalue()
    return out.getvalue()


@pytest.mark.parametrize(
    ("operation_id", "field"),
    [(o, f) for o, f in FIELDS if o in SONG_OPERATIONS],
    ids=[i for (o, _), i in zip(FIELDS, FIELD_IDS, strict=True) if o in SONG_OPERATIONS],
)
def test_a_field_reaches_the_command(operation_id: str, field: str, tmp_path: Path) -> None:
    command = next(c for c in SONG_COMMANDS.values() if c.operation.id == operation_id)
    argv = [command.name, *command.minimal]
    if command.positional is not None:
        name = command.positional[0]
        argv.append(argv_value(_value(operation_id, name)) if name == field else "a walk")
    value = _value(operation_id, field)
    wire = Wire()
    if field == "audio_format":
        argv += ["--format", value]
    elif field in command.hand_made or (command.positional and field == command.positional[0]):
        _run(argv, tmp_path, wire)  # hand-made forms have their own tests; the minimal one sends
        model = command.operation.request_model
        assert model is not None
        if model.model_fields[field].is_required():
            assert field in wire.sent[0]
        return
    elif isinstance(value, bool):
        argv.append(option_name(field) if value else "--no-" + option_name(field)[2:])
    else:
        argv += [option_name(field), argv_value(value)]
    _run(argv, tmp_path, wire)
    assert wire.sent[0][field] == value


@pytest.mark.parametrize(
    ("operation_id", "field"),
    [(o, f) for o, f in FIELDS if o in SONG_OPERATIONS],
    ids=[i for (o, _), i in zip(FIELDS, FIELD_IDS, strict=True) if o in SONG_OPERATIONS],
)
def test_a_field_reaches_batch(operation_id: str, field: str, tmp_path: Path) -> None:
    model = OPERATIONS[operation_id].request_model
    assert model is not None
    line = {**required_sample(model), field: _value(operation_id, field)}
    (tmp_path / "jobs.jsonl").write_text(json.dumps(line) + "\n")
    wire = Wire()
    _run(["batch", "jobs.jsonl", "--out-dir", "songs"], tmp_path, wire)
    assert wire.sent == [line]
    assert wire.paths[0].endswith(OPERATIONS[operation_id].path)


@pytest.fixture(scope="module")
def emulator() -> Iterator[InProcessEmulator]:
    # The emulator refuses models it does not list; the walk's sample text is made one of them.
    with in_process_emulator(duration_s=1.0, seed=1, models=("FUZZ-2.0", "walked")) as running:
        yield running


@pytest.mark.parametrize(("operation_id", "field"), FIELDS, ids=FIELD_IDS)
def test_a_field_is_known_to_the_emulator(
    operation_id: str, field: str, emulator: InProcessEmulator
) -> None:
    operation = OPERATIONS[operation_id]
    model = operation.request_model
    assert model is not None
    url = "http://127.0.0.1" + urlsplit(operation.server).path.rstrip("/") + operation.path
    body = {**required_sample(model), field: _value(operation_id, field)}

    def send(json: dict[str, Any]) -> httpx.Response:
        return emulator.client.request(operation.method, url, json=json, headers=emulator.headers)

    assert send(body).status_code == 200
    refused = send({**body, field: wrong(model.model_fields[field].annotation)})
    assert refused.status_code == 422, refused.text
    assert any(detail["loc"][:2] == ["body", field] for detail in refused.json()["detail"])
