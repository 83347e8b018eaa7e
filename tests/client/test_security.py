"""The key: required before any request, never shown, never sent in clear to another host."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

import riff_api
from riff_api._logging import setup_logging
from tests.conftest import API_KEY, Recorder, ok


def test_key_is_sent_in_the_api_key_header(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    make_client(recorder).riff(["x"])
    assert recorder.requests[0].headers["Api-Key"] == API_KEY


def test_missing_key_fails_before_any_request() -> None:
    with pytest.raises(riff_api.MissingAPIKeyError, match="RIFFUSION_API_KEY"):
        riff_api.Riffusion()
    with pytest.raises(ValueError, match="RIFFUSION_API_KEY"):
        riff_api.AsyncRiffusion(api_key="  ")
    with pytest.raises(riff_api.MissingAPIKeyError):
        riff_api.create_from_topic("a song")


def test_key_with_a_line_break_is_refused() -> None:
    with pytest.raises(riff_api.MissingAPIKeyError) as caught:
        riff_api.Riffusion(api_key=API_KEY + "\n")
    assert API_KEY not in str(caught.value)


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIFFUSION_API_KEY", API_KEY)
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", "http://127.0.0.1:9/v1/")
    client = riff_api.Riffusion()
    assert client._api_key == API_KEY
    assert client.base_url == "http://127.0.0.1:9/v1"
    client.close()


def test_key_never_in_repr_or_str() -> None:
    for cls in (riff_api.Riffusion, riff_api.AsyncRiffusion):
        client = cls(api_key=API_KEY)
        assert API_KEY not in repr(client)
        assert API_KEY[-6:] not in repr(client)
        assert API_KEY not in str(vars(client).get("base_url"))


def test_key_never_in_errors(make_client: Callable[..., riff_api.Riffusion]) -> None:
    answers: list[httpx.Response | Exception] = [
        httpx.Response(401, json={"code": "unauthorized", "message": "bad key"}),
        httpx.Response(500, text="boom"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, text="not json"),
    ]
    for answer in answers:
        with pytest.raises(riff_api.APIError) as caught:
            make_client(Recorder(answer), max_retries=0).riff(["x"])
        error = caught.value
        for text in (str(error), repr(error), repr(error.request), str(error.args)):
            assert API_KEY not in text


def test_key_never_in_logs(
    make_client: Callable[..., riff_api.Riffusion],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RIFF_API_LOG", "debug")
    setup_logging()
    logger = logging.getLogger("riff_api")
    try:
        with caplog.at_level(logging.DEBUG):
            recorder = Recorder(httpx.Response(503, text="busy"), ok)
            make_client(recorder).riff(["x"])
        assert any("retry 1" in r.getMessage() for r in caplog.records)
        assert any("-> 200" in r.getMessage() for r in caplog.records)
        assert all(API_KEY not in r.getMessage() for r in caplog.records)
    finally:
        for handler in [h for h in logger.handlers if getattr(h, "_riff_api", False)]:
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_logging_is_off_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIFF_API_LOG", "")
    setup_logging()
    assert not any(getattr(h, "_riff_api", False) for h in logging.getLogger("riff_api").handlers)


@pytest.mark.parametrize(
    "url",
    ["http://backend.riffusion.com/v1", "http://10.0.0.5:8000/v1", "http://[2001:db8::1]/v1"],
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    with pytest.raises(riff_api.InsecureTransportError, match="plain http") as caught:
        riff_api.Riffusion(api_key=API_KEY, base_url=url)
    assert API_KEY not in str(caught.value)
    allowed = riff_api.Riffusion(api_key=API_KEY, base_url=url, allow_insecure_http=True)
    assert allowed.base_url == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/v1",
        "http://localhost/v1",
        "http://[::1]:8080/v1",
        "http://127.9.9.9/v1",
    ],
)
def test_plain_http_to_this_machine_is_fine(url: str) -> None:
    assert riff_api.Riffusion(api_key=API_KEY, base_url=url).base_url == url.rstrip("/")


@pytest.mark.parametrize("url", ["ftp://x/v1", "not a url", "https://"])
def test_bad_base_url_is_a_value_error(url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        riff_api.Riffusion(api_key=API_KEY, base_url=url)


@pytest.mark.parametrize("bad", [-1, 1.5, "2", True])
def test_bad_max_retries_is_a_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="max_retries"):
        riff_api.Riffusion(api_key=API_KEY, max_retries=bad)  # type: ignore[arg-type]
