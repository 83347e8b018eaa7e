"""Every exit status, each with its one-line explanation, and never the API key."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cli_helpers import API_KEY, FakeService, Reply, Run, song_body, status

from riff_api import AudioSaveError, RateLimitError, _client
from riff_api.cli import ExitStatus
from riff_api.cli._status import describe_error


def raises(exc: BaseException) -> Reply:
    def reply(request: httpx.Request) -> httpx.Response:
        raise exc

    return reply


def bad_base64(request: httpx.Request) -> httpx.Response:
    body = song_body(request)
    body["audio_b64"] = "!!not base64!!"
    return httpx.Response(200, json=body)


CASES: list[tuple[str, Reply, ExitStatus, str]] = [
    ("401", status(401), ExitStatus.AUTH, "refused the API key; check RIFFUSION_API_KEY"),
    ("403", status(403, {"message": "plan"}), ExitStatus.AUTH, "may not do this (403): plan"),
    (
        "422",
        status(422, {"detail": [{"loc": ["body", "topic"], "msg": "too long"}]}),
        ExitStatus.VALIDATION,
        "rejected the request (422): topic: too long",
    ),
    (
        "400",
        status(400, {"code": "moderation", "message": "no"}),
        ExitStatus.VALIDATION,
        "moderation refused",
    ),
    ("413", status(413), ExitStatus.VALIDATION, "too large"),
    ("bad body", bad_base64, ExitStatus.VALIDATION, "unusable"),
    (
        "429",
        status(429, headers={"Retry-After": "7"}),
        ExitStatus.RATE_LIMIT,
        "rate limiting us (429) (it asks to wait 7 s)",
    ),
    (
        "503",
        status(503, {"message": "overloaded"}, {"X-Request-Id": "req-9"}),
        ExitStatus.SERVER,
        "failed (503): overloaded [request id req-9]",
    ),
    ("404", status(404), ExitStatus.ERROR, "no such endpoint"),
    ("418", status(418), ExitStatus.ERROR, "answered 418"),
    (
        "refused",
        raises(httpx.ConnectError("connection refused")),
        ExitStatus.CONNECTION,
        "could not reach",
    ),
    ("timeout", raises(httpx.ReadTimeout("slow")), ExitStatus.CONNECTION, "no answer from"),
    ("ctrl-c", raises(KeyboardInterrupt()), ExitStatus.INTERRUPTED, "interrupted"),
]


@pytest.mark.parametrize(
    ("reply", "expected", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_each_failure_has_its_status_and_line(
    riff: Callable[..., Run],
    service: FakeService,
    tmp_path: Path,
    reply: Reply,
    expected: ExitStatus,
    message: str,
) -> None:
    service.then(reply, times=10)  # every retry fails the same way
    run = riff("topic", "x", "-o", "a.wav", "--api-key", API_KEY)
    assert run.status == expected
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert API_KEY not in run.stdout + run.stderr
    assert not (tmp_path / "a.wav").exists()


def test_retryable_failures_are_retried_max_retries_times(
    riff: Callable[..., Run], service: FakeService
) -> None:
    service.then(status(503), times=10)
    run = riff("topic", "x", "-o", "a.wav", "--max-retries", "3")
    assert run.status == ExitStatus.SERVER
    assert len(service.requests) == 4


def test_a_retry_that_succeeds_is_ok(riff: Callable[..., Run], service: FakeService) -> None:
    service.then(status(500)).then(raises(httpx.ConnectError("reset")))
    run = riff("topic", "x", "-o", "a.wav")
    assert run.status == ExitStatus.OK
    assert len(service.requests) == 3


def test_missing_key_is_an_auth_error(riff: Callable[..., Run], service: FakeService) -> None:
    run = riff("topic", "x", "-o", "a.wav", environ={})
    assert run.status == ExitStatus.AUTH
    assert "no API key: set RIFFUSION_API_KEY or pass --api-key" in run.stderr
    assert service.requests == []


def test_key_with_a_line_break_is_refused_without_echoing_it(riff: Callable[..., Run]) -> None:
    run = riff("topic", "x", "-o", "a.wav", environ={"RIFFUSION_API_KEY": "abc\n"})
    assert run.status == ExitStatus.AUTH
    assert "line break" in run.stderr
    assert "abc" not in run.stderr


def test_a_failed_save_is_an_error(
    riff: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: object, data: object) -> Path:
        raise AudioSaveError(28, "cannot save 'a.wav': No space left on device")

    monkeypatch.setattr(_client, "write_atomic", disk_full)
    run = riff("topic", "x", "-o", "a.wav")
    assert run.status == ExitStatus.ERROR
    assert "could not save the audio: cannot save 'a.wav': No space left on device" in run.stderr


def test_audio_is_checked_to_decode(riff: Callable[..., Run], service: FakeService) -> None:
    def truncated(request: httpx.Request) -> httpx.Response:
        body = song_body(request)
        body["audio_b64"] = base64.b64encode(b"RIFF").decode()[:-1]
        return httpx.Response(200, json=body)

    service.then(truncated)
    assert riff("topic", "x", "-o", "a.wav").status == ExitStatus.VALIDATION


def test_the_retries_are_counted_not_assumed(
    riff: Callable[..., Run], service: FakeService
) -> None:
    """With --max-retries 0 nothing was retried, and the line must not say otherwise."""
    service.then(status(503), times=10)
    once = riff("topic", "x", "-o", "a.wav", "--max-retries", "0")
    assert "retried" not in once.stderr
    assert "tried" not in once.stderr
    thrice = riff("topic", "x", "-o", "a.wav", "--max-retries", "2")
    assert "; tried 3 times;" in thrice.stderr


def test_a_connection_error_says_its_cause_once(
    riff: Callable[..., Run], service: FakeService
) -> None:
    service.then(raises(httpx.ConnectError("[Errno 111] Connection refused")), times=10)
    run = riff("topic", "x", "-o", "a.wav", "--max-retries", "0")
    line = run.stderr.strip()
    assert "could not reach" in line.lower()
    assert line.lower().count("reach") == 1, line
    assert line.count("Connection refused") == 1, line
    assert "ConnectError: [Errno 111] Connection refused" in line


def test_rate_limit_advice_names_only_options_the_command_has(
    riff: Callable[..., Run], service: FakeService
) -> None:
    service.then(status(429), times=10)
    topic = riff("topic", "x", "-o", "a.wav", "--max-retries", "0")
    assert "429" in topic.stderr
    assert "--concurrency" not in topic.stderr  # topic has no such option
    request = httpx.Request("POST", "https://api.test/v1/topic")
    limited = RateLimitError(
        "429", request=request, response=httpx.Response(429, request=request), body=None
    )
    assert "lower --concurrency" in describe_error(limited, "batch")[1]


def test_a_missing_extra_names_its_install_command_once(
    riff: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_numpy(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("riff_api.emulator"):
            # What riff_api.emulator raises without its extra: its own words, from the cause.
            missing = ModuleNotFoundError("No module named 'numpy'", name="numpy")
            raise ImportError(
                "the emulator needs the extra: pip install 'riffusion-client[emulator]'"
            ) from missing
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_numpy)
    run = riff("topic", "x", "--local", "-o", "a.wav")
    assert run.status == ExitStatus.USAGE
    assert run.stderr.count("pip install") == 1, run.stderr
    assert "numpy is missing" in run.stderr


def test_audio_is_not_written_onto_a_terminal(
    riff: Callable[..., Run], service: FakeService
) -> None:
    run = riff("topic", "x", "-o", "-", stdout_tty=True)
    assert run.status == ExitStatus.USAGE
    assert "terminal" in run.stderr
    assert "> song.wav" in run.stderr
    assert run.audio == b""
    assert service.requests == []  # refused before anything was sent
    assert riff("topic", "x", "-o", "-").audio.startswith(b"RIFF")  # piped: the audio


@pytest.mark.parametrize(
    ("where", "key", "problem"),
    [
        ("env", "sk-\x0bsecretpart", "control character"),
        ("option", "sk-\x7fsecretpart", "control character"),
        ("option", "sk-\u00e9secretpart", "non-ASCII character"),
    ],
)
def test_a_malformed_key_is_refused_without_echoing_it(
    riff: Callable[..., Run], service: FakeService, where: str, key: str, problem: str
) -> None:
    if where == "env":
        run = riff("topic", "x", "-o", "a.wav", environ={"RIFFUSION_API_KEY": key})
    else:
        run = riff("topic", "x", "-o", "a.wav", "--api-key", key)
    assert run.status == ExitStatus.AUTH
    assert problem in run.stderr
    assert "secretpart" not in run.stdout + run.stderr
    assert service.requests == []


def test_a_key_the_service_echoes_never_reaches_the_output(
    riff: Callable[..., Run], service: FakeService
) -> None:
    service.then(status(503, {"message": f"overloaded, key {API_KEY}"}), times=10)
    run = riff("topic", "x", "-o", "a.wav", "--api-key", API_KEY, "--max-retries", "0")
    assert run.status == ExitStatus.SERVER
    assert "overloaded, key [secure]" in run.stderr
    assert API_KEY not in run.stdout + run.stderr
