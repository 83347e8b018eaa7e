"""The module API is the official riff-api 0.1.5 surface: names, parameters and defaults."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import httpx
import pytest

import riff_api
from riff_api import _module_api
from tests.conftest import API_KEY, Recorder, ok, song_body, wav_bytes

# From the reference (shared/reference/api.md, "The official client's Python surface").
OFFICIAL_FUNCTIONS = {
    "create": [
        ("prompts", inspect.Parameter.empty),
        ("lyrics", None),
        ("seed", None),
        ("audio_format", "wav"),
        ("moderate_inputs", False),
        ("api_key", None),
        ("save_to", None),
    ],
    "create_from_request": [
        ("request", inspect.Parameter.empty),
        ("api_key", None),
        ("save_to", None),
    ],
    "create_from_topic": [
        ("topic", inspect.Parameter.empty),
        ("audio_format", "wav"),
        ("api_key", None),
        ("save_to", None),
    ],
    "save_audio": [
        ("response", inspect.Parameter.empty),
        ("filename", inspect.Parameter.empty),
    ],
}
OFFICIAL_MODELS = ["Prompt", "RiffRequest", "RiffResponse", "TimestampedWord", "TopicRequest"]


@pytest.mark.parametrize("name", sorted(OFFICIAL_FUNCTIONS))
def test_function_signature_matches_official(name: str) -> None:
    signature = inspect.signature(getattr(riff_api, name))
    params = list(signature.parameters.values())
    assert [(p.name, p.default) for p in params] == OFFICIAL_FUNCTIONS[name]
    # positional-or-keyword, as in the official client, so positional calls keep working
    assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)


def test_models_are_pydantic_v2_and_exported() -> None:
    import pydantic

    for name in OFFICIAL_MODELS:
        model = getattr(riff_api, name)
        assert issubclass(model, pydantic.BaseModel), name
        assert name in riff_api.__all__
    assert riff_api.RiffRequest(prompts=[]).moderate_inputs is True
    assert riff_api.Prompt(text="x").model_dump() == {
        "text": "x",
        "strength": 4.0,
        "start_s": 0.0,
        "end_s": 30.0,
    }


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Point the module API at a MockTransport by the public hook riff_api.testing uses."""
    recorder = Recorder(ok)
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    client = riff_api.Riffusion(api_key=API_KEY, base_url="https://x.test/v1", http_client=http)
    previous = _module_api.use_default_client(client)
    yield recorder
    _module_api.use_default_client(previous)
    http.close()


def test_create_sends_official_defaults(served: Recorder, tmp_path: Path) -> None:
    song = riff_api.create([riff_api.Prompt(text="chillstep pop")], save_to=str(tmp_path / "o.wav"))
    body = json.loads(served.requests[0].content)
    assert body["moderate_inputs"] is False
    assert body["lyrics"] is None
    assert body["audio_format"] == "wav"
    assert (tmp_path / "o.wav").read_bytes() == song.audio_bytes == wav_bytes()


def test_positional_calls_like_the_official_examples(served: Recorder) -> None:
    riff_api.create([riff_api.Prompt(text="a")], "words", 7, "mp3", True)
    riff_api.create_from_topic("Boris", "m4a")
    riff_api.create_from_request(riff_api.RiffRequest(prompts=[riff_api.Prompt(text="b")]))
    first, second, third = (json.loads(r.content) for r in served.requests)
    assert (first["lyrics"], first["seed"], first["audio_format"]) == ("words", 7, "mp3")
    assert first["moderate_inputs"] is True
    assert second == {"topic": "Boris", "audio_format": "m4a"}
    assert third["prompts"][0]["text"] == "b"


def test_save_to_mismatch_is_value_error_not_assert(served: Recorder) -> None:
    with pytest.raises(ValueError, match="mp3"):
        riff_api.create([riff_api.Prompt(text="a")], audio_format="mp3", save_to="out.wav")
    with pytest.raises(ValueError, match="wav"):
        riff_api.create_from_topic("x", save_to="out.m4a")
    assert served.calls == 0


def test_environment_is_read_at_call_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((str(request.url), request.headers["Api-Key"]))
        return ok(request)

    real_client = httpx.Client
    monkeypatch.setattr(
        httpx,
        "Client",
        lambda **kw: real_client(**{**kw, "transport": httpx.MockTransport(handler)}),
    )
    monkeypatch.setenv("RIFFUSION_API_KEY", "key-one")
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", "https://one.test/v1")
    riff_api.create_from_topic("a")
    riff_api.create_from_topic("b")
    first_client = _module_api._default
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", "https://two.test/v1")
    monkeypatch.setenv("RIFFUSION_API_KEY", "key-two")
    riff_api.create_from_topic("c")
    riff_api.create_from_topic("d", api_key="key-three")
    assert seen == [
        ("https://one.test/v1/topic", "key-one"),
        ("https://one.test/v1/topic", "key-one"),
        ("https://two.test/v1/topic", "key-two"),
        ("https://two.test/v1/topic", "key-three"),
    ]
    assert first_client is not None
    assert first_client._http.is_closed  # replaced clients do not leak their pools


def test_module_api_reuses_one_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIFFUSION_API_KEY", API_KEY)
    first = _module_api._client(None)
    assert _module_api._client(None) is first


def test_moderation_defaults_are_said_and_kept_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """create() sends moderate_inputs=False (0.1.5's default); the client classes send nothing,
    so the service's default (on) applies; the README's table says both (issue 13, item 6)."""
    sent: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=song_body())

    client = riff_api.Riffusion(
        api_key="k",
        base_url="https://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    previous = _module_api.use_default_client(client)
    try:
        riff_api.create([riff_api.Prompt(text="x")])
        client.riff(["x"])
    finally:
        _module_api.use_default_client(previous)
    assert sent[0]["moderate_inputs"] is False
    assert "moderate_inputs" not in sent[1]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "`moderate_inputs=False` by default in `create()`" in readme
