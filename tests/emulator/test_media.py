"""415 for a body that says it is not JSON; every other answer as before."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient

from riff_api.emulator._media import media_type

from .conftest import KEY, MakeClient
from .test_app import assert_error

BODY = json.dumps({"prompts": [{"text": "jazz"}]}).encode()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", "application/ld+json"],
)
@pytest.mark.parametrize("path", ["/riff", "/topic"])
def test_a_body_that_is_not_json_is_415(client: TestClient, path: str, content_type: str) -> None:
    headers = {**KEY, "Content-Type": content_type}
    answer = client.post(path, content=BODY, headers=headers)
    error = assert_error(answer, 415, "unsupported_media_type")
    assert repr(content_type) in error.message


@pytest.mark.parametrize("path", ["/api/v1/prompt", "/api/v1/compose"])
def test_the_second_generation_refuses_them_too(client: TestClient, path: str) -> None:
    body = b'{"prompt": "jazz", "sound_prompts": [{"prompt": "jazz"}]}'
    headers = {**KEY, "Content-Type": "text/plain"}
    answer = client.post(f"http://127.0.0.1{path}", content=body, headers=headers)
    assert_error(answer, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON ;charset=UTF-8"],
)
def test_json_with_or_without_parameters_is_served(client: TestClient, content_type: str) -> None:
    answer = client.post("/riff", content=BODY, headers={**KEY, "Content-Type": content_type})
    assert answer.status_code == 200, answer.text


def test_a_body_without_a_content_type_is_read_as_json(client: TestClient) -> None:
    answer = client.post("/riff", content=BODY, headers=KEY)
    assert "content-type" not in answer.request.headers
    assert answer.status_code == 200, answer.text


def test_the_media_type_is_checked_before_authentication(client: TestClient) -> None:
    answer = client.post("/riff", content=BODY, headers={"Content-Type": "text/plain"})
    assert_error(answer, 415, "unsupported_media_type")


def test_no_body_no_415(client: TestClient) -> None:
    # An empty body is not JSON of another type: it is no JSON at all (400).
    answer = client.post("/riff", content=b"", headers={**KEY, "Content-Type": "text/plain"})
    assert_error(answer, 400, "invalid_json")


def test_unknown_paths_and_methods_keep_their_own_errors(make_client: MakeClient) -> None:
    client = make_client()
    plain = {**KEY, "Content-Type": "text/plain"}
    assert_error(client.post("/nope", content=BODY, headers=plain), 404, "not_found")
    assert_error(client.put("/riff", content=BODY, headers=plain), 405, "method_not_allowed")
    assert client.get("http://127.0.0.1/openapi.yaml", headers=plain).status_code == 200


def test_media_type_drops_parameters_and_case() -> None:
    assert media_type(" Application/JSON ; charset=utf-8") == "application/json"
    assert media_type("") == ""
