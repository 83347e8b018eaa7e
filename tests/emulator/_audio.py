"""Decoding and measuring audio in tests, with PyAV as the standard decoder."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass

import av
import numpy as np
import numpy.typing as npt
import pybase64

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Decoded:
    """Decoded audio: samples as (channels, n) floats in [-1, 1]."""

    samples: FloatArray
    rate: int
    channels: int
    codec: str

    @property
    def duration_s(self) -> float:
        return float(self.samples.shape[1] / self.rate)


def decode(data: bytes | str) -> Decoded:
    """Decode audio bytes (or their base64) with FFmpeg through PyAV."""
    raw = pybase64.b64decode(data, validate=True) if isinstance(data, str) else data
    chunks = []
    with av.open(io.BytesIO(raw), mode="r") as container:
        stream = container.streams.audio[0]
        rate, channels, codec = stream.rate, stream.channels, stream.codec_context.name
        for frame in container.decode(stream):
            array = frame.to_ndarray()
            if not frame.format.is_planar:
                array = array.reshape(-1, channels).T
            if array.dtype == np.int16:
                array = array.astype(np.float32) / 32768.0
            chunks.append(array.astype(np.float32))
    return Decoded(np.concatenate(chunks, axis=1), rate, channels, codec)


def band_profile(samples: FloatArray, rate: int, start_s: float, end_s: float) -> FloatArray:
    """Mean log-magnitude spectrum of ``[start_s, end_s)`` in 40 log-spaced bands."""
    mono = samples.mean(axis=0)[int(start_s * rate) : int(end_s * rate)]
    size = 4096
    frames = np.lib.stride_tricks.sliding_window_view(mono, size)[:: size // 2]
    spectrum = np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)).mean(axis=0)
    freqs = np.fft.rfftfreq(size, 1.0 / rate)
    edges = np.geomspace(100.0, 16000.0, 41)  # every band holds at least one FFT bin
    bands = [spectrum[(freqs >= lo) & (freqs < hi)].mean() for lo, hi in itertools.pairwise(edges)]
    profile: FloatArray = np.log10(np.asarray(bands, dtype=np.float32) + 1e-9)
    return profile


def correlation(a: FloatArray, b: FloatArray) -> float:
    """Pearson correlation of two profiles."""
    return float(np.corrcoef(a, b)[0, 1])


def rms(samples: FloatArray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
