"""The HTTP surface: statuses, Error bodies, headers, the spec route, the spec check."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from riff_api.emulator import MODERATION_BLOCKLIST, EmulatorSettings, SpecMismatchError, create_app
from riff_api_generated import gen1 as riff_api_generated
from riff_api_generated.gen1.models import Error, RiffResponse

from .conftest import BASE_URL, KEY, MakeClient


def assert_error(response: httpx.Response, status: int, code: str) -> Error:
    """The answer is ``status`` with a spec ``Error`` body of ``code`` and a request id."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"]
    error = Error.model_validate_json(response.content)
    assert error.code == code
    assert error.message
    return error


def test_riff_answers_a_valid_song(client: TestClient) -> None:
    answer = client.post("/riff", json={"prompts": [{"text": "jazz"}]}, headers=KEY)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert len(answer.headers["x-request-id"]) == 32
    song = RiffResponse.model_validate_json(answer.content)
    assert song.lyrics is None
    assert song.timestamped_lyrics is None
    assert set(answer.json()) == {"id", "audio_b64", "lyrics", "timestamped_lyrics", "prompts"}


def test_request_ids_are_unique(client: TestClient) -> None:
    ids = {client.post("/riff", json={}, headers=KEY).headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


@pytest.mark.parametrize(
    "headers", [{}, {"Api-Key": ""}, {"Api-Key": "   "}], ids=["absent", "empty", "blank"]
)
def test_missing_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    error = assert_error(
        client.post("/riff", json={"prompts": []}, headers=headers), 401, "unauthorized"
    )
    assert "Missing" in error.message


def test_unknown_key_is_401_when_keys_are_configured(make_client: MakeClient) -> None:
    client = make_client(api_keys=frozenset({"good"}))
    assert_error(
        client.post("/topic", json={"topic": "x"}, headers={"Api-Key": "bad"}), 401, "unauthorized"
    )
    assert (
        client.post("/riff", json={"prompts": []}, headers={"Api-Key": "good"}).status_code == 200
    )


def test_auth_comes_before_the_body(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=10)
    # Neither the broken JSON nor the size matters before the key does.
    assert_error(client.post("/riff", content=b"{" * 100), 401, "unauthorized")


def test_malformed_json_is_400(client: TestClient) -> None:
    for body in (b"{", b"", b"\xff\xfe", b'{"prompts": [NaN]', b"[" * 10_000):
        assert_error(client.post("/riff", content=body, headers=KEY), 400, "invalid_json")


def test_schema_violations_are_422_with_field_detail(client: TestClient) -> None:
    answer = client.post(
        "/riff",
        json={"prompts": [{"text": "a", "strength": "loud"}, {}], "audio_format": "ogg"},
        headers=KEY,
    )
    error = assert_error(answer, 422, "validation_error")
    assert error.detail is not None
    locs = {tuple(d.loc) for d in error.detail}
    assert locs == {
        ("body", "prompts", 0, "strength"),
        ("body", "prompts", 1, "text"),
        ("body", "audio_format"),
    }
    assert {d.type for d in error.detail} == {"float_type", "missing", "literal_error"}


@pytest.mark.parametrize("body", [[], "text", 3, None, True], ids=repr)
def test_json_that_is_not_an_object_is_422(client: TestClient, body: Any) -> None:
    error = assert_error(
        client.post("/riff", content=json.dumps(body), headers=KEY), 422, "validation_error"
    )
    assert error.detail is not None
    assert error.detail[0].loc == ["body"]


def test_non_finite_numbers_are_422(client: TestClient) -> None:
    body = b'{"prompts": [{"text": "a", "start_s": 1e999, "end_s": -1e999}]}'
    error = assert_error(client.post("/riff", content=body, headers=KEY), 422, "validation_error")
    assert error.detail is not None
    assert [d.loc[-1] for d in error.detail] == ["start_s", "end_s"]
    assert {d.type for d in error.detail} == {"finite_number"}


def test_a_strength_outside_the_spec_range_is_422(client: TestClient) -> None:
    body = b'{"prompts": [{"text": "a", "strength": 1e999}, {"text": "b", "strength": -4}]}'
    error = assert_error(client.post("/riff", content=body, headers=KEY), 422, "validation_error")
    assert error.detail is not None
    assert [d.loc[-2:] for d in error.detail] == [[0, "strength"], [1, "strength"]]


def test_topic_validation_is_422(client: TestClient) -> None:
    error = assert_error(
        client.post("/topic", json={"audio_format": "mp3"}, headers=KEY), 422, "validation_error"
    )
    assert error.detail is not None
    assert error.detail[0].loc == ["body", "topic"]


def test_body_over_the_limit_is_413(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=1000)
    big = json.dumps({"prompts": [], "lyrics": "la " * 1000}).encode()
    assert_error(client.post("/riff", content=big, headers=KEY), 413, "request_too_large")


def test_body_over_the_limit_is_413_without_content_length(make_client: MakeClient) -> None:
    client = make_client(max_body_bytes=1000)

    def chunks() -> Any:
        yield b'{"prompts": [], "lyrics": "'
        for _ in range(100):
            yield b"la " * 10
        yield b'"}'

    # A generator body is sent chunked, so only the streamed size can tell.
    assert_error(client.post("/riff", content=chunks(), headers=KEY), 413, "request_too_large")


def test_default_limit_is_one_mebibyte(client: TestClient) -> None:
    big = b'{"prompts": [], "lyrics": "' + b"a" * (1 << 20) + b'"}'
    error = assert_error(client.post("/riff", content=big, headers=KEY), 413, "request_too_large")
    assert "1048576" in error.message


def test_unknown_path_is_404(client: TestClient) -> None:
    for path in ("/nope", "/riff/", "/v2/riff", "http://127.0.0.1/riff"):
        assert_error(client.post(path, json={}, headers=KEY), 404, "not_found")


def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    for method in ("GET", "PUT", "DELETE", "PATCH"):
        answer = client.request(method, "/riff", headers=KEY)
        assert_error(answer, 405, "method_not_allowed")
        assert answer.headers["allow"] == "POST"
    answer = client.post("http://127.0.0.1/openapi.yaml")
    assert_error(answer, 405, "method_not_allowed")
    assert "GET" in answer.headers["allow"]


@pytest.mark.parametrize("word", sorted(MODERATION_BLOCKLIST))
def test_blocklisted_words_are_refused_in_lyrics(client: TestClient, word: str) -> None:
    body = {"prompts": [], "lyrics": f"[Verse]\nwell {word.upper()}!"}
    error = assert_error(client.post("/riff", json=body, headers=KEY), 400, "moderation")
    assert "lyrics" in error.message


def test_moderation_checks_prompts_and_topics(client: TestClient) -> None:
    riff = {"prompts": [{"text": "nazi punk"}]}
    assert_error(client.post("/riff", json=riff, headers=KEY), 400, "moderation")
    assert_error(
        client.post("/topic", json={"topic": "a shit song"}, headers=KEY), 400, "moderation"
    )


def test_moderation_matches_whole_words_only_and_can_be_off(client: TestClient) -> None:
    innocent = {"prompts": [{"text": "shitake jazz"}], "lyrics": "Nazareth and Scunthorpe"}
    assert client.post("/riff", json=innocent, headers=KEY).status_code == 200
    rude = {"prompts": [{"text": "punk"}], "lyrics": "oh shit", "moderate_inputs": False}
    assert client.post("/riff", json=rude, headers=KEY).status_code == 200


def test_spec_is_served_outside_v1(client: TestClient) -> None:
    answer = client.get("http://127.0.0.1/openapi.yaml")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/yaml")
    assert answer.headers["x-request-id"]
    assert hashlib.sha256(answer.content).hexdigest() == riff_api_generated.SPEC_SHA256
    assert_error(client.get("/openapi.yaml"), 404, "not_found")


def test_app_refuses_to_start_on_a_spec_mismatch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(riff_api_generated, "SPEC_SHA256", "0" * 64)
    with pytest.raises(SpecMismatchError, match="scripts/regenerate"):
        create_app()


def test_an_unexpected_failure_is_a_json_500_with_a_request_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from riff_api.emulator import _routes

    def broken(*args: object) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(_routes, "riff_payload", broken)
    with TestClient(create_app(), base_url=BASE_URL, raise_server_exceptions=False) as client:
        assert_error(client.post("/riff", json={"prompts": []}, headers=KEY), 500, "internal_error")


async def test_a_slow_song_does_not_block_other_requests() -> None:
    app = create_app(EmulatorSettings(duration_s=60.0))
    transport = httpx.ASGITransport(app=app)
    finished: list[str] = []
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=KEY) as client:

        async def slow() -> None:
            answer = await client.post("/riff", json={"prompts": [], "audio_format": "mp3"})
            assert answer.status_code == 200
            finished.append("slow")

        async def quick() -> None:
            await asyncio.sleep(0.05)  # let the slow one start rendering first
            for _ in range(5):
                assert (await client.post("/riff", json={})).status_code == 422
            finished.append("quick")

        await asyncio.gather(slow(), quick())
    assert finished == ["quick", "slow"]


def test_importing_without_the_extra_names_it() -> None:
    probe = (
        "import sys; sys.modules['av'] = None\n"
        "try:\n    import riff_api.emulator\n"
        "except ImportError as exc:\n    print(exc)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    distribution = tomllib.loads(pyproject.read_text())["project"]["name"]
    assert (
        run.stdout.strip()
        == f"the emulator needs the extra: pip install '{distribution}[emulator]'"
    )
