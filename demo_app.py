"""Riffusion demo: songs from a topic or a prompt, or from your lyrics and sound prompts.

Tabs for both generations of the API: Topic and Riff (the first, riff-api 0.1.5's), Prompt
and Compose (the second, the service as it is now, riff-api 0.4.2's).

    pip install "riffusion-client[demo]"
    streamlit run demo_app.py

Without an API key (the Setup tab, or RIFFUSION_API_KEY) the app uses the built-in emulator,
which runs inside the app, so everything works offline. With a key it calls Riffusion, or
whatever RIFFUSION_BACKEND_URL (Topic, Riff) and RIFFUSION_API_URL (Prompt, Compose) point
at; each tab says which. The latest song
is shown with its player, id, seed, timing, prompts, timed lyrics and a spectrogram; earlier
songs of the browser session stay listed. A riff left on a random seed is sent with a seed
drawn here, and shown, so that a song worth keeping can be made again.

Streamlit's settings for the demo are in .streamlit/config.toml beside this file: no usage
statistics, no developer toolbar.
"""

from __future__ import annotations

import io
import os
import secrets
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import av
import httpx
import numpy as np
import pydantic
import streamlit as st

import riff_api
from riff_api import AudioResponse, Prompt, SoundPrompt

LIVE: Final = "Riffusion"
EMULATOR: Final = "Built-in emulator"
FORMATS: Final[list[riff_api.AudioFormat]] = ["wav", "m4a", "mp3"]
MIME: Final[dict[str, str]] = {"wav": "audio/wav", "m4a": "audio/mp4", "mp3": "audio/mpeg"}
#: Songs kept per browser session; older ones are dropped from the list.
MAX_HISTORY: Final = 20
#: The emulator's base URLs inside the app; the in-process transport never opens a socket.
EMULATOR_BASE_URL: Final = "http://127.0.0.1/v1"
EMULATOR_API_URL: Final = "http://127.0.0.1/api/v1"

#: Seeds drawn for a riff left on "random" are below this: a 32-bit signed integer, which any
#: backend takes, short enough to note down, and exact in the browser's number input.
SEED_LIMIT: Final = 2**31

DEFAULT_LYRICS: Final = """[Verse]
Neon signs are humming low
Footsteps echo, soft and slow
[Chorus]
Hold the night, don't let it go
City lights, put on a show"""

# A dark-to-bright palette (black, purple, red, orange, pale yellow), like the usual
# spectrogram colour maps, so quiet and loud parts read at a glance.
_PALETTE_STOPS: Final = np.array(
    [[0, 0, 4], [59, 15, 112], [140, 41, 129], [222, 73, 104], [254, 159, 109], [252, 253, 191]],
    dtype=np.float64,
)
_PALETTE: Final = np.stack(
    [
        np.interp(np.linspace(0, 1, 256), np.linspace(0, 1, len(_PALETTE_STOPS)), channel)
        for channel in _PALETTE_STOPS.T
    ],
    axis=1,
).astype(np.uint8)


# ---------------------------------------------------------------------------- audio to picture


def decode_mono(data: bytes, rate: int = 22_050) -> np.ndarray:
    """Decode audio bytes of any format PyAV reads into mono float32 samples at ``rate``.

    The spectrogram needs no more than 11 kHz of bandwidth to be readable, so resampling to
    22.05 kHz halves the work.
    """
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    chunks: list[np.ndarray] = []
    with av.open(io.BytesIO(data), mode="r") as container:
        for frame in container.decode(audio=0):
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
        chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def spectrogram(
    samples: np.ndarray,
    rate: int = 22_050,
    *,
    width: int = 900,
    height: int = 240,
    n_fft: int = 2048,
    floor_db: float = 80.0,
) -> np.ndarray:
    """An RGB picture (``height`` x ``width`` x 3, uint8) of the sound's spectrum over time.

    Columns are time, rows are frequency on a log scale from 40 Hz (bottom) to ``rate / 2``
    (top), so that notes are evenly spaced as they are heard; brightness is level in dB,
    from ``floor_db`` below the loudest point up to it.
    """
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if len(samples) < n_fft:
        samples = np.pad(samples, (0, n_fft - len(samples)))
    hop = max(1, (len(samples) - n_fft) // max(1, width - 1))
    frames = np.lib.stride_tricks.sliding_window_view(samples, n_fft)[::hop][:width]
    magnitude = np.abs(np.fft.rfft(frames * np.hanning(n_fft).astype(np.float32), axis=1))

    # Sample each column at log-spaced frequencies, interpolating between FFT bins.
    bins = np.geomspace(40.0, rate / 2, height) / (rate / n_fft)
    low = np.clip(np.floor(bins).astype(int), 0, magnitude.shape[1] - 2)
    weight = np.clip(bins - low, 0.0, 1.0)
    rows = magnitude[:, low] * (1 - weight) + magnitude[:, low + 1] * weight

    level = 20 * np.log10(rows + 1e-9)
    # Scale to the loudest point, but never above -20 dB (a full-scale tone is about +54),
    # so that silence stays black instead of being stretched into a bright fog.
    top = max(float(level.max()), -20.0)
    scaled = np.clip((level - (top - floor_db)) / floor_db, 0.0, 1.0)
    # A short sound has fewer frames than columns: stretch it to the full width.
    scaled = scaled[np.linspace(0, len(scaled) - 1, width).round().astype(int)]
    picture = _PALETTE[(scaled * 255).astype(np.uint8)]  # (time, frequency, rgb)
    # Time runs left to right and low notes sit at the bottom, as people expect.
    return np.ascontiguousarray(picture.transpose(1, 0, 2)[::-1])


# ---------------------------------------------------------------------------- one creation


@dataclass
class Creation:
    """One song made in this browser session, with what is needed to show it again."""

    kind: str  # the tab: "Topic", "Riff", "Prompt" or "Compose"
    title: str
    backend: str
    song_id: str
    seed: int | None  # the seed sent; None when the request takes none (a topic)
    audio: bytes
    audio_format: str
    elapsed_s: float
    prompts: list[dict[str, Any]]
    lyrics: str | None
    words: list[dict[str, Any]]
    picture: np.ndarray | None = field(default=None, repr=False)
    number: int = 0  # its place in the session, counting from 1; set when it is kept

    @classmethod
    def from_song(
        cls,
        song: AudioResponse,
        *,
        kind: str,
        title: str,
        backend: str,
        elapsed_s: float,
        seed: int | None = None,
    ) -> Creation:
        """Keep a song's audio, prompts and lyrics, and draw its spectrogram once.

        Either generation's: their prompts and word times have other fields.
        """
        fields: Any = song
        audio = song.audio_bytes
        declared = fields.audio_format
        audio_format = declared if isinstance(declared, str) else "wav"
        try:
            picture: np.ndarray | None = spectrogram(decode_mono(audio))
        except (av.FFmpegError, ValueError):
            # A song that plays in the browser but not in PyAV still deserves its player.
            picture = None
        return cls(
            kind=kind,
            title=getattr(fields, "title", None) or title,
            backend=backend,
            song_id=fields.id,
            seed=seed,
            audio=audio,
            audio_format=audio_format,
            elapsed_s=elapsed_s,
            prompts=_prompt_rows(fields),
            lyrics=fields.lyrics,
            words=[
                {"word": word.text, "starts at (s)": round(_start_of(word), 2)}
                for word in fields.timestamped_lyrics or []
            ],
            picture=picture,
        )

    @property
    def file_name(self) -> str:
        """A download name that says what it is: ``riff-<first 8 of the id>.<format>``."""
        return f"riff-{self.song_id[:8]}.{self.audio_format}"

    @property
    def seed_text(self) -> str:
        """The seed as people read it: the number, or why there is none."""
        return str(self.seed) if self.seed is not None else "none (the service picks)"


def _prompt_rows(song: Any) -> list[dict[str, Any]]:
    """The sound prompts as table rows: with time ranges (first generation) or without."""
    if getattr(song, "prompts", None) is not None:
        return [
            {"sound": p.text, "strength": p.strength, "from (s)": p.start_s, "to (s)": p.end_s}
            for p in song.prompts
        ]
    if getattr(song, "sound_prompts", None) is not None:
        return [{"sound": p.text, "strength": p.strength} for p in song.sound_prompts]
    return [{"sound": song.sound_prompt}]


def _start_of(word: Any) -> float:
    start = getattr(word, "start_s", None)
    return float(start if start is not None else word.start)


# ---------------------------------------------------------------------------- talking to a backend


@st.cache_resource(show_spinner="Starting the built-in emulator...")
def emulator_backend() -> tuple[httpx.Client, str]:
    """An httpx client whose requests go straight into an in-process emulator app, and the
    key that emulator accepts.

    Cached for the whole server: every browser session shares one emulator, built once. The
    key is made here, not at import, because Streamlit re-runs this file on every click.
    """
    from riff_api.emulator import EmulatorSettings, create_app

    with warnings.catch_warnings():
        # Starlette would rather its TestClient ran on httpx2; riff_api speaks httpx.
        warnings.filterwarnings("ignore", message=".*httpx2.*")
        from starlette.testclient import TestClient

    key = f"local-{uuid.uuid4().hex}"
    app = create_app(EmulatorSettings(api_keys=frozenset({key})))
    return TestClient(app, base_url="http://127.0.0.1"), key


def live_url(second: bool = False) -> str:
    """Where the "Riffusion" backend is for a generation: its variable, else the service."""
    if second:
        return os.environ.get("RIFFUSION_API_URL") or riff_api.DEFAULT_API_URL
    return os.environ.get("RIFFUSION_BACKEND_URL") or riff_api.DEFAULT_BASE_URL


def draw_seed() -> int:
    """A seed for a riff the user left on "random": drawn here, so that it can be shown.

    Left out of the request, the service would pick one and not say which.
    """
    return secrets.randbelow(SEED_LIMIT)


PromptT = TypeVar("PromptT", Prompt, SoundPrompt)


def what_to_send(
    prompts: Sequence[PromptT], lyrics: str | None, seed: float | None
) -> tuple[list[PromptT], str | None, int] | None:
    """The prompts with a text, the lyrics (None when blank) and the seed to send, drawn
    when the user left it empty; None, after a warning, when no prompt has a text."""
    chosen = [prompt for prompt in prompts if prompt.text]
    if not chosen:
        st.warning("Describe the sound of at least one prompt.")
        return None
    words = (lyrics or "").strip() or None
    return chosen, words, draw_seed() if seed is None else int(seed)


def make_client(backend: str, api_key: str | None) -> riff_api.Riffusion:
    """A client for the chosen backend; the live one reads RIFFUSION_* for what is not given."""
    if backend == EMULATOR:
        http_client, key = emulator_backend()
        return riff_api.Riffusion(
            api_key=key,
            base_url=EMULATOR_BASE_URL,
            api_url=EMULATOR_API_URL,
            http_client=http_client,
        )
    return riff_api.Riffusion(api_key=api_key or None)


def _field_name(loc: Any) -> str:
    """A field path from an error's ``loc`` for people: ["body", "prompts", 1, "text"] ->
    "prompt 2 → text"."""
    parts: list[str] = []
    for part in loc if isinstance(loc, list | tuple) else [loc]:
        if isinstance(part, int) and parts:
            # The 2nd item of "prompts" is "prompt 2": people count from one.
            parts[-1] = f"{parts[-1].removesuffix('s')} {part + 1}"
        elif part != "body":
            parts.append(str(part))
    return " → ".join(parts) or "request"


def friendly_error(exc: Exception, api_key: str | None = None) -> str:
    """What went wrong, in words a person can act on; never contains ``api_key``."""
    if isinstance(exc, riff_api.MissingAPIKeyError):
        message = "No API key: enter one in the Setup tab, or choose the built-in emulator."
    elif isinstance(exc, riff_api.AuthenticationError | riff_api.PermissionDeniedError):
        message = (
            f"The service did not accept the API key (HTTP {exc.status_code}): "
            "check your API key in the Setup tab."
        )
    elif isinstance(exc, riff_api.RateLimitError):
        wait = exc.retry_after
        message = "Too many requests (HTTP 429): slow down" + (
            f" and try again in {wait:.0f} s." if wait else " and try again in a little while."
        )
    elif isinstance(exc, riff_api.APITimeoutError):
        message = "Can't reach the service: it did not answer in time. Try again later."
    elif isinstance(exc, riff_api.APIConnectionError):
        cause = exc.__cause__  # the network's own words, said once
        reason = f"{type(cause).__name__}: {cause}" if cause is not None else exc.message
        message = f"Can't reach the service at {exc.request.url.host} ({reason})."
    elif isinstance(exc, riff_api.UnprocessableEntityError):
        fields = "; ".join(
            f"{_field_name(item.get('loc'))}: {item.get('msg', 'invalid')}"
            for item in exc.detail
            if isinstance(item, dict)
        )
        message = f"The service rejected the request (HTTP 422). {fields or exc.message}"
    elif isinstance(exc, pydantic.ValidationError):
        fields = "; ".join(f"{_field_name(err['loc'])}: {err['msg']}" for err in exc.errors())
        message = f"Some fields are not valid: {fields}"
    elif isinstance(exc, riff_api.BadRequestError):
        message = f"The service refused the request (HTTP 400): {exc.message}"
    elif isinstance(exc, riff_api.InternalServerError):
        message = f"The service failed (HTTP {exc.status_code}); try again in a moment."
    elif isinstance(exc, riff_api.APIStatusError):
        message = f"The service answered HTTP {exc.status_code}: {exc.message}"
    else:
        message = f"Something went wrong: {exc}"
    if api_key:
        # The client never puts the key in a message; this keeps a service echoing it from
        # putting it on screen either.
        message = message.replace(api_key, "•••")
    return message


def create_song(
    call: Callable[[riff_api.Riffusion], AudioResponse],
    *,
    kind: str,
    title: str,
    seed: int | None = None,
) -> None:
    """Run one request against the chosen backend; keep the song or show why there is none.

    ``seed`` is the seed the request sends, if it takes one, to be shown with the song.
    """
    backend = st.session_state.get("backend", EMULATOR)
    api_key = st.session_state.get("api_key") or None
    started = time.monotonic()
    try:
        with st.spinner("Composing your song..."):
            with make_client(backend, api_key) as client:
                song = call(client)
            elapsed = time.monotonic() - started
            creation = Creation.from_song(
                song, kind=kind, title=title, backend=backend, elapsed_s=elapsed, seed=seed
            )
    except (riff_api.RiffusionError, ValueError) as exc:  # ValueError: a pydantic check
        st.error(friendly_error(exc, api_key or os.environ.get("RIFFUSION_API_KEY")))
        return
    history: list[Creation] = st.session_state.setdefault("history", [])
    creation.number = history[-1].number + 1 if history else 1
    history.append(creation)
    # A 30 s wav is 5 MB: keep a long session from filling the server's memory.
    del history[:-MAX_HISTORY]


# ---------------------------------------------------------------------------- the page


EMULATOR_CAPTION: Final = "Runs inside this app: no key, no network, made-up music."


def backend_note(second: bool = False) -> None:
    """Which backend the tab's Create button calls, and where to change it."""
    backend = st.session_state.get("backend", EMULATOR)
    where = f"`{live_url(second)}`" if backend == LIVE else "inside this app: no key, no network"
    st.caption(f"Backend: **{backend}**, {where}. Change it in the Setup tab.")


def _use_live_backend() -> None:
    """Typing a key means the user wants the real service: switch to it."""
    if st.session_state.get("api_key"):
        st.session_state["backend"] = LIVE


def setup_tab() -> None:
    """The API key and the backend. The key lives only in this session's memory."""
    st.text_input(
        "API key",
        type="password",
        key="api_key",
        on_change=_use_live_backend,
        help="Kept in this session's memory only, and sent only to the Riffusion backend.",
    )
    has_key = bool(st.session_state.get("api_key") or os.environ.get("RIFFUSION_API_KEY"))
    st.radio(
        "Backend",
        [LIVE, EMULATOR],
        index=0 if has_key else 1,
        key="backend",
        captions=[f"`{live_url()}` and `{live_url(second=True)}`", EMULATOR_CAPTION],
    )
    if st.session_state.get("backend") == LIVE and not has_key:
        st.warning("Riffusion needs an API key: enter one above.")
    elif os.environ.get("RIFFUSION_API_KEY") and not st.session_state.get("api_key"):
        st.caption("Using the key from the RIFFUSION_API_KEY environment variable.")


def topic_tab() -> None:
    """One sentence in, one song out: the service writes the lyrics and picks the sound."""
    topic = st.text_input(
        "Topic",
        value="Indie pop banger about my dog Boris",
        key="topic_text",
        help="Describe the lyrics and the sound in one sentence.",
    )
    audio_format = st.radio("Format", FORMATS, horizontal=True, key="topic_format")
    backend_note()
    if st.button("Create song", type="primary", key="topic_go"):
        if not (topic or "").strip():
            st.warning("Write a topic first.")
            return
        create_song(
            lambda client: client.topic(topic, audio_format=audio_format),
            kind="Topic",
            title=topic,
        )


def _prompt_inputs(
    column: Any, label: str, text: str, strength: float, span: tuple[float, float]
) -> Prompt:
    """The inputs of one sound prompt, in ``column``; returns the prompt they describe."""
    key = label.lower().replace(" ", "_")
    with column:
        st.markdown(f"**{label}**")
        value = st.text_input("Sound", value=text, key=f"{key}_text")
        power = st.slider("Strength", -3.0, 12.0, strength, 0.5, key=f"{key}_strength")
        start, end = st.slider("Time range (s)", 0.0, 30.0, span, 0.5, key=f"{key}_range")
    return Prompt(text=(value or "").strip(), strength=power, start_s=start, end_s=end)


def riff_tab() -> None:
    """Your lyrics and two sound prompts; overlapping time ranges make a transition."""
    lyrics = st.text_area(
        "Lyrics (leave empty for an instrumental)", value=DEFAULT_LYRICS, height=160, key="lyrics"
    )
    left, right = st.columns(2)
    prompts = [
        _prompt_inputs(left, "Prompt A", "dreamy synthwave", 4.0, (0.0, 20.0)),
        _prompt_inputs(right, "Prompt B", "punchy drum and bass", 3.0, (15.0, 30.0)),
    ]
    seed_col, format_col = st.columns(2)
    seed = seed_col.number_input(
        "Seed",
        min_value=0,
        value=None,
        step=1,
        placeholder="random",
        key="seed",
        help="The same seed with other prompts keeps the song's structure. Left empty, a "
        "random one is drawn and shown with the song.",
    )
    audio_format = format_col.radio("Format", FORMATS, horizontal=True, key="riff_format")
    backend_note()
    if st.button("Create song", type="primary", key="riff_go"):
        song_inputs = what_to_send(prompts, lyrics, seed)
        if song_inputs is None:
            return
        chosen, words, sent_seed = song_inputs
        create_song(
            lambda client: client.riff(
                chosen, lyrics=words, seed=sent_seed, audio_format=audio_format
            ),
            kind="Riff",
            title=" → ".join(prompt.text for prompt in chosen),
            seed=sent_seed,
        )


def prompt_tab() -> None:
    """One prompt in, one song out, with a title (the service as it is now: ``/prompt``)."""
    prompt = st.text_input(
        "Prompt",
        value="Explain the concept of time in French, piano chill",
        key="prompt_text",
        help="The lyrical content and/or the style, in one sentence.",
    )
    instrumental = st.checkbox("Instrumental (no vocals, no lyrics)", key="prompt_instrumental")
    model = st.text_input("Model", value="FUZZ-2.0", key="prompt_model")
    backend_note(second=True)
    if st.button("Create song", type="primary", key="prompt_go"):
        if not (prompt or "").strip():
            st.warning("Write a prompt first.")
            return
        create_song(
            lambda client: client.prompt(prompt, instrumental=instrumental, model=model),
            kind="Prompt",
            title=prompt,
        )


def _sound_prompt_inputs(column: Any, label: str, text: str, strength: float) -> SoundPrompt:
    key = label.lower().replace(" ", "_")
    with column:
        st.markdown(f"**{label}**")
        value = st.text_input("Sound", value=text, key=f"{key}_text")
        power = st.slider("Strength", -1.0, 1.0, strength, 0.05, key=f"{key}_strength")
    return SoundPrompt(text=(value or "").strip(), strength=power)


def compose_tab() -> None:
    """Your lyrics and two sound prompts mixed by strength (``/compose``): every word timed."""
    lyrics = st.text_area(
        "Lyrics (leave empty for an instrumental)",
        value=DEFAULT_LYRICS,
        height=160,
        key="compose_lyrics",
    )
    left, right = st.columns(2)
    prompts = [
        _sound_prompt_inputs(left, "Sound prompt A", "dreamy synthwave", 0.7),
        _sound_prompt_inputs(right, "Sound prompt B", "gated reverb drums", 0.3),
    ]
    vocals, weird = st.columns(2)
    lyrics_strength = vocals.slider("Vocals", 0.0, 1.0, 0.5, 0.05, key="compose_vocals")
    weirdness = weird.slider("Weirdness", 0.0, 1.0, 0.5, 0.05, key="compose_weirdness")
    seed_col, model_col = st.columns(2)
    seed = seed_col.number_input(
        "Seed",
        min_value=0,
        value=None,
        step=1,
        placeholder="random",
        key="compose_seed",
        help="The same request and seed give the same song. Left empty, a random one is "
        "drawn and shown with the song.",
    )
    model = model_col.text_input("Model", value="FUZZ-2.0", key="compose_model")
    backend_note(second=True)
    if st.button("Create song", type="primary", key="compose_go"):
        song_inputs = what_to_send(prompts, lyrics, seed)
        if song_inputs is None:
            return
        chosen, words, sent_seed = song_inputs
        create_song(
            lambda client: client.compose(
                chosen,
                lyrics=words,
                lyrics_strength=lyrics_strength,
                weirdness=weirdness,
                seed=sent_seed,
                model=model,
            ),
            kind="Compose",
            title=" + ".join(prompt.text for prompt in chosen),
            seed=sent_seed,
        )


def show_latest(creation: Creation) -> None:
    """The newest song in full: player, timing, spectrogram, prompts, timed lyrics, download."""
    st.subheader(f"#{creation.number} {creation.kind}: {creation.title}")
    st.audio(creation.audio, format=MIME[creation.audio_format])
    took, fmt, where, seed = st.columns(4)
    took.metric("Took", f"{creation.elapsed_s:.1f} s")
    fmt.metric("Format", creation.audio_format)
    where.metric("Backend", creation.backend)
    seed.metric("Seed", "none" if creation.seed is None else str(creation.seed))
    song_facts(creation)
    if creation.seed is not None:
        tab = "Compose" if creation.kind == "Compose" else "Riff"
        st.button(
            f"Use seed {creation.seed} in the {tab} tab",
            key=f"reuse_seed_{creation.number}",
            on_click=_reuse_seed,
            args=(creation.seed, "compose_seed" if tab == "Compose" else "seed"),
            help="Same seed, other prompts or lyrics: a variation with the same structure.",
        )
    if creation.picture is not None:
        st.image(creation.picture, caption="Spectrogram: time →, pitch ↑", width="stretch")
    st.markdown("**Prompts**")
    st.dataframe(creation.prompts, hide_index=True)
    if creation.lyrics:
        lyrics_col, words_col = st.columns([3, 2])
        lyrics_col.markdown("**Lyrics**")
        lyrics_col.text(creation.lyrics)
        words_col.markdown("**Word timings**")
        words_col.dataframe(creation.words, hide_index=True, height=260)
    else:
        st.caption("Instrumental: no lyrics.")
    download_button(creation)


def song_facts(creation: Creation) -> None:
    """The song's id and seed, as text to copy."""
    st.caption(f"Song id `{creation.song_id}` · seed `{creation.seed_text}`")


def _reuse_seed(seed: int, key: str = "seed") -> None:
    # A callback runs before the next run draws the widgets, so the seed input shows it.
    st.session_state[key] = seed


def download_button(creation: Creation) -> None:
    """A button that downloads the song's file, keyed by its number in the session."""
    st.download_button(
        f"Download {creation.file_name}",
        creation.audio,
        file_name=creation.file_name,
        mime=MIME[creation.audio_format],
        key=f"download_{creation.number}",
        on_click="ignore",
    )


def show_history(history: list[Creation]) -> None:
    """Earlier songs of this session, newest first, each folded away with its player."""
    if not history:
        return
    st.subheader("Earlier songs")
    for creation in reversed(history):
        seed = "" if creation.seed is None else f", seed {creation.seed}"
        label = (
            f"#{creation.number} {creation.kind}: {creation.title} "
            f"({creation.audio_format}, {creation.elapsed_s:.1f} s{seed})"
        )
        with st.expander(label):
            st.audio(creation.audio, format=MIME[creation.audio_format])
            song_facts(creation)
            if creation.lyrics:
                st.text(creation.lyrics)
            download_button(creation)


#: The tabs that make songs, in their order on screen, each drawn by one function; Setup
#: follows them.
SONG_TABS: Final[dict[str, Callable[[], None]]] = {
    "Topic": topic_tab,
    "Riff": riff_tab,
    "Prompt": prompt_tab,
    "Compose": compose_tab,
}


def main() -> None:
    """Lay out the page: the tabs for input, then the latest song and the earlier ones."""
    st.set_page_config(page_title="Riffusion demo", page_icon="🎵", layout="wide")
    st.title("Riffusion demo")
    tabs = dict(zip([*SONG_TABS, "Setup"], st.tabs([*SONG_TABS, "Setup"]), strict=True))
    # Setup comes first in the code, though last on screen, so that the backend chosen there
    # is known when a button in the other tabs is pressed during the same run.
    with tabs["Setup"]:
        setup_tab()
    for name, draw in SONG_TABS.items():
        with tabs[name]:
            draw()

    history: list[Creation] = st.session_state.get("history", [])
    if history:
        st.divider()
        show_latest(history[-1])
        show_history(history[:-1])
    else:
        st.info("Your songs will appear here. Pick a tab above and press **Create song**.")


if __name__ == "__main__":
    main()
