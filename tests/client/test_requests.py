"""What goes on the wire: method, path and body as the spec says, checked before sending."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable

import pytest

import riff_api
from tests.client.test_transport import http_answer, read_request
from tests.conftest import API_KEY, Recorder, ok, song_body


def test_riff_body_has_every_field_set(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    make_client(recorder).riff(
        [riff_api.Prompt(text="a", strength=2, start_s=0, end_s=20), "b", {"text": "c"}],
        lyrics="la la",
        seed=42,
        audio_format="mp3",
        moderate_inputs=False,
    )
    request = recorder.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v1/riff")
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "prompts": [
            {"text": "a", "strength": 2.0, "start_s": 0.0, "end_s": 20.0},
            {"text": "b"},
            {"text": "c"},
        ],
        "lyrics": "la la",
        "seed": 42,
        "audio_format": "mp3",
        "moderate_inputs": False,
    }


def test_topic_body(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    make_client(recorder).topic("Sing facts about Kansas history", audio_format="m4a")
    request = recorder.requests[0]
    assert request.url.path == "/v1/topic"
    assert json.loads(request.content) == {
        "topic": "Sing facts about Kansas history",
        "audio_format": "m4a",
    }


def test_unicode_is_sent_as_utf8(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    make_client(recorder).riff(["ambient"], lyrics="L'été à Paris 🎵")
    assert "L'été à Paris 🎵".encode() in recorder.requests[0].content


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.riff(["x"], audio_format="flac"), ValueError),
        (lambda c: c.topic("x", audio_format="ogg"), ValueError),
        (lambda c: c.topic(""), ValueError),
        (lambda c: c.topic("   "), ValueError),
        (lambda c: c.riff(["x"], seed="abc"), ValueError),
        (lambda c: c.riff([{"strength": 3}]), ValueError),
        (lambda c: c.riff([{"text": "x", "strength": "loud"}]), ValueError),
        (lambda c: c.riff("lo-fi"), TypeError),
        (lambda c: c.riff(riff_api.Prompt(text="x")), TypeError),
        (lambda c: c.send({"topic": "x"}), TypeError),
    ],
)
def test_wrong_arguments_fail_before_any_request(
    make_client: Callable[..., riff_api.Riffusion],
    call: Callable[[riff_api.Riffusion], object],
    error: type[Exception],
) -> None:
    recorder = Recorder(ok)
    with pytest.raises(error):
        call(make_client(recorder))
    assert recorder.calls == 0


def test_send_takes_ready_made_requests(make_client: Callable[..., riff_api.Riffusion]) -> None:
    recorder = Recorder(ok)
    client = make_client(recorder)
    client.send(riff_api.RiffRequest(prompts=[riff_api.Prompt(text="x")]))
    client.send(riff_api.TopicRequest(topic="y"))
    assert [r.url.path for r in recorder.requests] == ["/v1/riff", "/v1/topic"]
    # Fields left unset are not sent: the service's defaults apply (moderation on, wav)
    assert json.loads(recorder.requests[0].content) == {"prompts": [{"text": "x"}]}


def test_one_connection_pool_across_calls() -> None:
    """Successive calls, and a with_options copy, go over one connection: the server counts."""
    listener = socket.create_server(("127.0.0.1", 0))
    answered: list[int] = []  # requests answered on each connection the server accepted
    body = json.dumps(song_body()).encode()

    def serve_connection(conn: socket.socket, index: int) -> None:
        with conn, contextlib.suppress(OSError):  # the client hangs up when it is closed
            while True:
                read_request(conn)
                answered[index] += 1
                conn.sendall(http_answer(body))

    def accept() -> None:
        with contextlib.suppress(OSError):  # the listener is closed at the end
            while True:
                conn, _ = listener.accept()
                answered.append(0)
                threading.Thread(
                    target=serve_connection, args=(conn, len(answered) - 1), daemon=True
                ).start()

    threading.Thread(target=accept, daemon=True).start()
    base_url = f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    try:
        with riff_api.Riffusion(api_key=API_KEY, base_url=base_url, max_retries=0) as client:
            client.riff(["x"])
            client.topic("y")
            client.with_options(timeout=30).riff(["z"])
    finally:
        listener.close()
    assert answered == [3]


def test_only_the_fields_set_are_sent(make_client: Callable[..., riff_api.Riffusion]) -> None:
    """A field the caller did not set stays off the wire, so the service's default applies.

    So a field added to the spec before the service knows it cannot break calls that do
    not use it; a field set to its default value, or to None, is sent as set.
    """
    recorder = Recorder(ok)
    client = make_client(recorder)
    client.riff(["x"])
    client.riff(["x"], seed=None, audio_format="wav", moderate_inputs=True)
    client.topic("y")
    sent = [json.loads(r.content) for r in recorder.requests]
    assert sent == [
        {"prompts": [{"text": "x"}]},
        {"prompts": [{"text": "x"}], "seed": None, "audio_format": "wav", "moderate_inputs": True},
        {"topic": "y"},
    ]


def test_the_first_field_may_come_by_keyword(
    make_client: Callable[..., riff_api.Riffusion],
) -> None:
    recorder = Recorder(ok)
    client = make_client(recorder)
    client.riff(prompts=["x"], lyrics="la")
    client.topic(topic="y")
    assert [json.loads(r.content) for r in recorder.requests] == [
        {"prompts": [{"text": "x"}], "lyrics": "la"},
        {"topic": "y"},
    ]
    with pytest.raises(TypeError, match="both by position and by keyword"):
        client.riff(["x"], prompts=["y"])  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing its 'prompts' argument"):
        client.riff(lyrics="la")
    with pytest.raises(TypeError, match="unexpected keyword argument 'lyric'"):
        client.riff(["x"], lyric="la")  # type: ignore[call-arg]
    assert recorder.calls == 2
