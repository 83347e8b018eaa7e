"""``riff batch``: jobs file in, songs and manifest out, status by outcome."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from cli_helpers import API_KEY, FakeService, Run, status

from riff_api.cli import ExitStatus

JOBS = "\n".join(
    [
        '{"id": "dog", "topic": "Indie pop banger about my dog Boris"}',
        '{"id": "space", "prompts": ["chillstep pop", {"text": "cellos", "strength": 3}], '
        '"lyrics": "Hello from outer space", "seed": 42}',
        '{"topic": "French piano chill", "audio_format": "mp3"}',
    ]
)


def manifest(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / "manifest.jsonl").read_text().splitlines()]


def test_batch_makes_every_song(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    (tmp_path / "jobs.jsonl").write_text(JOBS, encoding="utf-8")
    run = riff("batch", "jobs.jsonl", "--out-dir", "songs", "--format", "m4a", "-j", "2")
    assert run.status == ExitStatus.OK, run.stderr
    assert "3 job(s): 3 made, 0 already done, 0 failed" in run.stdout
    assert "manifest songs/manifest.jsonl" in run.stdout
    songs = tmp_path / "songs"
    names = sorted(p.name for p in songs.iterdir())
    assert "dog.m4a" in names
    assert "space.m4a" in names
    assert sum(name.endswith(".mp3") for name in names) == 1
    assert {line["status"] for line in manifest(songs)} == {"ok"}
    sent = sorted(json.dumps(json.loads(r.content), sort_keys=True) for r in service.requests)
    assert any('"seed": 42' in body for body in sent)
    assert run.stderr == ""  # no terminal: no progress bar

    again = riff("batch", "jobs.jsonl", "--out-dir", "songs", "--format", "m4a")
    assert again.status == ExitStatus.OK
    assert "0 made, 3 already done" in again.stdout
    assert len(service.requests) == 3


def test_batch_reads_stdin_and_prints_json(riff: Callable[..., Run], tmp_path: Path) -> None:
    run = riff("batch", "-", "-d", "out", "--json", stdin='{"id": "a", "topic": "rain"}\n')
    assert run.status == ExitStatus.OK, run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] == 1
    assert report["results"][0]["job_id"] == "a"
    assert report["results"][0]["file"] == "a.wav"


def test_failed_jobs_make_the_status_an_error(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    (tmp_path / "jobs.jsonl").write_text(JOBS, encoding="utf-8")
    service.then(status(422, {"detail": [{"loc": ["body", "topic"], "msg": "bad"}]}))
    run = riff("batch", "jobs.jsonl", "-d", "out", "-j", "1")
    assert run.status == ExitStatus.ERROR
    assert "2 made, 0 already done, 1 failed" in run.stdout
    assert "failed  dog  UnprocessableEntityError" in run.stdout


def test_a_refused_key_stops_with_the_auth_status(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    (tmp_path / "jobs.jsonl").write_text(JOBS, encoding="utf-8")
    service.then(status(401), times=5)
    run = riff("batch", "jobs.jsonl", "-d", "out", "-j", "1")
    assert run.status == ExitStatus.AUTH
    assert "stopped early: the service refused the API key" in run.stderr
    assert len(service.requests) == 1


def test_progress_bar_on_a_terminal(riff: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "jobs.jsonl").write_text(JOBS, encoding="utf-8")
    run = riff("batch", "jobs.jsonl", "-d", "out", tty=True)
    assert run.status == ExitStatus.OK
    assert "] 0/3" in run.stderr or "] 3/3" in run.stderr
    assert run.stderr.endswith("\r\x1b[K")


@pytest.mark.parametrize(
    ("jobs", "args", "complaint"),
    [
        (None, [], "cannot read the jobs file 'jobs.jsonl'"),
        ("", [], "holds no jobs"),
        (
            '{"topic": "a"}\n{"topic": 1}',
            [],
            "jobs.jsonl, line 2: topic: Input should be a valid string",
        ),
        ('{"topic": "a"}', ["--local", "--base-url", "http://127.0.0.1:1/v1"], "--local"),
    ],
)
def test_batch_usage_errors(
    riff: Callable[..., Run],
    service: FakeService,
    tmp_path: Path,
    jobs: str | None,
    args: list[str],
    complaint: str,
) -> None:
    if jobs is not None:
        (tmp_path / "jobs.jsonl").write_text(jobs, encoding="utf-8")
    run = riff("batch", "jobs.jsonl", "-d", "out", *args)
    assert run.status == ExitStatus.USAGE
    assert complaint in run.stderr
    assert service.requests == []


def test_out_dir_must_be_a_folder(riff: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "jobs.jsonl").write_text(JOBS, encoding="utf-8")
    (tmp_path / "taken").write_text("a file")
    run = riff("batch", "jobs.jsonl", "-d", "taken")
    assert run.status == ExitStatus.USAGE
    assert "is a file" in run.stderr


def test_connection_failures_are_recorded_per_job(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    (tmp_path / "jobs.jsonl").write_text(JOBS, encoding="utf-8")
    service.then(refused, times=3)
    run = riff("batch", "jobs.jsonl", "-d", "out", "-j", "1", "--max-retries", "0")
    assert run.status == ExitStatus.ERROR
    lines = manifest(tmp_path / "out")
    assert [line["error_type"] for line in lines] == ["APIConnectionError"] * 3


def test_the_key_never_reaches_the_manifest(
    riff: Callable[..., Run], service: FakeService, tmp_path: Path
) -> None:
    service.then(status(422, {"message": f"bad request from key {API_KEY}"}))
    (tmp_path / "jobs.jsonl").write_text('{"id": "a", "topic": "rain"}\n', encoding="utf-8")
    run = riff("batch", "jobs.jsonl", "--out-dir", "songs", "--api-key", API_KEY)
    assert run.status == ExitStatus.ERROR
    written = (tmp_path / "songs" / "manifest.jsonl").read_text()
    assert "bad request from key [secure]" in written
    assert API_KEY not in written + run.stdout + run.stderr
