"""A batch whose results can no longer be kept: a full disk, a folder it may not write.

Issue 12, item 8. The failures come two ways. Fault injection, always: the manifest module
is given an ``os`` whose ``write`` fills the disk after a number of bytes (a short write,
then ENOSPC), exactly what a full file system does, on any machine and without privileges.
And a real full disk where one can be had: a 1 MiB tmpfs, mounted when the tests run as
root (CI does) and skipped elsewhere, to show the injected behaviour is the kernel's.
"""

from __future__ import annotations

import base64
import errno
import io
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from batch_helpers import AsyncService, topic_jobs

import riff_api
from riff_api import _batch, _manifest
from riff_api._batch import MANIFEST_NAME, batch, read_manifest
from riff_api.cli import Environment, main


class FillingDisk:
    """``os`` as the manifest module sees it, on a disk with ``room`` bytes left."""

    def __init__(self, room: int) -> None:
        self.room = room

    def write(self, fd: int, data: bytes) -> int:
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done = os.write(fd, data[: self.room])
        self.room -= done
        return done  # short, once the room runs out

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def manifest_text_lines(folder: Path) -> list[bytes]:
    """The manifest's lines, each checked to be a whole line of JSON."""
    raw = (folder / MANIFEST_NAME).read_bytes()
    assert not raw or raw.endswith(b"\n"), "the manifest ends in a torn line"
    lines = raw.splitlines()
    for line in lines:
        json.loads(line)  # no torn line anywhere
    return lines


async def test_a_full_disk_stops_the_run_cleanly_and_leaves_no_torn_line(
    service: AsyncService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = topic_jobs(20)
    async with service.client() as client:
        await batch(jobs[:1], client=client, out_dir=tmp_path)
    one_line = len(manifest_text_lines(tmp_path)[0]) + 1
    # Room for three more lines and half of a fourth.
    monkeypatch.setattr(_manifest, "os", FillingDisk(3 * one_line + one_line // 2))
    async with service.client() as client:
        with pytest.raises(riff_api.BatchStorageError) as caught:
            await batch(jobs, client=client, out_dir=tmp_path, concurrency=2)
    error = caught.value
    assert isinstance(error, OSError)
    assert error.errno == errno.ENOSPC
    assert MANIFEST_NAME in str(error)
    assert "No space left on device" in str(error)
    lines = manifest_text_lines(tmp_path)
    assert len(lines) == 4  # the first run's, and three whole ones: the fourth was cut off
    # One song made per line kept, one whose line did not fit, and the one still in flight
    # then: no job was started once results could no longer be kept.
    assert len(service.topics) - 1 <= 3 + 1 + 1
    assert error.report is not None
    assert error.report.count("skipped") == 1
    assert error.report.count("ok") == 3

    monkeypatch.undo()  # room again: the next run resumes
    async with service.client() as client:
        report = await batch(jobs, client=client, out_dir=tmp_path, concurrency=2)
    assert report.count("skipped") == 4
    assert report.count("ok") == 16
    assert len(read_manifest(tmp_path / MANIFEST_NAME)) == 20


async def test_an_audio_file_that_cannot_be_saved_stops_the_run(
    service: AsyncService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved: list[Path] = []

    def disk_full_after_two(path: Path, data: bytes) -> Path:
        if len(saved) >= 2:
            raise riff_api.AudioSaveError(errno.ENOSPC, f"cannot save {str(path)!r}: full")
        saved.append(path)
        return Path(path)

    monkeypatch.setattr(_batch, "write_atomic", disk_full_after_two)
    async with service.client() as client:
        with pytest.raises(riff_api.BatchStorageError, match="full; the batch stopped") as caught:
            await batch(topic_jobs(30), client=client, out_dir=tmp_path, concurrency=3)
    assert len(service.topics) <= 2 + 1 + 2  # the failure, and at most those in flight
    manifest = read_manifest(tmp_path / MANIFEST_NAME)
    assert sum(r.status == "ok" for r in manifest.values()) == 2
    assert {r.error_type for r in manifest.values() if r.status == "failed"} == {"AudioSaveError"}
    assert caught.value.report is not None


async def test_an_audio_file_refused_for_another_reason_does_not_stop_the_run(
    service: AsyncService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def name_too_long(path: Path, data: bytes) -> Path:
        raise riff_api.AudioSaveError(errno.ENAMETOOLONG, "cannot save: File name too long")

    monkeypatch.setattr(_batch, "write_atomic", name_too_long)
    async with service.client() as client:
        report = await batch(topic_jobs(4), client=client, out_dir=tmp_path)
    assert report.count("failed") == 4


@pytest.mark.parametrize("reason", [errno.EROFS, errno.EACCES])
async def test_a_manifest_that_cannot_be_opened_fails_before_any_request(
    service: AsyncService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reason: int
) -> None:
    class ReadOnly(FillingDisk):
        def open(self, path: Any, flags: int, mode: int = 0o777) -> int:
            raise OSError(reason, os.strerror(reason), str(path))

    monkeypatch.setattr(_manifest, "os", ReadOnly(0))
    async with service.client() as client:
        with pytest.raises(riff_api.BatchStorageError, match="cannot write the manifest") as caught:
            await batch(topic_jobs(3), client=client, out_dir=tmp_path)
    assert caught.value.errno == reason
    assert caught.value.report is None
    assert service.topics == []


async def test_an_out_dir_that_cannot_be_made_fails_before_any_request(
    service: AsyncService, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    async with service.client() as client:
        with pytest.raises(riff_api.BatchStorageError, match="cannot make the folder"):
            await batch(topic_jobs(3), client=client, out_dir=tmp_path / "a-file" / "songs")
    assert service.topics == []


def test_riff_batch_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, service: AsyncService
) -> None:
    def riff(*args: str) -> tuple[int, str, str]:
        stdout, stderr = io.StringIO(), io.StringIO()
        env = Environment(
            stdout=stdout,
            stderr=stderr,
            environ={"RIFFUSION_API_KEY": "k"},
            cwd=tmp_path,
            transport=httpx.MockTransport(service),
        )
        return main(list(args), env), stdout.getvalue(), stderr.getvalue()

    jobs = "".join(f'{{"id": "j{i}", "topic": "song {i}"}}\n' for i in range(6))
    (tmp_path / "jobs.jsonl").write_text(jobs, encoding="utf-8")
    (tmp_path / "first.jsonl").write_text(jobs.splitlines()[0], encoding="utf-8")
    assert riff("batch", "first.jsonl", "--out-dir", "songs")[0] == 0
    one_line = len(manifest_text_lines(tmp_path / "songs")[0]) + 1
    monkeypatch.setattr(_manifest, "os", FillingDisk(one_line + one_line // 2))
    status, out, message = riff("batch", "jobs.jsonl", "--out-dir", "songs", "-j", "1")
    assert status == 1
    assert "No space left on device" in message
    assert "(1 song(s) made and recorded)" in message
    assert "run the same command to resume" in message
    assert "Traceback" not in message
    assert len(message.strip().splitlines()) == 1
    assert "1 made, 1 already done, 0 failed" in out  # the report of what was kept
    assert len(service.topics) == 1 + 2  # the first run's, one kept, one whose line failed
    assert len(manifest_text_lines(tmp_path / "songs")) == 2


# -- a real full disk --------------------------------------------------------------------------


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 1 MiB tmpfs, mounted for the test and unmounted after; skipped where impossible."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    folder = Path(tempfile.mkdtemp(prefix="riff-small-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


async def test_on_a_real_full_disk(small_disk: Path) -> None:
    big = AsyncService()
    song = os.urandom(150 * 1024)

    async def big_song(request: httpx.Request, topic: str) -> httpx.Response:
        body = {"id": "x", "audio_b64": base64.b64encode(song).decode(), "lyrics": "la " * 300}
        body.update(timestamped_lyrics=[{"text": "la", "start_s": 0.1 * i} for i in range(300)])
        return httpx.Response(200, json={**body, "prompts": []})

    big.handler = big_song
    out = small_disk / "songs"
    async with big.client() as client:
        with pytest.raises(riff_api.BatchStorageError, match="No space left on device"):
            await batch(topic_jobs(20), client=client, out_dir=out, concurrency=2)
    lines = manifest_text_lines(out)
    saved = len(list(out.glob("*.wav")))
    assert saved >= 4  # 150 KiB songs on 1 MiB: most of it was used
    assert len(big.topics) <= len(lines) + 2  # nothing started once a result could not be kept
