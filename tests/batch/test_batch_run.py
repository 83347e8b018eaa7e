"""riff_api.batch: files, manifest, resume, failure isolation, cancellation."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import httpx
import pytest
from batch_helpers import AsyncService, audio_for, manifest_lines, topic_jobs

from riff_api._batch import MANIFEST_NAME, BatchProgress, Job, batch, read_manifest


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def check_songs_complete(folder: Path) -> None:
    """Every audio file holds exactly its own job's song."""
    for path in folder.glob("*.wav"):
        job_number = int(path.stem.split("-")[1])
        assert path.read_bytes() == audio_for(f"song number {job_number}")


async def test_every_job_gets_a_file_and_a_manifest_line(
    service: AsyncService, tmp_path: Path
) -> None:
    jobs = topic_jobs(10)
    seen: list[BatchProgress] = []
    async with service.client() as client:
        report = await batch(
            jobs, client=client, out_dir=tmp_path, concurrency=3, on_progress=seen.append
        )
    assert report.count("ok") == 10
    for i in range(10):
        assert (tmp_path / f"job-{i:02d}.wav").read_bytes() == audio_for(f"song number {i}")
    lines = manifest_lines(tmp_path / MANIFEST_NAME)
    assert sorted(line["job_id"] for line in lines) == [job.id for job in jobs]
    first = next(line for line in lines if line["job_id"] == "job-03")
    assert first["status"] == "ok"
    assert first["file"] == "job-03.wav"
    assert first["audio_bytes"] == len(audio_for("song number 3"))
    assert first["lyrics"] == "[Verse]\nsong number 3"
    assert first["timestamped_lyrics"][2] == {"text": "3", "start_s": 2.0}
    assert first["attempts"] == 1
    assert first["error_type"] is None
    assert first["song_id"].startswith("song-")
    # Progress: once at the start, then once per job, counting up to the total.
    assert seen[0].done == 0
    assert seen[0].last is None
    assert [p.done for p in seen[1:]] == list(range(1, 11))
    assert all(p.total == 10 for p in seen)
    assert [r.job_id for r in report.results] == [job.id for job in jobs]


async def test_concurrency_is_bounded(service: AsyncService, tmp_path: Path) -> None:
    in_flight = 0
    most = 0

    async def count(request: httpx.Request, topic: str) -> None:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.001)
        in_flight -= 1

    service.handler = count
    async with service.client() as client:
        report = await batch(topic_jobs(20), client=client, out_dir=tmp_path, concurrency=4)
    assert report.count("ok") == 20
    assert most == 4


async def test_resume_skips_finished_jobs(service: AsyncService, tmp_path: Path) -> None:
    jobs = topic_jobs(6)
    async with service.client() as client:
        await batch(jobs, client=client, out_dir=tmp_path)
        assert len(service.topics) == 6
        again = await batch(jobs, client=client, out_dir=tmp_path)
    assert len(service.topics) == 6  # no request at all the second time
    assert again.count("skipped") == 6
    assert again.results[0].song_id is not None
    assert len(manifest_lines(tmp_path / MANIFEST_NAME)) == 6


async def test_resume_redoes_missing_or_damaged_files(
    service: AsyncService, tmp_path: Path
) -> None:
    jobs = topic_jobs(4)
    async with service.client() as client:
        await batch(jobs, client=client, out_dir=tmp_path)
        (tmp_path / "job-01.wav").unlink()
        (tmp_path / "job-02.wav").write_bytes(b"RIFF")  # truncated by hand
        again = await batch(jobs, client=client, out_dir=tmp_path)
    assert service.topics[4:] == ["song number 1", "song number 2"]
    assert [r.status for r in again.results] == ["skipped", "ok", "ok", "skipped"]
    assert (tmp_path / "job-02.wav").read_bytes() == audio_for("song number 2")


async def test_one_failing_job_does_not_stop_the_others(
    service: AsyncService, tmp_path: Path
) -> None:
    async def trouble(request: httpx.Request, topic: str) -> httpx.Response | None:
        if topic == "song number 2":
            return httpx.Response(422, json={"detail": [{"loc": ["body"], "msg": "no"}]})
        if topic == "song number 5":
            return httpx.Response(500, json={"message": "boom"}, headers={"x-request-id": "r5"})
        return None

    service.handler = trouble
    async with service.client(max_retries=3) as client:
        report = await batch(topic_jobs(8), client=client, out_dir=tmp_path, concurrency=4)
    assert report.count("ok") == 6
    assert report.count("failed") == 2
    assert report.fatal_error is None
    assert service.topics.count("song number 2") == 1  # 422 is not retried
    assert service.topics.count("song number 5") == 4  # 500 is, max_retries times
    manifest = read_manifest(tmp_path / MANIFEST_NAME)
    assert manifest["job-02"].status == "failed"
    assert manifest["job-02"].error_type == "UnprocessableEntityError"
    assert manifest["job-02"].status_code == 422
    assert manifest["job-02"].attempts == 1
    assert manifest["job-05"].error_type == "InternalServerError"
    assert manifest["job-05"].attempts == 4
    assert "boom" in (manifest["job-05"].error_message or "")
    assert not (tmp_path / "job-02.wav").exists()
    assert not (tmp_path / "job-05.wav").exists()

    # The next run retries only the failed jobs; the latest line of each job wins.
    service.handler = None
    async with service.client() as client:
        again = await batch(topic_jobs(8), client=client, out_dir=tmp_path)
    assert [r.job_id for r in again.results if r.status == "ok"] == ["job-02", "job-05"]
    assert all(r.status == "ok" for r in read_manifest(tmp_path / MANIFEST_NAME).values())


async def test_retries_are_counted(service: AsyncService, tmp_path: Path) -> None:
    failures = {"song number 0": 2}

    async def flaky(request: httpx.Request, topic: str) -> httpx.Response | None:
        if failures.get(topic, 0) > 0:
            failures[topic] -= 1
            raise httpx.ConnectError("reset by peer")
        return None

    service.handler = flaky
    async with service.client(max_retries=2) as client:
        report = await batch(topic_jobs(2), client=client, out_dir=tmp_path)
    assert [r.attempts for r in report.results] == [3, 1]
    assert report.count("ok") == 2


async def test_a_refused_key_stops_the_batch(service: AsyncService, tmp_path: Path) -> None:
    async def refuse(request: httpx.Request, topic: str) -> httpx.Response:
        await asyncio.sleep(0)  # let the other worker send its request too
        return httpx.Response(401, json={"message": "bad key"})

    service.handler = refuse
    async with service.client() as client:
        report = await batch(topic_jobs(50), client=client, out_dir=tmp_path, concurrency=2)
    assert report.fatal_error is not None
    assert report.fatal_error.status_code == 401  # type: ignore[attr-defined]
    assert len(service.topics) == 2  # the two in flight; no new job was started
    assert report.count("failed") == 2
    assert len(read_manifest(tmp_path / MANIFEST_NAME)) == 2


async def test_a_torn_manifest_line_is_ignored_and_not_extended(
    service: AsyncService, tmp_path: Path
) -> None:
    jobs = topic_jobs(3)
    async with service.client() as client:
        await batch(jobs[:2], client=client, out_dir=tmp_path, concurrency=1)
        manifest = tmp_path / MANIFEST_NAME
        whole = manifest.read_bytes()
        manifest.write_bytes(whole[:-20])  # the second line cut short, as by a kill
        report = await batch(jobs, client=client, out_dir=tmp_path)
    statuses = {r.job_id: r.status for r in report.results}
    assert statuses[jobs[0].id] == "skipped"
    assert statuses[jobs[1].id] == "ok"  # its line was torn: made again
    assert statuses[jobs[2].id] == "ok"
    assert set(read_manifest(manifest)) == {job.id for job in jobs}


async def test_stale_temporary_files_are_cleaned(service: AsyncService, tmp_path: Path) -> None:
    stale = tmp_path / ".job-00.wav.k1ll3d_x.part"
    stale.write_bytes(b"RIFF....half")
    unrelated = tmp_path / ".notes.txt.abcdefgh.part"
    unrelated.write_bytes(b"keep me")
    async with service.client() as client:
        await batch(topic_jobs(1), client=client, out_dir=tmp_path)
    assert not stale.exists()
    assert unrelated.exists()


async def test_bad_arguments(service: AsyncService, tmp_path: Path) -> None:
    async with service.client() as client:
        with pytest.raises(ValueError, match="concurrency"):
            await batch(topic_jobs(1), client=client, out_dir=tmp_path, concurrency=0)
        twice = [topic_jobs(1)[0], topic_jobs(1)[0]]
        with pytest.raises(ValueError, match="more than one job"):
            await batch(twice, client=client, out_dir=tmp_path)


async def test_cancelling_mid_batch_leaves_no_partial_file(
    service: AsyncService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel with requests hanging and a file write stopped half-way; then resume."""
    hang = asyncio.Event()  # never set: these requests are in flight when we cancel

    async def slow(request: httpx.Request, topic: str) -> None:
        if topic not in ("song number 0", "song number 1", "song number 2"):
            await hang.wait()

    # The write of job-02 stops after its bytes are in the temporary file, before the rename.
    writing = threading.Event()
    release = threading.Event()
    real_fsync = os.fsync

    def paused_fsync(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").split("/")[-1].startswith(".job-02.wav."):
            writing.set()
            release.wait(10)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", paused_fsync)
    service.handler = slow
    jobs = topic_jobs(12)
    async with service.client() as client:
        task = asyncio.create_task(batch(jobs, client=client, out_dir=tmp_path, concurrency=6))
        await asyncio.to_thread(writing.wait, 10)
        assert writing.is_set()
        assert temporary_files(tmp_path) != []  # a write really is in flight
        task.cancel()
        await asyncio.sleep(0.05)
        assert not task.done()  # a write under way is finished, not abandoned
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task

    assert temporary_files(tmp_path) == []
    check_songs_complete(tmp_path)
    done = read_manifest(tmp_path / MANIFEST_NAME)
    # The song whose write was under way is complete and recorded; nothing else started.
    assert "job-02" in done
    assert set(done) <= {"job-00", "job-01", "job-02"}
    assert all((tmp_path / result.file).exists() for result in done.values() if result.file)

    # The next run makes only what is missing.
    service.handler = None
    before = len(service.topics)
    async with service.client() as client:
        report = await batch(jobs, client=client, out_dir=tmp_path)
    assert report.count("ok") + report.count("skipped") == 12
    assert len(service.topics) - before == 12 - len(done)
    assert set(service.topics[before:]).isdisjoint({f"song number {j[-1]}" for j in done})


def test_job_file_names_follow_the_format() -> None:
    from riff_api import TopicRequest

    assert Job(id="a", request=TopicRequest(topic="x", audio_format="mp3")).file_name == "a.mp3"
