"""Every non-2xx status becomes the right typed error, with the service's words in it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

import riff_api
from tests.conftest import Recorder

CASES = [
    (400, riff_api.BadRequestError),
    (401, riff_api.AuthenticationError),
    (403, riff_api.PermissionDeniedError),
    (404, riff_api.NotFoundError),
    (405, riff_api.APIStatusError),
    (413, riff_api.RequestTooLargeError),
    (418, riff_api.APIStatusError),
    (422, riff_api.UnprocessableEntityError),
    (429, riff_api.RateLimitError),
    (500, riff_api.InternalServerError),
    (502, riff_api.InternalServerError),
    (503, riff_api.InternalServerError),
    (520, riff_api.InternalServerError),
    (529, riff_api.InternalServerError),
    (599, riff_api.InternalServerError),
]


@pytest.mark.parametrize(("status", "error_type"), CASES)
def test_status_maps_to_error(
    make_client: Callable[..., riff_api.Riffusion],
    status: int,
    error_type: type[riff_api.APIStatusError],
) -> None:
    body = {"code": "some_code", "message": f"the service says {status}", "detail": None}
    recorder = Recorder(httpx.Response(status, json=body, headers={"X-Request-Id": "req-42"}))
    client = make_client(recorder, max_retries=0)

    with pytest.raises(error_type) as caught:
        client.riff(["lo-fi"])

    error = caught.value
    assert type(error) is error_type
    assert isinstance(error, riff_api.APIStatusError)
    assert error.status_code == status
    assert error.body == body
    assert error.code == "some_code"
    assert error.request_id == "req-42"
    assert error.response.status_code == status
    assert error.request.url == "https://api.riff.test/v1/riff"
    assert f"the service says {status}" in str(error)
    assert "req-42" in str(error)


@pytest.mark.parametrize(
    ("content", "expected_body", "expected_in_message"),
    [
        (b"<html>Bad Gateway</html>", "<html>Bad Gateway</html>", "Bad Gateway"),
        (b"", "", "(empty body)"),
        (b'{"unexpected": true}', {"unexpected": True}, '{"unexpected": true}'),
        (b"\xff\xfe not utf-8", "\ufffd\ufffd not utf-8", "not utf-8"),
    ],
)
def test_undocumented_error_bodies_never_crash(
    make_client: Callable[..., riff_api.Riffusion],
    content: bytes,
    expected_body: object,
    expected_in_message: str,
) -> None:
    client = make_client(Recorder(httpx.Response(400, content=content)), max_retries=0)
    with pytest.raises(riff_api.BadRequestError) as caught:
        client.topic("a song")
    assert caught.value.body == expected_body
    assert caught.value.code is None
    assert caught.value.request_id is None
    assert expected_in_message in str(caught.value)


def test_validation_error_lists_fields(make_client: Callable[..., riff_api.Riffusion]) -> None:
    detail = [{"loc": ["body", "prompts"], "msg": "Field required", "type": "missing"}]
    body = {"code": "validation_error", "message": "bad body", "detail": detail}
    client = make_client(Recorder(httpx.Response(422, json=body)), max_retries=0)
    with pytest.raises(riff_api.UnprocessableEntityError) as caught:
        client.riff(["x"])
    assert caught.value.detail == detail


def test_rate_limit_error_exposes_retry_after(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    answer = httpx.Response(
        429, json={"code": "rate_limited", "message": "slow"}, headers={"Retry-After": "7"}
    )
    client = make_client(Recorder(answer), max_retries=0)
    with pytest.raises(riff_api.RateLimitError) as caught:
        client.riff(["x"])
    assert caught.value.retry_after == 7.0


def test_every_error_is_a_riffusion_error() -> None:
    for name in riff_api.__all__:
        obj = getattr(riff_api, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, riff_api.RiffusionError), name
            assert obj.__doc__, f"{name} has no docstring"
