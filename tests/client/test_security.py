"""The key: required before any request, never shown, never sent in clear to another host."""

from __future__ import annotations

import logging
import pickle
import re
import socket
from collections.abc import Callable
from typing import NoReturn

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


#: One answer of each kind of error.
ERRORS: list[httpx.Response | Exception] = [
    httpx.Response(401, json={"code": "unauthorized", "message": "bad key"}),
    httpx.Response(500, text="boom"),
    httpx.ConnectError("refused"),
    httpx.ReadTimeout("slow"),
    httpx.Response(200, text="not json"),
]


def test_key_never_in_errors(make_client: Callable[..., riff_api.Riffusion]) -> None:
    for answer in ERRORS:
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


# -- issue 12: the key on errors, malformed keys, names that only claim to be this machine ------


@pytest.mark.parametrize("answer", ERRORS, ids=["401", "500", "refused", "timeout", "not json"])
def test_an_error_keeps_no_key_in_its_request_headers_nor_its_pickle(
    make_client: Callable[..., riff_api.Riffusion], answer: httpx.Response | Exception
) -> None:
    with pytest.raises(riff_api.APIError) as caught:
        make_client(Recorder(answer), max_retries=0).riff(["x"])
    error = caught.value
    assert error.request.headers["Api-Key"] == "[secure]"
    assert API_KEY not in repr(error.request.headers)
    response = getattr(error, "response", None)
    if response is not None:
        assert API_KEY not in repr(response.request.headers)
    pickled = pickle.dumps(error)
    assert API_KEY.encode() not in pickled
    again = pickle.loads(pickled)
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert again.attempts == error.attempts
    assert again.request.url == error.request.url
    assert getattr(again, "status_code", None) == getattr(error, "status_code", None)


def test_the_request_sent_still_carries_the_key(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    recorder = Recorder(httpx.Response(500, text="boom"))
    with pytest.raises(riff_api.InternalServerError):
        make_client(recorder, max_retries=1).riff(["x"])
    assert [r.headers["Api-Key"] for r in recorder.requests] == [API_KEY, API_KEY]


def test_a_key_echoed_by_the_service_is_not_in_the_message(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    echo = httpx.Response(401, json={"message": f"unknown key {API_KEY!r} (b'{API_KEY}')"})
    with pytest.raises(riff_api.AuthenticationError) as caught:
        make_client(Recorder(echo)).riff(["x"])
    assert API_KEY not in str(caught.value)
    assert "[secure]" in str(caught.value)


MALFORMED = {
    "vertical tab": "sk-live\x0b" + API_KEY,
    "nul": "sk-live\x00" + API_KEY,
    "delete": "sk-live\x7f" + API_KEY,
    "tab inside": "sk-live\t" + API_KEY,
    "line break inside": "sk-live\r\n" + API_KEY,
    "non-ASCII": "sk-live\u00e9" + API_KEY,
    "zero-width space": "sk-live\u200b" + API_KEY,
    "blank before": " " + API_KEY,
    "newline after": API_KEY + "\n",
}


@pytest.mark.parametrize("key", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_key_is_refused_before_any_request_without_showing_it(
    key: str, make_client: Callable[..., riff_api.Riffusion]
) -> None:
    recorder = Recorder(ok)
    with pytest.raises(riff_api.MalformedAPIKeyError) as caught:
        make_client(recorder, api_key=key)
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, riff_api.RiffusionError)
    assert recorder.calls == 0
    for text in (str(error), repr(error)):
        assert API_KEY not in text
        assert "sk-live" not in text
    assert "API key" in str(error)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("sk-\x0bkey", "control character (character 4 of 7)"),
        ("sk-\u00e9key", "non-ASCII character (character 4 of 7)"),
        (" sk-key", "blanks"),
    ],
)
def test_the_message_names_the_problem(key: str, problem: str) -> None:
    with pytest.raises(riff_api.MalformedAPIKeyError, match=re.escape(problem)):
        riff_api.AsyncRiffusion(api_key=key)


def test_a_malformed_key_from_the_environment_says_where_it_came_from(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RIFFUSION_API_KEY", "sk-\x0b" + API_KEY)
    with pytest.raises(riff_api.MalformedAPIKeyError, match="RIFFUSION_API_KEY") as caught:
        riff_api.create_from_topic("a song")
    assert API_KEY not in str(caught.value)


def test_inner_spaces_are_a_valid_header_value(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    recorder = Recorder(ok)
    make_client(recorder, api_key="two words").riff(["x"])
    assert recorder.requests[0].headers["Api-Key"] == "two words"


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Host names looked up from now on; none is resolved (this is not the test's business)."""
    looked_up: list[str] = []

    def lookup(host: str, *args: object, **kwargs: object) -> NoReturn:
        looked_up.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "not looked up in this test")

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return looked_up


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.localhost/v1",
        "http://localhost.evil.example/v1",
        "http://localhost./v1",
        "http://127.0.0.1.nip.io/v1",
        "http://0x7f000001/v1",  # what inet_aton reads as 127.0.0.1, from a name
        "http://2130706433/v1",
        "http://127.1/v1",
        "http://[::ffff:127.0.0.1]/v1",
    ],
)
def test_plain_http_to_a_name_that_claims_this_machine_is_refused_before_any_lookup(
    url: str, lookups: list[str]
) -> None:
    with pytest.raises(riff_api.InsecureTransportError, match="plain http"):
        riff_api.Riffusion(api_key=API_KEY, base_url=url)
    with pytest.raises(riff_api.InsecureTransportError):
        riff_api.AsyncRiffusion(api_key=API_KEY, api_url=url)
    assert lookups == []


@pytest.mark.parametrize(
    "url",
    ["http://LOCALHOST/v1", "http://127.255.255.254/v1", "http://[0:0:0:0:0:0:0:1]/v1"],
)
def test_literal_loopback_addresses_and_the_exact_name_localhost_are_this_machine(
    url: str, lookups: list[str]
) -> None:
    riff_api.Riffusion(api_key=API_KEY, base_url=url)
    assert lookups == []
