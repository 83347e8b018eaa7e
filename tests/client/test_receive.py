"""The streaming receive path: a song decoded chunk by chunk equals one parsed whole.

``SongReader`` never holds the audio as text, and a received song makes its ``audio_b64``
only when asked. Both must be invisible: every result, dump and error must be what parsing
the whole body gives, whatever the chunk boundaries.
"""

from __future__ import annotations

import copy
import json
import pickle
import random
import tracemalloc
import warnings
from collections.abc import Callable, Iterator

import httpx
import pybase64
import pydantic
import pytest

import riff_api
from riff_api import _receive
from riff_api._models import RiffResponse, parse_whole_song
from riff_api._receive import SongReader, parse_song
from tests.conftest import Recorder, song_body, wav_bytes

AUDIO = wav_bytes(0.01)
B64 = pybase64.b64encode(AUDIO)
REST = b'"lyrics":"[Verse]\\nHi","timestamped_lyrics":[{"text":"Hi","start_s":1.0}],"prompts":[]'

#: Bodies that must come out the same, chunked or not.
GOOD_BODIES = {
    "compact": b'{"id":"x","audio_b64":"%s",%s}' % (B64, REST),
    "spaced": b'{ "audio_b64" :\n "%s" , "id": "x", %s }' % (B64, REST),
    "audio last": b'{"id":"x",%s,"audio_b64":"%s"}' % (REST, B64),
    "escaped slashes": b'{"id":"x","audio_b64":"%s",%s}'
    % (b"\\/\\/\\/\\/" + B64.replace(b"/", b"\\/"), REST),
    "nested key first": b'{"id":"x","prompts":[{"text":"a","audio_b64":"QUJD"}],'
    b'"audio_b64":"%s","lyrics":null,"timestamped_lyrics":null}' % B64,
    # issue 12: the top-level key, spelt with an escape, after a nested one (audio b"")
    "nested key, then the top-level one escaped": b'{"id":"x","prompts":[{"text":"a",'
    b'"audio_b64":"QUJD"}],"audio\\u005fb64":"","lyrics":null,"timestamped_lyrics":null}',
    "top-level key escaped, a nested one after": b'{"id":"x","\\u0061udio_b64":"%s",'
    b'"prompts":[{"text":"a","audio_b64":"QUJD"}],"lyrics":null,"timestamped_lyrics":null}' % B64,
    "the top-level key escaped twice over": b'{"id":"x","audio_b64":"QUJD",%s,'
    b'"\\u0061\\u0075dio_b64":"%s"}' % (REST, B64),
    "key twice, the last empty": b'{"id":"x","audio_b64":"%s",%s,"audio_b64":""}' % (B64, REST),
    "key twice": b'{"id":"x","audio_b64":"QUJD",%s,"audio_b64":"%s"}' % (REST, B64),
    "stray pad bits": b'{"id":"x","audio_b64":"QUJDQR==",%s}' % REST,
    "stray pad bits, one =": b'{"id":"x","audio_b64":"QUJDQUF=",%s}' % REST,
    "empty audio": b'{"id":"x","audio_b64":"",%s}' % REST,
    "unicode around": b'{"id":"\xc3\xa9\xe2\x82\xac","audio_b64":"%s",%s}' % (B64, REST),
}

#: What the two errors of a body that is not a song say.
NOT_A_SONG = r"not valid base64|validation error for RiffResponse"

#: Bodies that are not songs: the error must be the whole parse's.
BAD_BODIES = {
    "bad character mid-audio": b'{"id":"x","audio_b64":"%s*%s",%s}' % (B64[:400], B64[400:], REST),
    "padding mid-audio": b'{"id":"x","audio_b64":"QQ==QUJD",%s}' % REST,
    "short last group": b'{"id":"x","audio_b64":"%sQUJ",%s}' % (B64, REST),
    "non-ascii in audio": b'{"id":"x","audio_b64":"QUJD\xc3\xa9",%s}' % REST,
    "newline escape in audio": b'{"id":"x","audio_b64":"QUJD\\nQUJD",%s}' % REST,
    "truncated in audio": b'{"id":"x","audio_b64":"%s' % B64[:999],
    "truncated after audio": b'{"id":"x","audio_b64":"%s","lyrics":nu' % B64,
    "missing field": b'{"id":"x","audio_b64":"%s","lyrics":null,"prompts":[]}' % B64,
    "wrong type after": b'{"id":"x","audio_b64":"%s","lyrics":3,"timestamped_lyrics":null,'
    b'"prompts":[]}' % B64,
    "audio not a string": b'{"id":"x","audio_b64":12,%s}' % REST,
    "no audio": b'{"id":"x",%s}' % REST,
    "not json": b"<html>502 Bad Gateway</html>",
    "empty": b"",
}


def chunked(body: bytes, sizes: Iterator[int]) -> Iterator[bytes]:
    at = 0
    while at < len(body):
        size = next(sizes)
        yield body[at : at + size]
        at += size


def read(body: bytes, sizes: Iterator[int], *, hint: bool = True) -> riff_api.RiffResponse:
    reader = SongReader(RiffResponse, len(body) if hint else None)
    for chunk in chunked(body, sizes):
        reader.feed(chunk)
    assert reader.size == len(body)
    return reader.finish()


def split_points(body: bytes) -> Iterator[Iterator[int]]:
    """Two chunks split at every position, then random small chunk sizes."""
    for at in range(1, len(body)):
        yield iter([at, len(body)])
    rng = random.Random(len(body))
    for _ in range(20):
        yield iter(lambda: rng.randint(1, 300), None)


def assert_same_song(song: riff_api.RiffResponse, reference: riff_api.RiffResponse) -> None:
    assert song.audio_bytes == reference.audio_bytes
    assert song.model_dump_json() == reference.model_dump_json()
    assert song.audio_b64 == reference.audio_b64
    assert song == reference


@pytest.mark.parametrize("name", list(GOOD_BODIES))
def test_any_chunking_gives_the_whole_parse(name: str) -> None:
    body = GOOD_BODIES[name]
    reference = parse_whole_song(body, RiffResponse)
    for sizes in split_points(body):
        assert_same_song(read(body, sizes), reference)
    assert_same_song(read(body, iter(lambda: 7, None), hint=False), reference)


@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_any_chunking_gives_the_whole_parse_error(name: str) -> None:
    body = BAD_BODIES[name]
    with pytest.raises(ValueError, match=NOT_A_SONG) as whole:
        parse_whole_song(body, RiffResponse)
    for sizes in split_points(body):
        with pytest.raises(ValueError, match=NOT_A_SONG) as streamed:
            read(body, sizes)
        assert type(streamed.value) is type(whole.value)
        if isinstance(whole.value, pydantic.ValidationError):
            assert isinstance(streamed.value, pydantic.ValidationError)
            assert streamed.value.errors(include_input=False) == whole.value.errors(
                include_input=False
            )
        else:
            assert str(streamed.value) == str(whole.value)


def test_stray_pad_bits_are_kept_as_sent() -> None:
    song = parse_song(GOOD_BODIES["stray pad bits"])
    assert song.audio_b64 == "QUJDQR=="
    assert song.audio_bytes == b"ABCA"


def test_a_song_body_is_held_once_not_three_times(monkeypatch: pytest.MonkeyPatch) -> None:
    # tracemalloc counts the reserved room as used, though its pages are never touched.
    monkeypatch.setattr(_receive, "_RESERVE", 0)
    audio = random.Random(1).randbytes(3 * 1024 * 1024)
    body = json.dumps(song_body(audio_b64=pybase64.b64encode(audio).decode())).encode()
    tracemalloc.start()
    try:
        reader = SongReader(RiffResponse, len(body))
        for at in range(0, len(body), 65536):
            reader.feed(body[at : at + 65536])
        song = reader.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert song.audio_bytes == audio
    # The decoded audio and a few chunks: not the 4 MiB of text as well.
    assert peak < len(audio) + 1024 * 1024
    assert "audio_b64" not in song.__dict__


def test_audio_b64_is_made_on_first_read_only() -> None:
    song = parse_song(GOOD_BODIES["compact"])
    assert "audio_b64" not in song.__dict__
    assert "base64 chars" in repr(song)
    assert "audio_b64" not in song.__dict__  # a repr does not make it
    assert song.audio_b64 == B64.decode()
    assert list(song.__dict__)[:2] == ["id", "audio_b64"]  # in its place among the fields


def test_an_on_demand_song_behaves_as_a_parsed_one() -> None:
    body = GOOD_BODIES["compact"]
    reference = parse_whole_song(body, RiffResponse)

    assert dict(parse_song(body)) == dict(reference)
    assert list(dict(parse_song(body))) == list(type(reference).model_fields)
    assert parse_song(body).model_dump() == reference.model_dump()
    assert reference == parse_song(body)
    assert parse_song(body) != parse_song(GOOD_BODIES["empty audio"])
    for clone in (
        copy.copy(parse_song(body)),
        copy.deepcopy(parse_song(body)),
        parse_song(body).model_copy(),
        pickle.loads(pickle.dumps(parse_song(body))),
    ):
        assert_same_song(clone, reference)

    class Album(pydantic.BaseModel):
        songs: list[riff_api.RiffResponse]

    album = Album(songs=[parse_song(body)])
    assert json.loads(album.model_dump_json())["songs"][0]["audio_b64"] == B64.decode()
    adapter = pydantic.TypeAdapter(list[riff_api.RiffResponse])
    assert adapter.dump_python([parse_song(body)])[0]["audio_b64"] == B64.decode()


def test_replacing_audio_b64_replaces_the_audio() -> None:
    other = pybase64.b64encode(b"other audio!").decode()
    song = parse_song(GOOD_BODIES["compact"])
    song.audio_b64 = other
    assert song.audio_bytes == b"other audio!"
    assert list(song.model_dump()) == list(type(song).model_fields)
    copied = parse_song(GOOD_BODIES["compact"]).model_copy(update={"audio_b64": other})
    assert copied.audio_bytes == b"other audio!"
    assert copied.audio_b64 == other


def test_a_song_made_by_hand_is_unchanged() -> None:
    song = riff_api.RiffResponse.model_validate(song_body())
    assert song.audio_b64 == song_body()["audio_b64"]
    assert song.audio_bytes == wav_bytes()
    with pytest.raises(AttributeError):
        riff_api.RiffResponse.model_construct(id="x").audio_b64  # noqa: B018


def test_audio_larger_than_the_reserved_room(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_receive, "_RESERVE", 100)
    monkeypatch.setattr(_receive, "_MAX_RESERVE", 200)
    body = GOOD_BODIES["compact"]
    assert_same_song(read(body, iter(lambda: 4096, None)), parse_whole_song(body, RiffResponse))


def test_no_room_to_reserve(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_receive, "_RESERVE", 1 << 62)  # more than any machine will give
    with pytest.raises(MemoryError):
        bytes(_receive._RESERVE)
    body = GOOD_BODIES["compact"]
    assert_same_song(read(body, iter(lambda: 4096, None)), parse_whole_song(body, RiffResponse))


def test_body_is_for_error_answers_only() -> None:
    reader = SongReader(RiffResponse, whole=True)
    reader.feed(b'{"error": ')
    reader.feed(b'"nope"}')
    assert reader.body() == b'{"error": "nope"}'
    with pytest.raises(RuntimeError):
        SongReader(RiffResponse).body()


@pytest.mark.parametrize("size", [1, 3, 4096, 65536])
def test_the_client_reads_a_song_in_any_chunks(
    make_client: Callable[..., riff_api.Riffusion], size: int
) -> None:
    body = json.dumps(song_body(audio_b64=pybase64.b64encode(wav_bytes(0.2)).decode())).encode()

    def stream() -> Iterator[bytes]:
        yield from chunked(body, iter(lambda: size, None))

    answer = httpx.Response(200, content=stream(), headers={"Content-Length": str(len(body))})
    song = make_client(Recorder(answer)).riff(["x"])
    assert song.audio_bytes == wav_bytes(0.2)
    assert "audio_b64" not in song.__dict__


def test_a_dump_without_the_audio_does_not_make_it() -> None:
    song = parse_song(GOOD_BODIES["compact"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns of a field missing from a dump
        dumped = song.model_dump(mode="json", exclude={"audio_b64"})
        assert json.loads(song.model_dump_json(exclude={"audio_b64"})) == dumped
    assert "audio_b64" not in dumped
    assert dumped["lyrics"] == "[Verse]\nHi"
    assert "audio_b64" not in song.__dict__


def test_threads_reading_a_song_while_its_text_is_made() -> None:
    from concurrent.futures import ThreadPoolExecutor

    def read_all(song: riff_api.RiffResponse) -> tuple[str, str, str | None]:
        return song.id, song.audio_b64, song.lyrics

    for _ in range(20):
        song = parse_song(GOOD_BODIES["compact"])
        with ThreadPoolExecutor(8) as pool:
            seen = set(pool.map(read_all, [song] * 64))
        assert seen == {("x", B64.decode(), "[Verse]\nHi")}
