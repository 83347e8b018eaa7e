"""Our clients, judged by an independent peer: every kind of request they send must pass Prism.

``prism mock`` of each document validates each request against the spec before answering: a
4xx, an ``sl-violations`` header or a "Violation" in its log means our client sent something
the spec forbids. The facade (``Riffusion`` and ``AsyncRiffusion``), the official clients'
drop-ins (``RiffAPIClient`` for the second generation, the module functions for the first)
and the generated low-level client of each document send the whole matrix of ``_matrix.py``.
Each body is also validated against the spec here, and checked to carry the values the
caller gave. Which client method sends an operation is looked up by operation id
(``riff_api._operations.endpoint_methods``), never by path.
"""

from __future__ import annotations

import asyncio
import importlib
import typing
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from contract_tests._emulator import CONTRACT_KEY
from contract_tests._matrix import CALLS, matrix
from contract_tests._prism import PrismServer, parse_violations
from contract_tests._recorder import Recorder, judge, mock_makes_up_audio
from contract_tests._spec import DOCUMENTS, Operation, SpecDocument, all_operations
from contract_tests.conftest import PrismPool

MATRIX = [
    pytest.param(operation, name, id=f"{operation.test_id}-{name}")
    for document in DOCUMENTS
    for operation, name, _ in matrix(document)
]
_BY_ID = {operation.operation_id: operation for operation in all_operations()}


def _documents_of(argument: str) -> list[SpecDocument]:
    """The documents whose base URL a client takes as ``argument`` (``base_url``/``api_url``)."""
    from riff_api._operations import SERVICES

    return [document for document in DOCUMENTS if SERVICES[document.live_url].argument == argument]


def _client_options(prism: PrismServer) -> dict[str, Any]:
    """The facade's arguments that point it at ``prism`` for the document it mocks."""
    from riff_api._operations import SERVICES

    argument = SERVICES[prism.document.live_url].argument
    return {"api_key": CONTRACT_KEY, "max_retries": 0, argument: prism.url}


def _method(cls: type, operation: Operation) -> str:
    from riff_api._operations import endpoint_methods

    return endpoint_methods(cls)[operation.operation_id]


def _answer(operation: Operation, send: Callable[[], Any]) -> Any:
    """What ``send()`` returns; None when the mock made up audio the client rightly refused."""
    import riff_api

    try:
        return send()
    except riff_api.APIResponseValidationError:
        if mock_makes_up_audio(operation):
            return None
        raise


def _check_answer(operation: Operation, answer: Any) -> None:
    import riff_api

    if answer is None:
        return
    table = riff_api.OPERATIONS[operation.operation_id]
    expected = typing.get_origin(table.response_type) or table.response_type
    assert isinstance(answer, expected), f"{operation.label} answered {answer!r}"
    if table.carries_audio:
        assert answer.audio_bytes, "the song has no audio"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


# -- the facade ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("operation", "call"), MATRIX)
def test_facade(operation: Operation, call: str, prism: PrismPool, recorder: Recorder) -> None:
    import riff_api

    mock = prism.mock(operation.document)
    sent = CALLS[operation.operation_id][call]
    method = _method(riff_api.Riffusion, operation)
    offset = mock.log_offset()
    with (
        recorder.sync_client() as http,
        riff_api.Riffusion(http_client=http, **_client_options(mock)) as client,
    ):
        answer = _answer(operation, lambda: getattr(client, method)(**sent))
    _check_answer(operation, answer)
    judge(mock, recorder, offset, operation, sent)


@pytest.mark.parametrize(
    ("operation", "given", "sent"),
    [
        pytest.param(
            _BY_ID["create_riff"],
            lambda riff_api: [["lo-fi piano", riff_api.Prompt(text="cellos", strength=3.0)]],
            {"prompts": [{"text": "lo-fi piano"}, {"text": "cellos", "strength": 3.0}]},
            id="gen1-prompts",
        ),
        pytest.param(
            _BY_ID["compose"],
            lambda riff_api: [
                ["lo-fi piano", riff_api.types.SoundPrompt(text="cellos", strength=0.3)]
            ],
            {"sound_prompts": [{"text": "lo-fi piano"}, {"text": "cellos", "strength": 0.3}]},
            id="gen2-sound-prompts",
        ),
    ],
)
def test_facade_accepts_prompt_text_and_models(
    operation: Operation, given: Any, sent: dict[str, Any], prism: PrismPool, recorder: Recorder
) -> None:
    """A prompt may be given as its text, or as the model of the generation."""
    import riff_api

    mock = prism.mock(operation.document)
    offset = mock.log_offset()
    with (
        recorder.sync_client() as http,
        riff_api.Riffusion(http_client=http, **_client_options(mock)) as client,
    ):
        send = getattr(client, _method(riff_api.Riffusion, operation))
        _answer(operation, lambda: send(*given(riff_api), lyrics="la"))
    judge(mock, recorder, offset, operation, {**sent, "lyrics": "la"})


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_async_facade(document: SpecDocument, prism: PrismPool) -> None:
    """AsyncRiffusion sends the whole matrix too (in its own event loop, one call at a time)."""
    import riff_api

    mock = prism.mock(document)

    async def send_all() -> list[tuple[str, Operation, Recorder, int, dict[str, Any], Any]]:
        done = []
        for operation, name, sent in matrix(document):
            recorder = Recorder()
            offset = mock.log_offset()
            async with (
                recorder.async_client() as http,
                riff_api.AsyncRiffusion(http_client=http, **_client_options(mock)) as client,
            ):
                method = getattr(client, _method(riff_api.AsyncRiffusion, operation))
                try:
                    answer = await method(**sent)
                except riff_api.APIResponseValidationError:
                    if not mock_makes_up_audio(operation):
                        raise
                    answer = None
            done.append((name, operation, recorder, offset, sent, answer))
        return done

    for name, operation, recorder, offset, sent, answer in asyncio.run(send_all()):
        try:
            _check_answer(operation, answer)
            judge(mock, recorder, offset, operation, sent)
        except AssertionError as error:
            raise AssertionError(f"{operation.label} {name}: {error}") from error


# -- the official clients' drop-ins ---------------------------------------------------------------

OFFICIAL_MATRIX = [
    pytest.param(operation, name, id=f"{operation.test_id}-{name}")
    for document in _documents_of("api_url")
    for operation, name, _ in matrix(document)
]


@pytest.mark.parametrize(("operation", "call"), OFFICIAL_MATRIX)
def test_riff_api_client(
    operation: Operation,
    call: str,
    prism: PrismPool,
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """RiffAPIClient, called as riff-api 0.4.2 code calls it: models for sound prompts, every
    other argument by the same name. It makes its own httpx client, so every client is
    recorded."""
    import riff_api

    mock = prism.mock(operation.document)
    sent = CALLS[operation.operation_id][call]
    model = riff_api.OPERATIONS[operation.operation_id].request_model
    request = model.model_validate(sent) if model is not None else None
    arguments = {name: getattr(request, name) for name in sent}  # SoundPrompt models, not dicts
    recorder.record_every_client(monkeypatch)
    offset = mock.log_offset()
    with riff_api.RiffAPIClient(api_url=mock.url, api_key=CONTRACT_KEY) as client:
        answer = _answer(
            operation, lambda: getattr(client, _method(riff_api.Riffusion, operation))(**arguments)
        )
    _check_answer(operation, answer)
    judge(mock, recorder, offset, operation, sent)


@pytest.mark.parametrize("document", _documents_of("base_url"), ids=lambda d: d.name)
def test_module_functions(
    document: SpecDocument, prism: PrismPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """create, create_from_topic and create_from_request (riff-api 0.1.5's functions, of the
    document whose URL is ``base_url``), configured by the environment only."""
    import riff_api
    from riff_api._operations import SERVICES

    mock = prism.mock(document)
    monkeypatch.setenv("RIFFUSION_API_KEY", CONTRACT_KEY)
    monkeypatch.setenv(SERVICES[document.live_url].env, mock.url)
    calls: dict[str, Callable[[], Any]] = {
        "create_from_topic": lambda: riff_api.create_from_topic("A shanty", audio_format="mp3"),
        "create": lambda: riff_api.create([riff_api.Prompt(text="shanty")], lyrics="Ho", seed=3),
        "create-m4a": lambda: riff_api.create(
            [riff_api.Prompt(text="ambient")], audio_format="m4a"
        ),
        "create_from_request": lambda: riff_api.create_from_request(
            riff_api.RiffRequest(
                prompts=[riff_api.Prompt(text="lo-fi", start_s=0.0, end_s=10.0)],
                moderate_inputs=False,
            )
        ),
        "create_from_request-topic": lambda: riff_api.create_from_request(
            riff_api.TopicRequest(topic="Rain on a tin roof")
        ),
    }
    for name, call in calls.items():
        offset = mock.log_offset()
        song = call()
        assert song.id, f"{name}: no song id"
        logged = mock.violations_since(offset)
        assert not logged, f"{name}: Prism logged violations: {logged}"


# -- the generated low-level client ---------------------------------------------------------------


def _generated_client(prism: PrismServer, on_response: Any) -> Any:
    package = importlib.import_module(f"riff_api_generated.{prism.document.name}.client")
    return package.AuthenticatedClient(
        base_url=prism.url,
        token=CONTRACT_KEY,
        prefix="",
        auth_header_name="Api-Key",
        raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"response": [on_response]}},
    )


def _generated_arguments(operation: Operation, sent: dict[str, Any]) -> dict[str, Any]:
    """The generated endpoint's arguments: the attrs body built from the caller's fields."""
    import riff_api

    body_class = riff_api.OPERATIONS[operation.operation_id].request_body
    return {} if body_class is None else {"body": body_class.from_dict(sent)}


def _assert_parsed(operation: Operation, response: Any) -> None:
    models = importlib.import_module(f"riff_api_generated.{operation.document.name}.client.models")
    assert response.status_code == 200, response.content
    assert response.parsed is not None, response.content
    assert not isinstance(response.parsed, models.Error), response.parsed


@pytest.mark.parametrize(("operation", "call"), MATRIX)
def test_generated_client(
    operation: Operation, call: str, prism: PrismPool, recorder: Recorder
) -> None:
    import riff_api

    mock = prism.mock(operation.document)
    sent = CALLS[operation.operation_id][call]
    module = riff_api.OPERATIONS[operation.operation_id].module
    offset = mock.log_offset()
    with _generated_client(mock, recorder.on_response) as client:
        response = module.sync_detailed(client=client, **_generated_arguments(operation, sent))
    _assert_parsed(operation, response)
    judge(mock, recorder, offset, operation, sent)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_generated_client_async(document: SpecDocument, prism: PrismPool) -> None:
    """The generated asyncio functions: the first call of each operation's matrix."""
    import riff_api

    mock = prism.mock(document)
    recorder = Recorder()
    operations = document.operations()

    async def send() -> list[Any]:
        answers = []
        async with _generated_client(mock, recorder.on_response_async) as client:
            for operation in operations:
                sent = next(iter(CALLS[operation.operation_id].values()))
                module = riff_api.OPERATIONS[operation.operation_id].module
                arguments = _generated_arguments(operation, sent)
                answers.append(await module.asyncio_detailed(client=client, **arguments))
        return answers

    for operation, response in zip(operations, asyncio.run(send()), strict=True):
        _assert_parsed(operation, response)
    assert [exchange.status for exchange in recorder.exchanges] == [200] * len(operations)
    assert not any(exchange.violations for exchange in recorder.exchanges)


# -- the judge itself --------------------------------------------------------------------------


def _forbidden(operation_id: str, headers: dict[str, str], body: Any, status: int, at: str) -> Any:
    operation = _BY_ID[operation_id]
    return pytest.param(operation, headers, body, status, at, id=f"{operation.test_id}-{at}")


_KEY = {"Api-Key": CONTRACT_KEY}
FORBIDDEN = [
    _forbidden(
        "create_riff",
        _KEY,
        {"prompts": [{"text": "x"}], "audio_format": "ogg"},
        422,
        "request.body.audio_format",
    ),
    _forbidden("create_riff", _KEY, {"prompts": [{"text": 1}]}, 422, "request.body.prompts.0.text"),
    _forbidden("create_riff", _KEY, {"lyrics": "no prompts"}, 422, "request.body"),
    _forbidden("create_riff", _KEY, {"prompts": [], "seed": 1.5}, 422, "request.body.seed"),
    _forbidden("create_riff", {}, {"prompts": [{"text": "x"}]}, 401, "request"),
    _forbidden(
        "prompt", _KEY, {"prompt": "x", "audio_format": "wav"}, 422, "request.body.audio_format"
    ),
    _forbidden(
        "prompt", _KEY, {"prompt": "x", "instrumental": "yes"}, 422, "request.body.instrumental"
    ),
    _forbidden(
        "compose",
        _KEY,
        {"sound_prompts": [{"text": "x", "strength": 2}]},
        422,
        "request.body.sound_prompts.0.strength",
    ),
    _forbidden(
        "compose",
        _KEY,
        {"sound_prompts": [], "lyrics_strength": 1.5},
        422,
        "request.body.lyrics_strength",
    ),
    _forbidden(
        "compose", _KEY, {"sound_prompts": [], "weirdness": -0.1}, 422, "request.body.weirdness"
    ),
    _forbidden("compose", _KEY, {"lyrics": "no sound prompts"}, 422, "request.body"),
    _forbidden("compose", {}, {"sound_prompts": []}, 401, "request"),
    _forbidden("list_models", {}, None, 401, "request"),
]


@pytest.mark.parametrize(("operation", "headers", "body", "status", "location"), FORBIDDEN)
def test_prism_rejects_what_the_spec_forbids(
    operation: Operation,
    prism: PrismPool,
    headers: dict[str, str],
    body: Any,
    status: int,
    location: str,
) -> None:
    """Prism is a real judge: a request the spec forbids gets a 4xx and a named violation."""
    mock = prism.mock(operation.document)
    response = httpx.request(
        operation.method.upper(),
        f"{mock.url}{operation.path}",
        json=body,
        headers=headers,
        timeout=30,
    )
    violations = parse_violations(response.headers.get("sl-violations"))
    assert response.status_code == status
    assert any(violation.location == location for violation in violations), violations


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_spec_paths_match_the_clients(document: SpecDocument) -> None:
    """The matrix covers every operation of the document, and every field of its body; each
    call fits the body's schema; and the facade has a method for each operation."""
    import riff_api
    from riff_api._operations import endpoint_methods

    for cls in (riff_api.Riffusion, riff_api.AsyncRiffusion):
        unsent = {op.operation_id for op in document.operations()} - set(endpoint_methods(cls))
        assert not unsent, f"{cls.__name__} has no method for {sorted(unsent)}"
    for operation in document.operations():
        calls = CALLS.get(operation.operation_id)
        assert calls, f"the matrix has no calls for {operation.label}"
        if operation.body_schema_pointer is None:
            assert all(call == {} for call in calls.values()), f"{operation.label} takes nothing"
            continue
        validator = document.validator_for(operation.body_schema_pointer)
        unfit = [name for name, call in calls.items() if not validator.is_valid(call)]
        assert not unfit, f"calls of {operation.label} that do not fit its body: {unfit}"
        unsent_fields = operation.body_fields - set().union(*calls.values())
        assert not unsent_fields, (
            f"no call of the matrix sends {sorted(unsent_fields)} to {operation.label}"
        )
