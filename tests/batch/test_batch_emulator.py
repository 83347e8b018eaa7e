"""riff_api.batch against the emulator over a socket, with its faults switched on."""

from __future__ import annotations

from pathlib import Path

import pytest

from riff_api import AsyncRiffusion, TopicRequest
from riff_api._audio import sniff_format
from riff_api._batch import MANIFEST_NAME, Job, batch, read_manifest
from riff_api.testing import run_emulator

pytest.importorskip("riff_api.emulator")


async def test_retries_carry_every_job_through_errors_and_drops(tmp_path: Path) -> None:
    jobs = [
        Job(id=f"song-{i:02d}", request=TopicRequest(topic=f"faulty song {i}", audio_format="mp3"))
        for i in range(16)
    ]
    with run_emulator(
        error_rate=0.3, drop_rate=0.15, fault_seed=7, duration_s=1.0, set_env=False
    ) as emulator:
        async with AsyncRiffusion(
            api_key=emulator.api_key, base_url=emulator.base_url, max_retries=10
        ) as client:
            report = await batch(jobs, client=client, out_dir=tmp_path, concurrency=4)
    assert report.count("ok") == 16, [r.error_message for r in report.failures]
    assert sum(r.attempts for r in report.results) > 16  # faults happened and were retried
    manifest = read_manifest(tmp_path / MANIFEST_NAME)
    assert {r.status for r in manifest.values()} == {"ok"}
    for job in jobs:
        assert sniff_format((tmp_path / job.file_name).read_bytes()) == "mp3"


async def test_without_retries_faults_are_recorded_per_job(tmp_path: Path) -> None:
    jobs = [Job(id=f"s{i}", request=TopicRequest(topic=f"song {i}")) for i in range(12)]
    with run_emulator(
        error_rate=0.4, drop_rate=0.2, fault_seed=3, duration_s=1.0, set_env=False
    ) as emulator:
        async with AsyncRiffusion(
            api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0
        ) as client:
            report = await batch(jobs, client=client, out_dir=tmp_path, concurrency=3)
    failed = report.failures
    assert failed
    assert report.count("ok") + len(failed) == 12
    assert {r.error_type for r in failed} <= {"InternalServerError", "APIConnectionError"}
    for result in failed:
        assert not (tmp_path / f"{result.job_id}.wav").exists()
