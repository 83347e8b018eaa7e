"""A song's duration from its own header, and its HTML for notebooks, for both API generations.

The durations are checked against what FFmpeg (through PyAV) decodes from the real
emulator's files; the HTML is parsed back, so that what a server sent is shown as text and
never as markup.
"""

from __future__ import annotations

import base64
import html.parser
import io
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

import riff_api
from riff_api._display import MIME_TYPES, audio_duration_s, song_html
from riff_api.testing import in_process_emulator
from tests.conftest import wav_bytes
from tests.emulator._audio import decode

#: Samples per coded frame: what "within a frame" means for each format.
FRAME = {"wav": 1, "m4a": 1024, "mp3": 1152}
#: Lengths that fall across frame boundaries, so padding shows if it is miscounted.
DURATIONS = (2.3, 7.71)
HOSTILE = "<script>alert(\"x\")</script> & 'quotes' <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def emulator_songs() -> dict[tuple[str, float], riff_api.RiffResponse]:
    """Songs of the real emulator: every format, at each of DURATIONS."""
    songs = {}
    for duration in DURATIONS:
        with in_process_emulator(duration_s=duration) as emulator:
            client = riff_api.Riffusion(
                api_key=emulator.api_key, base_url=emulator.base_url, http_client=emulator.client
            )
            for audio_format in FRAME:
                songs[audio_format, duration] = client.riff(
                    ["dreamy synthwave"],
                    lyrics="Hello Boris my dog",
                    seed=4,
                    audio_format=audio_format,
                )
    return songs


@pytest.mark.parametrize("duration", DURATIONS)
@pytest.mark.parametrize("audio_format", sorted(FRAME))
def test_duration_of_the_emulators_files_is_what_ffmpeg_decodes(
    emulator_songs: dict[tuple[str, float], riff_api.RiffResponse],
    audio_format: str,
    duration: float,
) -> None:
    audio = emulator_songs[audio_format, duration].audio_bytes
    decoded = decode(audio)
    measured = audio_duration_s(audio, audio_format)
    assert measured is not None
    assert abs(measured - decoded.duration_s) * decoded.rate <= FRAME[audio_format], (
        measured,
        decoded.duration_s,
    )
    # The format named by the caller is only a fallback: the bytes say what they are.
    assert audio_duration_s(audio, None) == measured


def test_mp3_duration_leaves_out_the_encoders_delay_and_padding(
    emulator_songs: dict[tuple[str, float], riff_api.RiffResponse],
) -> None:
    """tinytag alone counts the LAME tag's delay and padding, which decoders skip."""
    from tinytag import TinyTag

    audio = emulator_songs["mp3", DURATIONS[0]].audio_bytes
    raw = TinyTag.get(file_obj=io.BytesIO(audio)).duration
    decoded = decode(audio)
    assert raw is not None
    assert (raw - decoded.duration_s) * decoded.rate > FRAME["mp3"]  # what is corrected
    measured = audio_duration_s(audio, "mp3")
    assert measured is not None
    assert measured < raw


def _wav(
    frames: int, *, rate: int = 8000, channels: int = 1, data_size: int | None = None
) -> bytes:
    """A PCM wav with an extra chunk before the data, as some encoders write (LIST)."""
    block = channels * 2
    pcm = b"\x01\x00" * channels * frames
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, 16)
    listing = b"LIST" + struct.pack("<I", 5) + b"INFOx\x00"  # odd size: a pad byte follows
    size = len(pcm) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + listing + b"data"
    body += struct.pack("<I", size) + pcm
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_wav_duration_reads_the_riff_chunks() -> None:
    assert audio_duration_s(_wav(8000 * 3 // 2), "wav") == 1.5
    assert audio_duration_s(_wav(441, rate=44_100, channels=2), None) == 0.01
    assert audio_duration_s(wav_bytes(0.05), "wav") == pytest.approx(0.05, abs=1 / 44_100)
    # A streamed wav's size field is a placeholder; a truncated one plays what is there.
    assert audio_duration_s(_wav(800, data_size=0xFFFFFFFF), "wav") == 0.1
    assert audio_duration_s(_wav(800)[:-800], "wav") == 0.05


def _ids(value: object) -> str:
    return repr(value[:12]) if isinstance(value, bytes) else str(value)


def _unreadable() -> Iterator[tuple[bytes, str | None]]:
    yield b"", None
    yield b"", "mp3"
    yield b"not audio at all", "wav"
    yield b"\x00" * 64, "m4a"
    yield b"RIFF\x00\x00\x00\x00WAVE", "wav"  # no chunks
    yield _wav(10).replace(b"fmt ", b"fmx "), "wav"  # data with no format
    yield _wav(10).replace(struct.pack("<HH", 2, 16), struct.pack("<HH", 0, 16)), "wav"  # block 0
    yield b"\xff\xfb" + b"\x00" * 10, "mp3"  # half a frame header
    yield b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + b"\x00" * 100, "mp3"  # a tag bigger than the file
    yield b"\x00\x00\x00\x1cftypM4A " + b"\x00" * 20, "m4a"  # a container with no movie


@pytest.mark.parametrize(("data", "audio_format"), list(_unreadable()), ids=_ids)
def test_unreadable_audio_has_no_duration(data: bytes, audio_format: str | None) -> None:
    assert audio_duration_s(data, audio_format) is None


def test_no_cut_of_a_real_file_raises(
    emulator_songs: dict[tuple[str, float], riff_api.RiffResponse],
) -> None:
    """Every prefix of every format (a body cut short) gives a duration or None."""
    seen = set()
    for audio_format in FRAME:
        audio = emulator_songs[audio_format, DURATIONS[0]].audio_bytes
        for end in [*range(0, 600, 7), *range(600, len(audio), len(audio) // 40)]:
            result = audio_duration_s(audio[:end], audio_format)
            assert result is None or result >= 0, (audio_format, end, result)
            seen.add(result is None)
    assert seen == {True, False}


def test_importing_riff_api_does_not_load_tinytag() -> None:
    probe = (
        "import sys, riff_api, riff_api._display as d\n"
        "print('tinytag' in sys.modules)\n"
        "d.audio_duration_s(b'\\xff\\xfb\\x90\\x00' + bytes(400), 'mp3')\n"
        "print('tinytag' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


# ---------------------------------------------------------------------------- HTML


class _Page(html.parser.HTMLParser):
    """What a browser would make of the HTML: its elements, attributes, text and ruby."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        #: (word, annotation) of each <ruby> element, in order.
        self.ruby: list[tuple[str, str]] = []
        self._open: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "ruby":
            self._open = ["", ""]
        elif tag == "rt" and self._open:
            self._open.append("rt")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ruby" and self._open:
            self.ruby.append((self._open[0], self._open[1]))
            self._open = []

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._open:
            self._open[1 if len(self._open) > 2 else 0] += data

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _audio_source(page: _Page) -> tuple[str, bytes]:
    (player,) = page.named("audio")
    source = player["src"] or ""
    head, _, data = source.partition(",")
    assert head.startswith("data:")
    assert head.endswith(";base64")
    return head[len("data:") : -len(";base64")], base64.b64decode(data, validate=True)


@pytest.mark.parametrize("audio_format", sorted(FRAME))
def test_first_generation_song_html(
    emulator_songs: dict[tuple[str, float], riff_api.RiffResponse], audio_format: str
) -> None:
    song = emulator_songs[audio_format, DURATIONS[0]]
    page = _Page(song_html(song))
    mime, audio = _audio_source(page)
    assert mime == MIME_TYPES[audio_format]
    assert audio == song.audio_bytes
    assert song.id in page.text  # a first generation song has no title: its id stands in
    assert "dreamy synthwave" in page.text
    assert f"{DURATIONS[0]:.1f} s" in page.text
    words = [w.text for w in song.timestamped_lyrics or []]
    assert words == ["Hello", "Boris", "my", "dog"]
    assert [word for word, _ in page.ruby] == words
    assert [time for _, time in page.ruby] == [
        f"0:{w.start_s:05.2f}" for w in song.timestamped_lyrics or []
    ]


@dataclass
class Word:
    text: str
    start: float


@dataclass
class SoundPrompt:
    text: str
    strength: float = 0.5


@dataclass
class ComposeSong:
    """A second generation song's fields (ComposeResponse), with the audio decoded."""

    id: str
    title: str
    lyrics: str | None
    timestamped_lyrics: list[Word] | None
    sound_prompts: list[SoundPrompt]
    audio_format: str
    audio_bytes: bytes


@dataclass
class PromptSong:
    """A second generation /prompt answer (PromptResponse): one sound prompt, as text."""

    id: str
    title: str
    sound_prompt: str
    audio_format: str
    audio_bytes: bytes
    lyrics: str | None = None
    timestamped_lyrics: list[Word] | None = field(default=None)


def test_second_generation_song_html(
    emulator_songs: dict[tuple[str, float], riff_api.RiffResponse],
) -> None:
    audio = emulator_songs["m4a", DURATIONS[1]].audio_bytes
    song = ComposeSong(
        id="0f8e7d6c-1111-2222-3333-444455556666",
        title="Boris, my dog",
        lyrics="[Verse]\nHello Boris\nmy dog",
        timestamped_lyrics=[Word("Hello", 0.5), Word("Boris", 1.25), Word("my", 62.0)],
        sound_prompts=[SoundPrompt("indie pop", 0.8), SoundPrompt("cello", -0.25)],
        audio_format="m4a",
        audio_bytes=audio,
    )
    page = _Page(song_html(song))
    assert _audio_source(page) == ("audio/mp4", audio)
    assert "Boris, my dog" in page.text
    assert song.id in page.text
    assert "indie pop (strength 0.8)" in page.text
    assert "cello (strength -0.25)" in page.text
    assert page.ruby == [
        ("Hello", "0:00.50"),
        ("Boris", "0:01.25"),
        ("my", "1:02.00"),
    ]
    assert "[Verse]\nHello Boris\nmy dog" in page.text
    assert f"{DURATIONS[1]:.1f} s" in page.text

    instrumental = PromptSong(
        id="id-2", title="Rain", sound_prompt="lo-fi rain", audio_format="m4a", audio_bytes=audio
    )
    page = _Page(song_html(instrumental))
    assert "lo-fi rain" in page.text
    assert "Instrumental" in page.text
    assert page.ruby == []


def test_everything_from_the_server_is_escaped() -> None:
    song = ComposeSong(
        id=HOSTILE,
        title=HOSTILE,
        lyrics=HOSTILE,
        timestamped_lyrics=[Word(HOSTILE, 1.0)],
        sound_prompts=[SoundPrompt(HOSTILE)],
        audio_format='m4a" onload="alert(1)',
        audio_bytes=wav_bytes(),
    )
    markup = song_html(song)
    page = _Page(markup)
    assert {tag for tag, _ in page.tags} <= {
        "div",
        "strong",
        "code",
        "small",
        "audio",
        "em",
        "ruby",
        "rt",
        "details",
        "summary",
        "pre",
    }
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert page.text.count(HOSTILE) == 5  # title, id, sound, word, lyrics: as text
    # The bytes say wav, so the declared format (a hostile one here) is not even used.
    assert _audio_source(page)[0] == "audio/wav"


def test_a_song_whose_audio_cannot_be_decoded_still_shows() -> None:
    song = riff_api.RiffResponse(
        id="abc", audio_b64="not base64!", lyrics=None, timestamped_lyrics=None, prompts=[]
    )
    page = _Page(song_html(song))
    assert page.named("audio") == []
    assert "No playable audio" in page.text
    assert "abc" in page.text


def test_odd_values_do_not_break_the_html() -> None:
    odd = SimpleNamespace(
        id=None,
        title="",
        lyrics=42,
        timestamped_lyrics=[Word("la", float("nan")), Word("li", -3.0), object()],
        sound_prompts="not a list of prompts",
        audio_format=None,
        audio_bytes=b"\x00\x01garbage",
    )
    page = _Page(song_html(odd))
    assert page.ruby == [("la", "?"), ("li", "?")]
    (player,) = page.named("audio")
    assert (player["src"] or "").startswith("data:application/octet-stream;base64,")
    assert "unknown format" in page.text
