"""The demo page driven by Streamlit's AppTest: make songs in both tabs, see them listed.

With no key, the app picks its built-in (in-process) emulator; the error tests point the
"Riffusion" backend at an emulator on a real loopback socket, or at a closed port.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from conftest import APP, free_port, load_demo
from streamlit.testing.v1 import AppTest

from riff_api.testing import run_emulator

KEY = "sk-demo-test-SECRET-0123456789"


@pytest.fixture
def app() -> AppTest:
    """The demo, run once: the Topic tab shows, nothing made yet."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def socket_emulator() -> Iterator[Any]:
    """An emulator on a loopback socket that accepts only its own key."""
    with run_emulator(duration_s=3.0, api_keys=["sk-the-right-key"], set_env=False) as emulator:
        yield emulator


def audio_elements(at: AppTest) -> list[Any]:
    """The page's audio players (AppTest has no typed accessor for them)."""
    return list(at.get("audio"))


def shown_text(at: AppTest) -> str:
    """Every piece of text on the page a person could read, joined."""
    parts: list[str] = []
    for kind in ("markdown", "text", "caption", "error", "warning", "info", "subheader"):
        parts.extend(str(element.value) for element in getattr(at, kind))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    parts.extend(str(e.label) for e in at.expander)
    parts.extend(df.value.to_csv() for df in at.dataframe)
    return "\n".join(parts)


def test_the_page_starts_on_the_emulator_with_three_tabs(app: AppTest) -> None:
    assert [tab.label for tab in app.tabs][-1] == "Setup"
    assert app.radio(key="backend").value == "Built-in emulator"
    assert app.text_input(key="api_key").value == ""
    assert audio_elements(app) == []
    assert "Your songs will appear here" in app.info[0].value


def test_topic_tab_makes_a_song_with_lyrics_and_timings(app: AppTest) -> None:
    app.text_input(key="topic_text").input("A lullaby for a sleepy robot, music box")
    app.radio(key="topic_format").set_value("mp3")
    app.button(key="topic_go").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value

    players = audio_elements(app)
    assert len(players) == 1
    assert players[0].proto.url  # the audio is served to the browser
    assert app.subheader[0].value.startswith("#1 Topic: A lullaby for a sleepy robot")
    assert {m.label: m.value for m in app.metric}["Format"] == "mp3"
    assert app.metric[0].label == "Took"
    assert app.metric[0].value.endswith(" s")

    lyrics = app.text[0].value
    assert len(lyrics.split()) >= 4
    words = app.dataframe[1].value  # prompts first, then the word timings
    assert list(words.columns) == ["word", "starts at (s)"]
    sung = [line for line in lyrics.splitlines() if line and not line.startswith("[")]
    assert words["word"].iloc[0] in sung[0]
    assert words["starts at (s)"].is_monotonic_increasing
    assert len(app.image) == 1  # the spectrogram
    assert app.get("download_button")


def test_riff_tab_uses_the_lyrics_prompts_and_seed(app: AppTest) -> None:
    app.text_area(key="lyrics").input("[Chorus]\nPaper planes over the harbour\nFly home")
    app.text_input(key="prompt_a_text").input("harp arpeggios")
    app.slider(key="prompt_a_strength").set_value(7.5)
    app.slider(key="prompt_a_range").set_value((0.0, 12.0))
    app.text_input(key="prompt_b_text").input("stomping folk rock")
    app.slider(key="prompt_b_range").set_value((10.0, 30.0))
    app.number_input(key="seed").set_value(99)
    app.radio(key="riff_format").set_value("m4a")
    app.button(key="riff_go").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value

    assert len(audio_elements(app)) == 1
    assert app.subheader[0].value == "#1 Riff: harp arpeggios → stomping folk rock"
    assert app.text[0].value == "[Chorus]\nPaper planes over the harbour\nFly home"
    prompts = app.dataframe[0].value
    assert list(prompts["sound"]) == ["harp arpeggios", "stomping folk rock"]
    assert list(prompts["strength"]) == [7.5, 3.0]
    assert list(prompts["from (s)"]) == [0.0, 10.0]
    assert list(prompts["to (s)"]) == [12.0, 30.0]
    words = app.dataframe[1].value
    assert list(words["word"]) == ["Paper", "planes", "over", "the", "harbour", "Fly", "home"]
    assert {m.label: m.value for m in app.metric}["Format"] == "m4a"


def test_an_instrumental_says_it_has_no_lyrics(app: AppTest) -> None:
    app.text_area(key="lyrics").input("")
    app.button(key="riff_go").click().run()
    assert not app.error
    assert len(audio_elements(app)) == 1
    assert "Instrumental: no lyrics." in [c.value for c in app.caption]
    assert len(app.dataframe) == 1  # the prompts, and no word timings


def test_earlier_songs_stay_listed(app: AppTest) -> None:
    app.text_input(key="topic_text").input("Sea shanty about tax returns")
    app.button(key="topic_go").click().run()
    app.button(key="riff_go").click().run()
    assert not app.exception, app.exception

    assert app.subheader[0].value.startswith("#2 Riff: ")
    assert [e.label.split(" (")[0] for e in app.expander] == [
        "#1 Topic: Sea shanty about tax returns"
    ]
    # The latest song's player, and the earlier one's inside its expander.
    assert len(audio_elements(app)) == 2
    assert len(app.expander[0].get("audio")) == 1
    assert len(app.get("download_button")) == 2


def test_a_wrong_key_asks_to_check_it_and_is_never_shown(
    app: AppTest, socket_emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", socket_emulator.base_url)
    app.text_input(key="api_key").input(KEY).run()
    assert app.radio(key="backend").value == "Riffusion"  # typing a key means "live"
    app.button(key="topic_go").click().run()
    assert not app.exception, app.exception
    assert "check your API key" in app.error[0].value
    assert audio_elements(app) == []
    assert KEY not in shown_text(app)


def test_the_right_key_makes_a_song_over_the_socket(
    app: AppTest, socket_emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", socket_emulator.base_url)
    app.text_input(key="api_key").input(socket_emulator.api_key).run()
    app.button(key="topic_go").click().run()
    assert not app.error, app.error[0].value
    assert len(audio_elements(app)) == 1
    assert {m.label: m.value for m in app.metric}["Backend"] == "Riffusion"
    assert socket_emulator.api_key not in shown_text(app)


def test_an_unreachable_service_is_said_plainly(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", f"http://127.0.0.1:{free_port()}/v1")
    app.text_input(key="api_key").input(KEY).run()
    app.button(key="riff_go").click().run()
    assert not app.exception, app.exception
    assert "Can't reach the service at 127.0.0.1" in app.error[0].value
    assert KEY not in shown_text(app)


def test_live_without_any_key_points_to_setup(app: AppTest) -> None:
    app.radio(key="backend").set_value("Riffusion").run()
    assert "needs an API key" in app.warning[0].value
    app.button(key="topic_go").click().run()
    assert "No API key" in app.error[0].value


def test_a_long_session_keeps_only_the_latest_songs(app: AppTest) -> None:
    app.button(key="topic_go").click().run()
    first = app.session_state["history"][0]
    limit = load_demo().MAX_HISTORY
    # As if this session had already made `limit` songs: copies of the first one.
    app.session_state["history"] = [replace(first, number=n) for n in range(1, limit + 1)]
    app.button(key="topic_go").click().run()
    numbers = [creation.number for creation in app.session_state["history"]]
    assert numbers == list(range(2, limit + 2))
    assert app.subheader[0].value.startswith(f"#{limit + 1} Topic: ")
    assert len(app.expander) == limit - 1


def test_a_key_in_the_environment_picks_the_live_backend_unseen(
    socket_emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RIFFUSION_API_KEY", socket_emulator.api_key)
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", socket_emulator.base_url)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert at.radio(key="backend").value == "Riffusion"
    assert "RIFFUSION_API_KEY environment variable" in shown_text(at)
    at.button(key="topic_go").click().run()
    assert not at.error, at.error[0].value
    assert len(audio_elements(at)) == 1
    assert socket_emulator.api_key not in shown_text(at)


def captions(block: Any) -> str:
    """The captions inside one part of the page (a tab, an expander), joined."""
    return "\n".join(str(caption.value) for caption in block.caption)


def test_the_song_tabs_name_the_backend_they_call(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic, riff = app.tabs[0], app.tabs[1]
    for tab in (topic, riff):
        assert "Backend: **Built-in emulator**" in captions(tab)
    url = f"http://127.0.0.1:{free_port()}/v1"
    monkeypatch.setenv("RIFFUSION_BACKEND_URL", url)
    app.radio(key="backend").set_value("Riffusion").run()
    for tab in (app.tabs[0], app.tabs[1]):
        assert "Backend: **Riffusion**" in captions(tab)
        assert url in captions(tab)


def test_every_song_shows_its_id_and_seed(app: AppTest) -> None:
    app.button(key="topic_go").click().run()
    app.number_input(key="seed").set_value(99)
    app.button(key="riff_go").click().run()
    assert not app.exception, app.exception
    topic_song, riff_song = app.session_state["history"]

    assert {m.label: m.value for m in app.metric}["Seed"] == "99"
    assert f"Song id `{riff_song.song_id}` · seed `99`" in captions(app)
    # The earlier (topic) song, folded away: the service picks its seed, and says none.
    (earlier,) = app.expander
    assert f"Song id `{topic_song.song_id}`" in captions(earlier)
    assert "seed `none (the service picks)`" in captions(earlier)
    assert topic_song.seed is None


def test_a_riff_on_a_random_seed_can_be_made_again(app: AppTest) -> None:
    """Left on "random", the demo draws the seed, sends it and shows it: the same song again."""
    assert app.number_input(key="seed").value is None
    app.button(key="riff_go").click().run()
    assert not app.error, app.error[0].value
    (first,) = app.session_state["history"]
    assert isinstance(first.seed, int)
    assert {m.label: m.value for m in app.metric}["Seed"] == str(first.seed)

    app.button(key=f"reuse_seed_{first.number}").click().run()
    assert app.number_input(key="seed").value == first.seed
    app.button(key="riff_go").click().run()
    second = app.session_state["history"][-1]
    assert second.seed == first.seed
    assert second.audio == first.audio
    # Another random draw makes another song.
    app.number_input(key="seed").set_value(None)
    app.button(key="riff_go").click().run()
    third = app.session_state["history"][-1]
    assert third.seed != first.seed
    assert third.audio != first.audio


def test_the_tabs_cover_both_generations(app: AppTest) -> None:
    assert [tab.label for tab in app.tabs] == ["Topic", "Riff", "Prompt", "Compose", "Setup"]
    captions = "\n".join(str(c.value) for c in app.caption)
    assert "inside this app" in captions


def test_prompt_tab_makes_a_titled_song(app: AppTest) -> None:
    app.text_input(key="prompt_text").input("Rap fun facts about Alaskan history")
    app.button(key="prompt_go").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value
    assert len(audio_elements(app)) == 1
    assert {m.label: m.value for m in app.metric}["Format"] == "m4a"
    assert app.subheader[0].value.startswith("#1 Prompt: ")
    assert "Alaskan" in app.subheader[0].value  # the title the service wrote
    assert len(app.text[0].value.split()) >= 4  # lyrics


def test_an_instrumental_prompt_has_no_lyrics(app: AppTest) -> None:
    app.checkbox(key="prompt_instrumental").check()
    app.button(key="prompt_go").click().run()
    assert not app.exception, app.exception
    assert "Instrumental: no lyrics." in shown_text(app)


def test_compose_tab_mixes_the_sound_prompts_and_shows_the_seed(app: AppTest) -> None:
    app.text_input(key="sound_prompt_a_text").input("lo-fi piano")
    app.slider(key="sound_prompt_a_strength").set_value(0.8)
    app.slider(key="compose_weirdness").set_value(0.1)
    app.number_input(key="compose_seed").set_value(1234)
    app.button(key="compose_go").click().run()
    assert not app.exception, app.exception
    assert not app.error, app.error[0].value
    assert len(audio_elements(app)) == 1
    assert app.subheader[0].value.startswith("#1 Compose: ")
    prompts = app.dataframe[0].value
    assert list(prompts["sound"]) == ["lo-fi piano", "gated reverb drums"]
    assert list(prompts["strength"]) == [0.8, 0.3]
    assert {m.label: m.value for m in app.metric}["Seed"] == "1234"
    words = app.dataframe[1].value
    assert list(words.columns) == ["word", "starts at (s)"]
    assert len(words) > 4


def test_a_compose_model_the_backend_lacks_is_said_plainly(app: AppTest) -> None:
    app.text_input(key="compose_model").input("FUZZ 9")
    app.button(key="compose_go").click().run()
    assert not app.exception, app.exception
    assert "model" in app.error[0].value
    assert "FUZZ-2.0" in app.error[0].value  # what /models lists
