"""The demo's plain functions: friendly error messages and the spectrogram picture."""

from __future__ import annotations

import io
import wave
from types import ModuleType

import httpx
import numpy as np
import pydantic
import pytest
from conftest import load_demo

import riff_api

KEY = "sk-demo-test-SECRET-0123456789"
REQUEST = httpx.Request("POST", "https://backend.riffusion.com/v1/riff")


@pytest.fixture(scope="module")
def demo() -> ModuleType:
    """demo_app.py imported as a module (its page is only drawn when run as a script)."""
    return load_demo()


def status_error(status: int, body: object, headers: dict[str, str] | None = None) -> Exception:
    """The exception the client raises for an answer with this status and JSON body."""
    response = httpx.Response(status, json=body, headers=headers, request=REQUEST)
    cls = riff_api._exceptions.status_error_for(status)
    return cls(f"{status} error", request=REQUEST, response=response, body=body)


def wav(samples: np.ndarray, rate: int = 44_100) -> bytes:
    """Stereo 16-bit wav bytes of a mono float signal."""
    pcm = (np.repeat(samples[:, None], 2, axis=1) * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return buf.getvalue()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (status_error(401, {"code": "unauthorized", "message": "Bad key"}), "check your API key"),
        (status_error(403, {"code": "forbidden", "message": "No"}), "check your API key"),
        (status_error(429, {"code": "rate_limited", "message": "Slow"}), "slow down"),
        (riff_api.APIConnectionError(request=REQUEST), "Can't reach the service"),
        (riff_api.APITimeoutError(request=REQUEST), "Can't reach the service"),
        (riff_api.MissingAPIKeyError("no key"), "Setup tab"),
        (status_error(500, {"code": "internal_error", "message": "x"}), "try again"),
        (status_error(400, {"code": "moderation", "message": "Lyrics refused."}), "refused"),
    ],
)
def test_each_error_becomes_a_sentence_to_act_on(
    demo: ModuleType, error: Exception, expected: str
) -> None:
    assert expected in demo.friendly_error(error)


def test_rate_limit_says_how_long_to_wait(demo: ModuleType) -> None:
    error = status_error(429, {"code": "rate_limited", "message": "Slow"}, {"Retry-After": "7"})
    assert "try again in 7 s" in demo.friendly_error(error)


def test_connection_error_names_the_host(demo: ModuleType) -> None:
    message = demo.friendly_error(riff_api.APIConnectionError(request=REQUEST))
    assert "backend.riffusion.com" in message


def test_422_names_each_field_counting_prompts_from_one(demo: ModuleType) -> None:
    detail = [
        {"loc": ["body", "prompts", 1, "strength"], "msg": "Input should be a number", "type": "t"},
        {"loc": ["body", "seed"], "msg": "Input should be an integer", "type": "int_type"},
    ]
    message = demo.friendly_error(
        status_error(422, {"code": "validation_error", "message": "x", "detail": detail})
    )
    assert "HTTP 422" in message
    assert "prompt 2 → strength: Input should be a number" in message
    assert "seed: Input should be an integer" in message


def test_a_request_invalid_before_sending_names_the_field(demo: ModuleType) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        riff_api.RiffRequest.model_validate({"prompts": [{"strength": 4.0}]})
    assert "prompt 1 → text" in demo.friendly_error(caught.value)


def test_the_key_never_appears_even_if_the_service_echoes_it(demo: ModuleType) -> None:
    error = status_error(401, {"code": "unauthorized", "message": f"Key {KEY} is unknown"})
    error.message = f"401: Key {KEY} is unknown"  # as a careless service might word it
    other = status_error(418, {"code": "teapot", "message": f"I saw {KEY}"})
    other.message = f"418: I saw {KEY}"
    for exc in (error, other):
        message = demo.friendly_error(exc, KEY)
        assert KEY not in message
        assert message  # still says something


def test_spectrogram_puts_a_tone_at_its_pitch_and_low_notes_at_the_bottom(
    demo: ModuleType,
) -> None:
    rate = 22_050
    t = np.arange(rate * 3) / rate
    low, high = 110.0, 3520.0  # five octaves apart
    picture = demo.spectrogram(
        0.5 * np.sin(2 * np.pi * low * t) + 0.5 * np.sin(2 * np.pi * high * t), rate, height=200
    )
    assert picture.shape == (200, 900, 3)
    assert picture.dtype == np.uint8
    brightness = picture.astype(float).sum(axis=(1, 2))
    # Rows run from 40 Hz at the bottom (last row) to 11 kHz at the top, evenly in log.
    row_of = lambda hz: round((1 - np.log(hz / 40) / np.log(rate / 2 / 40)) * 199)  # noqa: E731
    middle = row_of(700.0)  # between the two tones
    top_peak = int(np.argmax(brightness[:middle]))
    bottom_peak = middle + int(np.argmax(brightness[middle:]))
    assert abs(top_peak - row_of(high)) <= 2
    assert abs(bottom_peak - row_of(low)) <= 4  # low notes span few FFT bins: a wider line
    assert brightness[middle] < brightness[top_peak] / 4  # and darkness in between


def test_spectrogram_shows_time_left_to_right(demo: ModuleType) -> None:
    rate = 22_050
    t = np.arange(rate * 4) / rate
    # Silence for two seconds, then a tone: the right half lights up, the left stays dark.
    signal = np.where(t >= 2, np.sin(2 * np.pi * 440 * t), 0.0)
    columns = demo.spectrogram(signal, rate).astype(float).sum(axis=(0, 2))
    assert columns[-300:].mean() > 5 * columns[:300].mean()


def test_spectrogram_of_silence_or_a_blip_is_a_dark_picture(demo: ModuleType) -> None:
    for samples in (np.zeros(50_000), np.zeros(10), np.ones(1)):
        picture = demo.spectrogram(samples)
        assert picture.shape == (240, 900, 3)
        assert picture.max() <= 10  # nothing to see, and no NaN turned into colour


def test_decode_mono_reads_a_wav_file_at_the_requested_rate(demo: ModuleType) -> None:
    samples = 0.25 * np.sin(2 * np.pi * 440 * np.arange(44_100) / 44_100)
    mono = demo.decode_mono(wav(samples), rate=22_050)
    assert abs(len(mono) - 22_050) < 64  # one second, give or take the resampler's edges
    assert mono.dtype == np.float32
    # Folding two equal channels into one adds them at -3 dB each: 0.25 * 2 * 0.707.
    assert float(np.abs(mono).max()) == pytest.approx(0.354, abs=0.02)
