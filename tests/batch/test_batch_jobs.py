"""Reading jobs: the JSONL format, ids, defaults, and clear errors for bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riff_api import Prompt, RiffRequest, TopicRequest
from riff_api._batch import Job, JobFileError, parse_jobs, read_jobs


def test_topic_and_riff_lines() -> None:
    jobs = parse_jobs(
        [
            '{"id": "boris", "topic": "Indie pop about my dog Boris"}',
            "",
            json.dumps(
                {
                    "prompts": ["chillstep pop", {"text": "cellos", "strength": 3, "end_s": 10}],
                    "lyrics": "Hello",
                    "seed": 42,
                    "audio_format": "mp3",
                    "moderate_inputs": False,
                }
            ),
        ]
    )
    assert jobs[0].id == "boris"
    assert jobs[0].request == TopicRequest(topic="Indie pop about my dog Boris")
    assert jobs[0].file_name == "boris.wav"
    assert jobs[1].request == RiffRequest(
        prompts=[Prompt(text="chillstep pop"), Prompt(text="cellos", strength=3, end_s=10)],
        lyrics="Hello",
        seed=42,
        audio_format="mp3",
        moderate_inputs=False,
    )
    assert jobs[1].file_name.endswith(".mp3")


def test_default_id_is_a_stable_hash_of_the_request() -> None:
    a = parse_jobs(['{"topic": "rain", "audio_format": "wav"}'])[0]
    b = parse_jobs(['{ "audio_format":"wav" ,  "topic":"rain" }'])[0]
    c = parse_jobs(['{"topic": "rain"}'])[0]  # the default format is part of the request
    d = parse_jobs(['{"topic": "snow"}'])[0]
    assert a.id == b.id == c.id
    assert a.id != d.id
    assert len(a.id) == 16


def test_format_default_applies_only_to_lines_without_one() -> None:
    jobs = parse_jobs(
        ['{"topic": "a"}', '{"topic": "b", "audio_format": "wav"}'], audio_format="m4a"
    )
    assert [job.request.audio_format for job in jobs] == ["m4a", "wav"]


def test_identical_lines_each_get_their_own_job() -> None:
    jobs = parse_jobs(['{"topic": "rain"}'] * 3)
    assert jobs[1].id == f"{jobs[0].id}-2"
    assert jobs[2].id == f"{jobs[0].id}-3"


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("{not json", "line 2: Expecting property name"),
        ('["topic"]', "must be a JSON object"),
        ("{}", 'either "topic" or "prompts"'),
        ('{"topic": "a", "prompts": ["b"]}', 'either "topic" or "prompts"'),
        ('{"topic": "a", "seed": 1}', "unknown key(s) 'seed'"),
        ('{"prompt": ["a"]}', "prompt: Input should be a valid string"),
        ('{"prompts": ["a"], "prompt": "b"}', "not several of them"),
        ('{"prompts": ["a"], "lyric": "x"}', "unknown key(s) 'lyric'"),
        ('{"topic": "  "}', "non-empty"),
        ('{"prompts": [{"strength": 2}]}', "prompts.0.text: Field required"),
        ('{"topic": "a", "audio_format": "ogg"}', "audio_format"),
        ('{"id": "../etc/passwd", "topic": "a"}', "becomes a file name"),
        ('{"id": 7, "topic": "a"}', "becomes a file name"),
        ('{"id": "one", "topic": "b"}', "job id 'one' is used twice"),
    ],
)
def test_bad_lines_name_their_line(line: str, complaint: str) -> None:
    with pytest.raises(JobFileError) as caught:
        parse_jobs(['{"id": "one", "topic": "a"}', line], source="jobs.jsonl")
    assert str(caught.value).startswith("jobs.jsonl, line 2: ")
    assert complaint in str(caught.value)


def test_read_jobs_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text('{"topic": "a"}\n{"topic": "b"}\n', encoding="utf-8")
    assert [job.request.topic for job in read_jobs(path)] == ["a", "b"]  # type: ignore[union-attr]


def test_job_ids_are_checked_when_made_by_hand() -> None:
    with pytest.raises(ValueError, match="becomes a file name"):
        Job(id=".hidden", request=TopicRequest(topic="a"))


def test_a_line_may_name_its_operation() -> None:
    (job,) = parse_jobs(['{"operation": "create_riff", "prompts": ["a"], "seed": 1}'])
    assert job.operation.id == "create_riff"
    with pytest.raises(JobFileError, match="'list_models' is not a song-making operation"):
        parse_jobs(['{"operation": "list_models"}'])
    with pytest.raises(JobFileError, match="unknown key"):
        parse_jobs(['{"operation": "prompt", "prompts": ["a"]}'])
