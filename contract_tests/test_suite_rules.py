"""The runner's own rules (``_rules.py``), answer by answer: what they let pass, what they refuse.

The drifts prove each rule fails a whole run; these pin the edges a run might not reach: a
422 naming ``model`` is the one refusal of a valid request the second document allows, and
only there; an echo is judged as JSON numbers are read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from contract_tests._rules import ECHO, MISSING_AUTH, POSITIVE_DATA_ACCEPTANCE, AnswerRules
from contract_tests._spec import DOCUMENTS

GEN1, GEN2 = DOCUMENTS


@dataclass
class Answer:
    """As much of a schemathesis response as the rules read."""

    status_code: int
    body: Any

    def json(self) -> Any:
        return json.loads(json.dumps(self.body))


def _unprocessable(*fields: str) -> Answer:
    detail = [{"loc": ["body", name], "msg": "no", "type": "x"} for name in fields]
    return Answer(422, {"code": "validation_error", "message": "no", "detail": detail})


def _checks(document: Any, label: str, body: Any, answer: Answer) -> list[str]:
    return [verdict.check for verdict in AnswerRules(document).judge(label, body, answer)]


def test_a_422_naming_only_the_model_is_allowed_where_models_are_listed() -> None:
    body = {"prompt": "x", "model": "FUZZ-9"}
    assert _checks(GEN2, "POST /prompt", body, _unprocessable("model")) == []
    assert _checks(GEN2, "POST /prompt", body, _unprocessable("model", "prompt")) == [
        POSITIVE_DATA_ACCEPTANCE
    ]
    assert _checks(GEN2, "POST /prompt", body, _unprocessable()) == [POSITIVE_DATA_ACCEPTANCE]


def test_the_first_document_allows_no_422_to_a_valid_request() -> None:
    answer = _unprocessable("model")
    assert _checks(GEN1, "POST /topic", {"topic": "x"}, answer) == [POSITIVE_DATA_ACCEPTANCE]


@pytest.mark.parametrize(
    ("answer", "checks"),
    [
        (Answer(400, {"code": "moderation", "message": "no"}), []),
        (Answer(400, {"code": "invalid_json", "message": "no"}), [POSITIVE_DATA_ACCEPTANCE]),
        (Answer(401, {"code": "unauthorized", "message": "no"}), [MISSING_AUTH]),
        (Answer(403, "forbidden"), [MISSING_AUTH]),
    ],
    ids=["moderation", "invalid-json", "401", "403"],
)
def test_refusals_of_a_valid_request(answer: Answer, checks: list[str]) -> None:
    body = {"sound_prompts": []}
    assert _checks(GEN2, "POST /compose", body, answer) == checks


def _song(sound_prompts: list[dict[str, Any]]) -> Answer:
    return Answer(200, {"id": "1", "sound_prompts": sound_prompts})


@pytest.mark.parametrize(
    ("sent", "returned", "checks"),
    [
        ([{"text": "a", "strength": 1}], [{"text": "a", "strength": 1.0}], []),
        ([{"text": "a"}], [{"text": "a", "strength": 0.5}], []),
        ([{"text": "a", "strength": 0.5}], [{"text": "a"}], []),
        ([{"text": "a", "strength": 0.9}], [{"text": "a"}], [ECHO]),
        ([{"text": "a", "strength": 0.9}], [{"text": "a", "strength": 0.8}], [ECHO]),
        ([{"text": "a"}, {"text": "b"}], [{"text": "b"}, {"text": "a"}], [ECHO]),
        ([{"text": "a"}], [], [ECHO]),
        ([{"text": "a", "later": 1}], [{"text": "a"}], []),
    ],
    ids=[
        "5-is-5.0",
        "default-filled",
        "default-omitted",
        "strength-dropped",
        "strength-changed",
        "reordered",
        "dropped",
        "unknown-property",
    ],
)
def test_sound_prompts_come_back_as_sent(
    sent: list[dict[str, Any]], returned: list[dict[str, Any]], checks: list[str]
) -> None:
    body = {"sound_prompts": sent}
    assert _checks(GEN2, "POST /compose", body, _song(returned)) == checks


def test_only_the_request_s_own_lists_are_echoed() -> None:
    """/topic picks its prompts itself, and /prompt returns one sound_prompt it chose."""
    answer = Answer(200, {"prompts": [{"text": "chosen"}], "sound_prompt": "chosen"})
    assert _checks(GEN1, "POST /topic", {"topic": "x"}, answer) == []
    assert _checks(GEN2, "POST /prompt", {"prompt": "x"}, answer) == []
    riff = {"prompts": [{"text": "x", "start_s": 3}]}
    assert _checks(GEN1, "POST /riff", riff, Answer(200, {"prompts": [{"text": "x"}]})) == [ECHO]
