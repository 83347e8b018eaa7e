"""The music engine's parts: styles, structure, gates, lyrics timing, voice, encoding."""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import pytest

from riff_api.emulator import STYLE_WORDS
from riff_api.emulator._encoding import encode_wav
from riff_api.emulator._gates import CONTROL_HOP, MAX_LAYERS, plan_layers
from riff_api.emulator._instruments import SAMPLE_RATE
from riff_api.emulator._lyrics import parse_lyrics, time_words
from riff_api.emulator._structure import make_structure
from riff_api.emulator._styles import NEUTRAL_STYLE, find_style_words, style_for_text
from riff_api.emulator._synthesis import PEAK, render_song

from ._audio import decode


@dataclass
class P:
    text: str
    strength: float = 4.0
    start_s: float = 0.0
    end_s: float = 30.0


REQUIRED_WORDS = (
    ("pop", "rock", "punk", "jazz", "lo-fi", "chillstep", "house", "techno", "folk"),
    ("country", "operatic", "orchestral", "piano", "cello", "ambient", "rap", "reggae"),
    ("metal", "blues", "classical", "christmas", "tribal", "drums", "synthwave", "indie"),
)


def test_vocabulary_covers_the_named_styles() -> None:
    assert {word for row in REQUIRED_WORDS for word in row} <= set(STYLE_WORDS)
    assert len(STYLE_WORDS) >= 25


def test_known_words_shape_the_style() -> None:
    assert style_for_text("techno").drums == "four"
    assert style_for_text("classical").drums == "none"
    assert style_for_text("sad pop").minor is True
    assert style_for_text("jazz piano").chords == "piano"
    assert style_for_text("male metal").voice == "male"
    assert style_for_text("Lo Fi  beats") == style_for_text("lo fi beats")


def test_every_text_has_its_own_stable_sound() -> None:
    texts = [f"mystery word {i}" for i in range(40)]
    styles = [style_for_text(t) for t in texts]
    assert styles == [style_for_text(t) for t in texts]
    assert len({(s.key, s.minor, s.drums, s.bass, s.chords, s.lead) for s in styles}) > 30


def test_style_words_are_found_as_written() -> None:
    assert find_style_words("Indie pop banger about my dog") == [
        ("indie", "indie"),
        ("pop", "pop"),
        ("banger", "banger"),
    ]
    assert find_style_words("hip hop with cellos") == [("hip hop", "rap"), ("cellos", "cello")]


def test_structure_depends_on_the_seed_only() -> None:
    assert make_structure(5, 30.0) == make_structure(5, 30.0)
    assert make_structure(5, 30.0) != make_structure(6, 30.0)
    huge = make_structure(10**400, 30.0)
    assert huge == make_structure(10**400, 30.0)
    st = make_structure(-1, 30.0)
    assert st.n_bars * st.bar_samples >= st.n_samples > (st.n_bars - 1) * st.bar_samples


def naive_gain(prompt: P, t: float, duration: float) -> float:
    weight = min(max(prompt.strength, 0.0), 12.0) / 4.0
    start, end = max(prompt.start_s, 0.0), min(prompt.end_s, duration)
    if end <= start or not start <= t <= end:
        return 0.0
    fade = max(min(2.0, (end - start) / 3.0), 0.01)
    rise = (t - start) / fade if start > 0 else 1.0
    fall = (end - t) / fade if end < duration else 1.0
    return weight * min(1.0, rise, fall)


def test_gates_match_a_direct_computation() -> None:
    prompts = [P("a", 4.0, 0.0, 20.0), P("b", 3.0, 15.0, 30.0), P("a", 2.0, 25.0, 28.0)]
    plan = plan_layers(prompts, 30.0)
    assert plan.texts == ["a", "b"]
    for k in range(0, 3000, 7):
        t = k * CONTROL_HOP / SAMPLE_RATE
        raw = {
            "a": naive_gain(prompts[0], t, 30.0) + naive_gain(prompts[2], t, 30.0),
            "b": naive_gain(prompts[1], t, 30.0),
        }
        total = sum(raw.values())
        for row, text in enumerate(plan.texts):
            assert plan.gains[row, k] == pytest.approx(raw[text] / max(total, 1.0), abs=0.011)
        assert plan.neutral[k] == pytest.approx(max(0.0, 1.0 - total), abs=0.011)


def test_gates_cap_the_layers_and_handle_any_range() -> None:
    prompts = [P(f"style {i}", strength=i % 12, start_s=i - 50, end_s=i) for i in range(200)]
    plan = plan_layers(prompts, 30.0)
    assert len(plan.texts) == MAX_LAYERS
    assert np.all(plan.gains >= 0)
    assert np.all(plan.gains.sum(axis=0) <= 1.0 + 1e-9)
    empty = plan_layers([P("x", end_s=-1.0), P("y", start_s=40.0, end_s=50.0)], 30.0)
    assert empty.texts == []
    assert np.allclose(empty.neutral, 1.0)


def test_lyrics_parsing_separates_tags_from_words() -> None:
    lyrics = parse_lyrics("[Verse]\nHello  world!\n\n - \n[Chorus]\nla-la ... la\n[Bridge]")
    assert lyrics.words == ["Hello", "world!", "la-la", "la"]
    assert lyrics.line_of_word.tolist() == [0, 0, 1, 1]
    assert lyrics.rest_before.tolist() == [1, 1]
    assert lyrics.chorus.tolist() == [False, True]
    assert parse_lyrics("[Intro]\n...").instrumental


def test_word_timing_depends_on_seed_and_lyrics_only() -> None:
    lyrics = parse_lyrics("one two three\nfour five")
    st = make_structure(3, 30.0)
    first = time_words(lyrics, st)
    np.testing.assert_array_equal(first.starts, time_words(lyrics, make_structure(3, 30.0)).starts)
    assert np.all(np.diff(first.starts) > 0)
    other = time_words(lyrics, make_structure(4, 30.0))
    assert not np.array_equal(first.starts, other.starts)


def test_too_many_words_are_squeezed_into_the_song() -> None:
    lyrics = parse_lyrics("\n".join("a b c d e f g h" for _ in range(500)))
    timing = time_words(lyrics, make_structure(1, 10.0))
    assert len(timing.starts) == 4000
    assert np.all(np.diff(timing.starts) > 0)
    assert timing.starts[0] >= 0
    assert timing.starts[-1] + timing.lengths[-1] <= 10.0


def test_songs_are_normalised_and_never_silent() -> None:
    for prompts in ([], [P("techno")], [P("ambient", strength=0.5)]):
        song = render_song(prompts, None, 1, 3.0)
        assert song.samples.shape == (2, 3 * SAMPLE_RATE)
        assert song.samples.dtype == np.float32
        assert np.abs(song.samples).max() == pytest.approx(PEAK, abs=1e-6)
        assert np.sqrt(np.mean(song.samples**2)) > 0.05


def test_the_neutral_style_has_no_drums() -> None:
    assert NEUTRAL_STYLE.drums == "none"


def test_wav_header_is_standard() -> None:
    samples = np.zeros((2, 441), dtype=np.float32)
    samples[0, 1], samples[1, 2] = 0.5, -0.5
    data = encode_wav(samples)
    riff, size, wave, fmt, _fmt_size, pcm, channels, rate, byte_rate, block, bits = struct.unpack(
        "<4sI4s4sIHHIIHH", data[:36]
    )
    assert (riff, wave, fmt, pcm, channels, rate, bits) == (
        b"RIFF",
        b"WAVE",
        b"fmt ",
        1,
        2,
        44100,
        16,
    )
    assert size == len(data) - 8
    assert byte_rate == 44100 * 4
    assert block == 4
    assert data[36:40] == b"data"
    assert struct.unpack("<I", data[40:44])[0] == 441 * 4
    decoded = decode(data)
    assert decoded.samples[0, 1] == pytest.approx(0.5, abs=1e-4)
    assert decoded.samples[1, 2] == pytest.approx(-0.5, abs=1e-4)
