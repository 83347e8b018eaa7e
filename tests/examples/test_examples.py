"""Every example script, run as a user would: a subprocess against the emulator on a socket.

Each script runs unchanged, with RIFFUSION_BACKEND_URL and RIFFUSION_API_KEY pointing at
an emulator that this module starts (and stops by its process id), in an empty folder.
Every file it writes must be real audio: decodable, stereo, 44.1 kHz, longer than zero.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import pytest

from riff_api.testing import run_emulator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
#: Short songs keep the run fast; only the transition example needs the full 30 s.
SHORT_S = 4.0
FULL_S = 30.0
FORMATS = ("wav", "m4a", "mp3")

#: Each example and the files it is expected to write, relative to its output folder.
WRITES: dict[str, list[str]] = {
    "topic/1_topic_http.py": ["topic_http.wav"],
    "topic/2_topic_client.py": ["topic.wav"],
    "riff/1_simple.py": ["simple.wav"],
    "riff/2_instrumental.py": ["instrumental.wav"],
    "riff/3_variations.py": ["variation_male.wav", "variation_female.wav"],
    "riff/4_multiple_prompts.py": ["multiple_prompts.wav"],
    "riff/5_transition.py": ["transition.wav"],
    "riff/6_timestamped_lyrics.py": ["timestamped_lyrics.wav"],
    "riff/7_audio_formats.py": ["formats.wav", "formats.m4a", "formats.mp3"],
}


@dataclass(frozen=True)
class Audio:
    """What PyAV finds in a file."""

    container: str
    channels: int
    rate: int
    duration_s: float


def probe(path: Path) -> Audio:
    """Decode a whole file and measure it (decoded samples, not the header's claim)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        samples = sum(frame.samples for frame in container.decode(stream))
        return Audio(
            container=container.format.name,
            channels=stream.codec_context.channels,
            rate=stream.codec_context.sample_rate,
            duration_s=samples / stream.codec_context.sample_rate,
        )


@pytest.fixture(scope="module")
def short_emulator() -> Iterator[object]:
    """An emulator making short songs, shared by the examples that do not care how long."""
    with run_emulator(duration_s=SHORT_S, set_env=False) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def full_emulator() -> Iterator[object]:
    """An emulator making songs as long as the live service's (30 s)."""
    with run_emulator(duration_s=FULL_S, set_env=False) as emulator:
        yield emulator


def run_example(
    script: str, emulator: object, cwd: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run one example script with the emulator as its backend; fail on a non-zero exit."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("RIFF", "RIFFUSION"))}
    environment.update(
        RIFFUSION_BACKEND_URL=emulator.base_url,  # type: ignore[attr-defined]
        RIFFUSION_API_KEY=emulator.api_key,  # type: ignore[attr-defined]
        **env,
    )
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_every_example_is_covered() -> None:
    # The first generation's folders; test_examples_gen2.py covers prompt/ and compose/.
    found = {
        str(path.relative_to(EXAMPLES))
        for folder in ("topic", "riff")
        for path in (EXAMPLES / folder).glob("*.py")
    }
    assert found == set(WRITES)
    # Each runs in exactly one test: the plain ones here, the others in their own test.
    special = {"riff/3_variations.py", "riff/5_transition.py", "riff/6_timestamped_lyrics.py"}
    assert set(PLAIN) | special | {"riff/7_audio_formats.py"} == set(WRITES)


def assert_wrote_audio(
    script: str, done: subprocess.CompletedProcess[str], folder: Path, duration_s: float
) -> None:
    """The script wrote exactly its files, each real stereo 44.1 kHz audio, and said so."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(WRITES[script])
    for name in WRITES[script]:
        audio = probe(folder / name)
        assert (audio.channels, audio.rate) == (2, 44_100), name
        assert audio.duration_s == pytest.approx(duration_s, abs=0.2), name
        assert f"wrote {name}" in done.stdout


#: The examples whose output needs no check beyond "real audio, announced".
PLAIN = [
    "topic/1_topic_http.py",
    "topic/2_topic_client.py",
    "riff/1_simple.py",
    "riff/2_instrumental.py",
    "riff/4_multiple_prompts.py",
]


@pytest.mark.parametrize("script", PLAIN)
def test_example_writes_real_audio(script: str, short_emulator: object, tmp_path: Path) -> None:
    done = run_example(script, short_emulator, tmp_path)
    assert_wrote_audio(script, done, tmp_path, SHORT_S)


def test_transition_spans_the_full_song(full_emulator: object, tmp_path: Path) -> None:
    done = run_example("riff/5_transition.py", full_emulator, tmp_path)
    assert_wrote_audio("riff/5_transition.py", done, tmp_path, FULL_S)
    # The answer's prompts keep their time ranges, and the script prints them.
    assert re.search(r"0\.0-20\.0 s .*\(4\)", done.stdout)
    assert re.search(r"15\.0-30\.0 s .*\(3\)", done.stdout)


def test_timestamps_are_printed_in_order(short_emulator: object, tmp_path: Path) -> None:
    done = run_example("riff/6_timestamped_lyrics.py", short_emulator, tmp_path)
    assert_wrote_audio("riff/6_timestamped_lyrics.py", done, tmp_path, SHORT_S)
    timed = re.findall(r"^\s*(\d+\.\d\d) s  (\S+)$", done.stdout, flags=re.MULTILINE)
    words = [word for _, word in timed]
    starts = [float(start) for start, _ in timed]
    # Every sung word of the script's lyrics, in order; the [Verse] tag is structure.
    assert words == [
        "Count",
        "the",
        "stars",
        "above",
        "the",
        "bay",
        "One",
        "for",
        "every",
        "yesterday",
    ]
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)  # strictly increasing
    assert 0 <= starts[0] < starts[-1] < SHORT_S


def test_formats_come_in_their_own_containers(short_emulator: object, tmp_path: Path) -> None:
    done = run_example("riff/7_audio_formats.py", short_emulator, tmp_path)
    assert_wrote_audio("riff/7_audio_formats.py", done, tmp_path, SHORT_S)
    containers = {suffix: probe(tmp_path / f"formats.{suffix}").container for suffix in FORMATS}
    assert containers["wav"] == "wav"
    assert "mp4" in containers["m4a"].split(",")
    assert containers["mp3"] == "mp3"
    # wav is uncompressed, so it is the biggest of the three.
    sizes = {suffix: (tmp_path / f"formats.{suffix}").stat().st_size for suffix in containers}
    assert sizes["wav"] > 3 * max(sizes["m4a"], sizes["mp3"])


def test_variations_share_a_seed_but_differ(short_emulator: object, tmp_path: Path) -> None:
    done = run_example("riff/3_variations.py", short_emulator, tmp_path)
    assert_wrote_audio("riff/3_variations.py", done, tmp_path, SHORT_S)
    male = (tmp_path / "variation_male.wav").read_bytes()
    female = (tmp_path / "variation_female.wav").read_bytes()
    assert male != female  # the singer prompt changed the song
    assert done.stdout.count("seed 2024") == 2


@pytest.mark.parametrize("how", ["--out-dir", "RIFF_OUT_DIR"])
def test_output_folder_can_be_chosen(how: str, short_emulator: object, tmp_path: Path) -> None:
    target = tmp_path / "songs" / "today"
    if how == "--out-dir":
        run_example("riff/2_instrumental.py", short_emulator, tmp_path, "--out-dir", str(target))
    else:
        run_example("riff/2_instrumental.py", short_emulator, tmp_path, RIFF_OUT_DIR=str(target))
    assert [p.name for p in target.iterdir()] == ["instrumental.wav"]
    assert [p.name for p in tmp_path.iterdir()] == ["songs"]  # nothing in the working folder
    assert probe(target / "instrumental.wav").duration_s > 0


@pytest.mark.parametrize("script", ["topic/1_topic_http.py", "topic/2_topic_client.py"])
def test_without_a_key_an_example_says_so(script: str, tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("RIFF", "RIFFUSION"))}
    # A closed loopback port: should a script try to connect anyway, it fails at once.
    environment["RIFFUSION_BACKEND_URL"] = "http://127.0.0.1:9/v1"
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "RIFFUSION_API_KEY" in done.stderr
    assert list(tmp_path.iterdir()) == []
