"""Audio files from samples: wav written by hand, mp3 and m4a (AAC) through PyAV.

wav is 16-bit PCM with a 44-byte RIFF header built with :mod:`struct`; the samples are
scaled and interleaved in two strided numpy writes. mp3 (LAME) and m4a (FFmpeg's native
AAC in an MP4 container) are tuned for speed, since they dominate a request's time:
LAME at ``compression_level`` 7 (its "fast" preset) and 128 kbit/s constant rate, AAC
with the fast coder and the costly optional tools off at 96 kbit/s. Both containers carry
their encoder delay, so standard decoders give back exactly the song's length.

PyAV is imported on the first lossy encode, not with this module: a render worker that
only ever makes wav files stays ~10 MiB smaller.
"""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, Final

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
    "mp3": ("mp3", "libmp3lame", 128_000, {"compression_level": "7", "joint_stereo": "0"}),
    "m4a": (
        "ipod",
        "aac",
        96_000,
        {"aac_coder": "fast", "aac_tns": "0", "aac_pns": "0", "aac_is": "0"},
    ),
}


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


def _encode_lossy(samples: FloatArray, audio_format: str) -> bytes:
    import av

    container_format, codec, bit_rate, options = _LOSSY[audio_format]
    layout = "stereo" if samples.shape[0] == 2 else "mono"
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=SAMPLE_RATE, options=dict(options))
        assert isinstance(stream, av.AudioStream)
        stream.layout = layout
        stream.format = "fltp"
        stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=layout
        )
        frame.sample_rate = SAMPLE_RATE
        frame.pts = 0
        # One frame for the whole song: PyAV cuts it to the codec's frame size itself.
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def encode(samples: FloatArray, audio_format: AudioFormat) -> bytes:
    """The bytes of a ``audio_format`` file holding ``samples`` at 44.1 kHz."""
    if audio_format == "wav":
        return encode_wav(samples)
    return _encode_lossy(samples, audio_format)
