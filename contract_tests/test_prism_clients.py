"""Our clients, judged by an independent peer: every kind of request they send must pass Prism.

``prism mock`` validates each request against the spec before answering: a 4xx, an
``sl-violations`` header or a "Violation" in its log means our client sent something the spec
forbids. The facade (sync, async, module functions) and the generated low-level client each send
the whole matrix: topic in each format, riff with and without lyrics, with a seed, several
prompts, each format, moderation off. Each body is also validated against the spec here, and
checked to carry the values the caller gave.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from contract_tests._emulator import CONTRACT_KEY
from contract_tests._matrix import RIFF_CALLS, TOPIC_CALLS
from contract_tests._prism import PrismServer, Violation, parse_violations
from contract_tests._spec import load_spec, operations, pointer, resolve, validator_for


def _body_schema(path: str) -> str:
    return pointer("paths", path, "post", "requestBody", "content", "application/json", "schema")


@dataclass
class Exchange:
    method: str
    path: str
    body: Any
    status: int
    violations: list[Violation]


@dataclass
class Recorder:
    """httpx event hooks that keep what was sent and what Prism said about it."""

    exchanges: list[Exchange] = field(default_factory=list)

    def on_response(self, response: httpx.Response) -> None:
        request = response.request
        self.exchanges.append(
            Exchange(
                request.method,
                request.url.path,
                json.loads(request.content) if request.content else None,
                response.status_code,
                parse_violations(response.headers.get("sl-violations")),
            )
        )

    async def on_response_async(self, response: httpx.Response) -> None:
        self.on_response(response)

    def sync_client(self) -> httpx.Client:
        return httpx.Client(event_hooks={"response": [self.on_response]}, timeout=30)

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"response": [self.on_response_async]}, timeout=30)


def _judge(
    prism: PrismServer, recorder: Recorder, log_offset: int, path: str, sent: dict[str, Any]
) -> None:
    """One request went to ``path``; Prism accepted it, and it says what the caller asked."""
    assert len(recorder.exchanges) == 1, f"expected one request, saw {recorder.exchanges}"
    exchange = recorder.exchanges[0]
    assert exchange.method == "POST"
    assert exchange.path == path
    assert 200 <= exchange.status < 300, f"Prism answered {exchange.status}: {exchange.violations}"
    assert not exchange.violations, f"Prism found violations: {exchange.violations}"
    logged = prism.violations_since(log_offset)
    assert not logged, f"Prism logged violations: {logged}"
    schema_errors = [
        error.message for error in validator_for(_body_schema(path)).iter_errors(exchange.body)
    ]
    assert not schema_errors, f"the body {exchange.body} does not fit the spec: {schema_errors}"
    _assert_carries(exchange.body, sent)


def _assert_carries(body: dict[str, Any], sent: dict[str, Any]) -> None:
    """Every value the caller gave is in the body as given (prompt fields as floats are equal)."""
    for name, value in sent.items():
        if name == "prompts":
            assert len(body["prompts"]) == len(value)
            for wire, given in zip(body["prompts"], value, strict=True):
                assert {key: wire[key] for key in given} == given
        elif value is None:
            assert body.get(name) is None
        else:
            assert body[name] == value, f"{name}: sent {body.get(name)!r}, asked {value!r}"


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


# -- the facade ----------------------------------------------------------------------------------


@pytest.fixture
def facade(prism_mock: PrismServer, recorder: Recorder) -> Iterator[Any]:
    import riff_api

    with (
        recorder.sync_client() as http,
        riff_api.Riffusion(
            api_key=CONTRACT_KEY, base_url=prism_mock.url, max_retries=0, http_client=http
        ) as client,
    ):
        yield client


@pytest.mark.parametrize("call", TOPIC_CALLS, ids=str)
def test_facade_topic(call: str, facade: Any, prism_mock: PrismServer, recorder: Recorder) -> None:
    offset = prism_mock.log_offset()
    song = facade.topic(**TOPIC_CALLS[call])
    assert song.audio_bytes
    _judge(prism_mock, recorder, offset, "/topic", TOPIC_CALLS[call])


@pytest.mark.parametrize("call", RIFF_CALLS, ids=str)
def test_facade_riff(call: str, facade: Any, prism_mock: PrismServer, recorder: Recorder) -> None:
    offset = prism_mock.log_offset()
    song = facade.riff(**RIFF_CALLS[call])
    assert song.prompts
    _judge(prism_mock, recorder, offset, "/riff", RIFF_CALLS[call])


def test_facade_riff_accepts_prompt_text_and_models(
    facade: Any, prism_mock: PrismServer, recorder: Recorder
) -> None:
    import riff_api

    offset = prism_mock.log_offset()
    facade.riff(["lo-fi piano", riff_api.Prompt(text="cellos", strength=3.0)], lyrics="la")
    sent = {
        "prompts": [{"text": "lo-fi piano"}, {"text": "cellos", "strength": 3.0}],
        "lyrics": "la",
    }
    _judge(prism_mock, recorder, offset, "/riff", sent)


def test_async_facade(prism_mock: PrismServer) -> None:
    """AsyncRiffusion sends the whole matrix too (in its own event loop, one call at a time)."""
    import riff_api

    async def send_all() -> list[tuple[str, Recorder, int, dict[str, Any]]]:
        done = []
        for path, calls in (("/topic", TOPIC_CALLS), ("/riff", RIFF_CALLS)):
            for name, sent in calls.items():
                recorder = Recorder()
                offset = prism_mock.log_offset()
                async with (
                    recorder.async_client() as http,
                    riff_api.AsyncRiffusion(
                        api_key=CONTRACT_KEY,
                        base_url=prism_mock.url,
                        max_retries=0,
                        http_client=http,
                    ) as client,
                ):
                    if path == "/topic":
                        await client.topic(**sent)
                    else:
                        await client.riff(**sent)
                done.append((f"{path} {name}", recorder, offset, sent))
        return done

    for name, recorder, offset, sent in asyncio.run(send_all()):
        path = name.split()[0]
        try:
            _judge(prism_mock, recorder, offset, path, sent)
        except AssertionError as error:
            raise AssertionError(f"{name}: {error}") from error


def test_module_functions(prism_mock: PrismServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """create, create_from_topic and create_from_request, configured by the environment only."""
    import riff_api

    monkeypatch.setenv("RIFFUSION_API_KEY", CONTRACT_KEY)
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", prism_mock.url)
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
        offset = prism_mock.log_offset()
        song = call()
        assert song.id, f"{name}: no song id"
        logged = prism_mock.violations_since(offset)
        assert not logged, f"{name}: Prism logged violations: {logged}"


# -- the generated low-level client ---------------------------------------------------------------


def _generated_riff_request(sent: dict[str, Any]) -> Any:
    from riff_api_generated.gen1.client.models import Prompt, RiffRequest, RiffRequestAudioFormat

    kwargs = dict(sent)
    kwargs["prompts"] = [Prompt(**prompt) for prompt in sent["prompts"]]
    if "audio_format" in kwargs:
        kwargs["audio_format"] = RiffRequestAudioFormat(kwargs["audio_format"])
    return RiffRequest(**kwargs)


def _generated_topic_request(sent: dict[str, Any]) -> Any:
    from riff_api_generated.gen1.client.models import TopicRequest, TopicRequestAudioFormat

    kwargs = dict(sent)
    if "audio_format" in kwargs:
        kwargs["audio_format"] = TopicRequestAudioFormat(kwargs["audio_format"])
    return TopicRequest(**kwargs)


def _generated_client(prism: PrismServer, recorder: Recorder, **extra: Any) -> Any:
    from riff_api_generated.gen1.client import AuthenticatedClient

    return AuthenticatedClient(
        base_url=prism.url,
        token=CONTRACT_KEY,
        prefix="",
        auth_header_name="Api-Key",
        raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"response": [recorder.on_response]}, **extra},
    )


@pytest.mark.parametrize(
    ("path", "call"),
    [("/topic", name) for name in TOPIC_CALLS] + [("/riff", name) for name in RIFF_CALLS],
    ids=lambda value: value.strip("/"),
)
def test_generated_client(
    path: str, call: str, prism_mock: PrismServer, recorder: Recorder
) -> None:
    from riff_api_generated.gen1.client.api.music import create_from_topic, create_riff
    from riff_api_generated.gen1.client.models import RiffResponse

    offset = prism_mock.log_offset()
    with _generated_client(prism_mock, recorder) as client:
        if path == "/topic":
            sent = TOPIC_CALLS[call]
            response = create_from_topic.sync_detailed(
                client=client, body=_generated_topic_request(sent)
            )
        else:
            sent = RIFF_CALLS[call]
            response = create_riff.sync_detailed(client=client, body=_generated_riff_request(sent))
    assert response.status_code == 200, response.content
    assert isinstance(response.parsed, RiffResponse)
    _judge(prism_mock, recorder, offset, path, sent)


def test_generated_client_async(prism_mock: PrismServer) -> None:
    from riff_api_generated.gen1.client import AuthenticatedClient
    from riff_api_generated.gen1.client.api.music import create_from_topic, create_riff

    recorder = Recorder()

    async def send() -> tuple[int, int]:
        client = AuthenticatedClient(
            base_url=prism_mock.url,
            token=CONTRACT_KEY,
            prefix="",
            auth_header_name="Api-Key",
            httpx_args={"event_hooks": {"response": [recorder.on_response_async]}},
        )
        async with client:
            topic = await create_from_topic.asyncio_detailed(
                client=client, body=_generated_topic_request(TOPIC_CALLS["mp3"])
            )
            riff = await create_riff.asyncio_detailed(
                client=client, body=_generated_riff_request(RIFF_CALLS["transition"])
            )
        return int(topic.status_code), int(riff.status_code)

    assert asyncio.run(send()) == (200, 200)
    assert [exchange.status for exchange in recorder.exchanges] == [200, 200]
    assert not any(exchange.violations for exchange in recorder.exchanges)


# -- the judge itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "body", "status", "location"),
    [
        (
            {"Api-Key": CONTRACT_KEY},
            {"prompts": [{"text": "x"}], "audio_format": "ogg"},
            422,
            "request.body.audio_format",
        ),
        ({"Api-Key": CONTRACT_KEY}, {"prompts": [{"text": 1}]}, 422, "request.body.prompts.0.text"),
        ({"Api-Key": CONTRACT_KEY}, {"lyrics": "no prompts"}, 422, "request.body"),
        ({"Api-Key": CONTRACT_KEY}, {"prompts": [], "seed": 1.5}, 422, "request.body.seed"),
        ({}, {"prompts": [{"text": "x"}]}, 401, "request"),
    ],
    ids=["bad-format", "prompt-text-not-string", "no-prompts", "fractional-seed", "no-key"],
)
def test_prism_rejects_what_the_spec_forbids(
    prism_mock: PrismServer, headers: dict[str, str], body: Any, status: int, location: str
) -> None:
    """Prism is a real judge: a request the spec forbids gets a 4xx and a named violation."""
    response = httpx.post(f"{prism_mock.url}/riff", json=body, headers=headers, timeout=30)
    violations = parse_violations(response.headers.get("sl-violations"))
    assert response.status_code == status
    assert any(violation.location == location for violation in violations), violations


def test_spec_paths_match_the_clients() -> None:
    """The matrix above covers every operation of the spec, and every field of its body."""
    calls = [*TOPIC_CALLS.values(), *RIFF_CALLS.values()]
    for operation in operations():
        body = load_spec()["paths"][operation.path][operation.method].get("requestBody")
        assert body, f"the matrix has no calls for {operation.label} (it takes no body)"
        schema = pointer("paths", operation.path, operation.method, "requestBody", "content")
        validator = validator_for(schema + pointer("application/json", "schema"))
        fitting = [call for call in calls if validator.is_valid(call)]
        assert fitting, f"the matrix sends nothing that {operation.label} accepts"
        fields = set(resolve(body["content"]["application/json"]["schema"])["properties"])
        unsent = fields - set().union(*fitting)
        assert not unsent, f"no call of the matrix sends {sorted(unsent)} to {operation.label}"
