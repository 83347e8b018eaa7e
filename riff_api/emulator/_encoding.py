"""Audio files from samples: wav written by hand, mp3 and m4a (AAC) through PyAV.

wav is 16-bit PCM with a 44-byte RIFF header built with :mod:`struct`; the samples are
scaled and interleaved in two strided numpy writes. mp3 (LAME) and m4a (FFmpeg's native
AAC in an MP4 container) are tuned for speed, since they dominate a request's time:
LAME at ``compression_level`` 7 (its "fast" preset) and 128 kbit/s constant rate, AAC
with the fast coder and the costly optional tools off at 96 kbit/s. Both containers carry
their encoder delay, so standard decoders give back exactly the song's length.

LAME is single-threaded and takes 0.6-0.8 s for 30 s of stereo here, so an mp3 is
encoded in two halves at once (PyAV releases the GIL while LAME works) and the halves'
frames spliced into one stream. That is exact because LAME runs without its bit
reservoir, so each 1152-sample frame holds its own bits: the second encoder starts a few
frames before the seam, on the same frame grid, and by the seam it makes the frames one
encoder would have made (measured: the error against the source around the seam is the
same, sample for sample, as a whole encode's; the decoded length is the song's). Without
the reservoir, the decoded signal-to-noise ratio stays the same (16.0 against 15.9 dB on
the benchmark's song).

PyAV is imported on the first lossy encode, not with this module: a render worker that
only ever makes wav files stays ~10 MiB smaller.
"""

from __future__ import annotations

import io
import struct
import threading
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from ._cache import FloatArray
from ._instruments import SAMPLE_RATE

if TYPE_CHECKING:
    # Only for annotations: riff_api._types loads httpx, which a render worker never needs.
    from riff_api._types import AudioFormat

__all__ = ["FORMATS", "encode", "encode_wav"]

FORMATS: Final[tuple[AudioFormat, ...]] = ("wav", "mp3", "m4a")

# container format, codec, bit rate, codec options
_LOSSY: Final[dict[str, tuple[str, str, int, dict[str, str]]]] = {
    "mp3": (
        "mp3",
        "libmp3lame",
        128_000,
        {"compression_level": "7", "joint_stereo": "0", "reservoir": "0"},
    ),
    "m4a": (
        "ipod",
        "aac",
        96_000,
        {"aac_coder": "fast", "aac_tns": "0", "aac_pns": "0", "aac_is": "0"},
    ),
}

_MP3_FRAME: Final = 1152
# The second half's encoder starts this many frames before the seam, to settle; the first
# encodes this many frames past it, so that its end does not reach back into its frames.
_MP3_LEAD_IN: Final = 4
_MP3_LEAD_OUT: Final = 2
# Below this, one encoder: the second thread would cost more than it saves.
_MP3_SPLIT_FRAMES: Final = 4 * SAMPLE_RATE // _MP3_FRAME


def encode_wav(samples: FloatArray) -> bytes:
    """16-bit PCM wav of ``samples`` (shape ``(channels, n)``, values within [-1, 1])."""
    channels, n = samples.shape
    interleaved = np.empty((n, channels), dtype="<i2")
    for channel in range(channels):
        # Truncation toward zero is within half a step of rounding: inaudible, and faster.
        np.multiply(samples[channel], 32767.0, out=interleaved[:, channel], casting="unsafe")
    data = interleaved.tobytes()
    block = channels * 2
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(data),
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        channels,
        SAMPLE_RATE,
        SAMPLE_RATE * block,
        block,
        16,
        b"data",
        len(data),
    )
    return header + data


def _configure(context: Any, audio_format: str, layout: str) -> None:
    _, _, bit_rate, options = _LOSSY[audio_format]
    context.sample_rate = SAMPLE_RATE
    context.layout = layout
    context.format = "fltp"
    context.bit_rate = bit_rate
    context.options = dict(options)


def _packets(encoder: Any, samples: FloatArray, layout: str) -> list[Any]:
    """Every packet ``encoder`` (a stream, or a codec context) makes of ``samples``."""
    import av

    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=layout
    )
    frame.sample_rate = SAMPLE_RATE
    frame.pts = 0
    # One frame for the whole song: PyAV cuts it to the codec's frame size itself.
    return [*encoder.encode(frame), *encoder.encode(None)]


def _mp3_in_halves(stream: Any, samples: FloatArray, layout: str) -> list[Any]:
    """The packets of one LAME encode of ``samples``, made by two encoders at once."""
    import av

    seam = samples.shape[1] // 2 // _MP3_FRAME
    start = (seam - _MP3_LEAD_IN) * _MP3_FRAME  # on the frame grid of the first half
    second: list[Any] = []
    failure: list[BaseException] = []

    def encode_second() -> None:
        try:
            context = av.CodecContext.create("libmp3lame", "w")
            _configure(context, "mp3", layout)
            second.extend(_packets(context, samples[:, start:], layout))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=encode_second, name="riff-mp3-second-half")
    worker.start()
    try:
        first = _packets(stream, samples[:, : (seam + _MP3_LEAD_OUT) * _MP3_FRAME], layout)
    finally:
        worker.join()
    if failure:
        raise failure[0]
    for packet in second:
        packet.pts += start
        packet.dts += start
        packet.stream = stream
    return first[:seam] + second[_MP3_LEAD_IN:]


def _encode_lossy(samples: FloatArray, audio_format: str) -> bytes:
    import av

    container_format, codec, _, _ = _LOSSY[audio_format]
    layout = "stereo" if samples.shape[0] == 2 else "mono"
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=SAMPLE_RATE)
        assert isinstance(stream, av.AudioStream)
        _configure(stream.codec_context, audio_format, layout)
        if audio_format == "mp3" and samples.shape[1] >= _MP3_SPLIT_FRAMES * _MP3_FRAME:
            packets = _mp3_in_halves(stream, samples, layout)
        else:
            packets = _packets(stream, samples, layout)
        for packet in packets:
            container.mux(packet)
    return buffer.getvalue()


def encode(samples: FloatArray, audio_format: AudioFormat) -> bytes:
    """The bytes of a ``audio_format`` file holding ``samples`` at 44.1 kHz."""
    if audio_format == "wav":
        return encode_wav(samples)
    return _encode_lossy(samples, audio_format)
