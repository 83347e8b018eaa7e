"""scripts/spec-diff: the second generation's real change log judged step by step, the reverse
of each step, breaking edits of those documents, and the exit status 2 for unreadable files.

Every comparison runs the real command (its exit status and its whole output) and the module's
``compare``, whose changes are checked exactly.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHANGELOG = Path(__file__).resolve().parent / "changelog"
sys.path.insert(0, str(ROOT / "scripts"))

import _spec_diff  # noqa: E402
from _spec_diff import Change  # noqa: E402

Doc = dict[str, Any]
Edit = Callable[[Doc], None]


def release(version: str) -> Doc:
    document: Doc = yaml.safe_load((CHANGELOG / f"{version}.yaml").read_text())
    return document


def schema(doc: Doc, name: str) -> Doc:
    found: Doc = doc["components"]["schemas"][name]
    return found


def run(old: Path, new: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spec-diff"), str(old), str(new)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def diff(old: Path, new: Path) -> list[Change]:
    """The changes from ``old`` to ``new``, after checking that the command reports exactly
    them and exits 1 when one breaks and 0 when none does."""
    changes = _spec_diff.compare(old, new)
    done = run(old, new)
    assert done.stdout == _spec_diff.format_report(changes) + "\n"
    assert done.stderr == ""
    assert done.returncode == (1 if any(change.breaking for change in changes) else 0)
    return changes


def diff_docs(tmp_path: Path, old: Doc, new: Doc) -> list[Change]:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old, sort_keys=False))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new, sort_keys=False))
    return diff(tmp_path / "old.yaml", tmp_path / "new.yaml")


def edited(version: str, edit: Edit) -> Doc:
    doc = copy.deepcopy(release(version))
    edit(doc)
    return doc


def version_line(old: str, new: str) -> Change:
    return Change("document", f"version changed from {old} to {new}", False)


PROMPT_MODEL = "POST /prompt request body: field 'model'"
COMPOSE_MODEL = "POST /compose request body: field 'model'"
OLD_PROMPT_MODELS = "'FUZZ 1.0', 'FUZZ 1.1', 'Ocelot', 'Jerboa'"
OLD_COMPOSE_MODELS = "'FUZZ 1.0', 'FUZZ 1.1', 'FUZZ lite', 'Ocelot', 'Jerboa'"

# The real change log (shared/reference/api.md, "How the schema changed across releases"):
# each step as it happened and its reverse.
CHANGELOG_STEPS = {
    ("0.2.6", "0.3.2"): [
        Change(PROMPT_MODEL, "added (optional)", False),
        Change(COMPOSE_MODEL, "added (optional)", False),
    ],
    ("0.3.2", "0.4.0"): [
        Change(PROMPT_MODEL, "enum widened: 'Ocelot', 'Jerboa' added", False),
        Change(COMPOSE_MODEL, "enum widened: 'FUZZ lite', 'Ocelot', 'Jerboa' added", False),
    ],
    ("0.4.0", "0.4.2"): [
        Change(
            PROMPT_MODEL, f"no longer an enum: any string allowed (was {OLD_PROMPT_MODELS})", False
        ),
        Change(PROMPT_MODEL, "default changed from 'FUZZ 1.1' to 'FUZZ-2.0'", False),
        Change(
            COMPOSE_MODEL,
            f"no longer an enum: any string allowed (was {OLD_COMPOSE_MODELS})",
            False,
        ),
        Change(COMPOSE_MODEL, "default changed from 'FUZZ 1.1' to 'FUZZ-2.0'", False),
        Change("GET /models", "added", False),
    ],
    ("0.3.2", "0.2.6"): [
        Change(PROMPT_MODEL, "removed", True),
        Change(COMPOSE_MODEL, "removed", True),
    ],
    ("0.4.0", "0.3.2"): [
        Change(PROMPT_MODEL, "enum narrowed: 'Ocelot', 'Jerboa' removed", True),
        Change(COMPOSE_MODEL, "enum narrowed: 'FUZZ lite', 'Ocelot', 'Jerboa' removed", True),
    ],
    ("0.4.2", "0.4.0"): [
        Change(PROMPT_MODEL, f"now an enum: one of {OLD_PROMPT_MODELS}", True),
        Change(PROMPT_MODEL, "default changed from 'FUZZ-2.0' to 'FUZZ 1.1'", False),
        Change(COMPOSE_MODEL, f"now an enum: one of {OLD_COMPOSE_MODELS}", True),
        Change(COMPOSE_MODEL, "default changed from 'FUZZ-2.0' to 'FUZZ 1.1'", False),
        Change("GET /models", "removed", True),
    ],
    # 0.2 to today in one go: what a client written for 0.2 meets now.
    ("0.2.6", "0.4.2"): [
        Change(PROMPT_MODEL, "added (optional)", False),
        Change(COMPOSE_MODEL, "added (optional)", False),
        Change("GET /models", "added", False),
    ],
}


@pytest.mark.parametrize(
    ("old", "new"), list(CHANGELOG_STEPS), ids=[f"{old}->{new}" for old, new in CHANGELOG_STEPS]
)
def test_changelog_step(old: str, new: str) -> None:
    changes = diff(CHANGELOG / f"{old}.yaml", CHANGELOG / f"{new}.yaml")
    assert changes == [version_line(old, new), *CHANGELOG_STEPS[(old, new)]]


def _drop_title(doc: Doc) -> None:
    del schema(doc, "PromptResponse")["properties"]["title"]
    schema(doc, "PromptResponse")["required"].remove("title")


def _status_200_to_201(doc: Doc) -> None:
    responses = doc["paths"]["/prompt"]["post"]["responses"]
    responses["201"] = responses.pop("200")


def _required_request_field(doc: Doc) -> None:
    schema(doc, "PromptRequest")["properties"]["genre"] = {"type": "string"}
    schema(doc, "PromptRequest")["required"].append("genre")


def _models_parameter(required: bool) -> Edit:
    def edit(doc: Doc) -> None:
        parameter = {
            "name": "tier",
            "in": "query",
            "required": required,
            "schema": {"type": "string"},
        }
        doc["paths"]["/models"]["get"]["parameters"] = [parameter]

    return edit


def _set(schema_name: str, field: str, **keywords: Any) -> Edit:
    def edit(doc: Doc) -> None:
        schema(doc, schema_name)["properties"][field].update(keywords)

    return edit


TITLE = "POST /prompt response 200 body: field 'title'"
STRENGTH = "field 'sound_prompts[].strength'"
PROMPT_STRENGTH = "field 'prompts[].strength'"

# Edits of a release, each with the report it must give: (release, edit, [(where, what)]);
# every change of the first table breaks OLD's clients, none of the second does.
BREAKING_EDITS: dict[str, tuple[str, Edit, list[tuple[str, str]]]] = {
    "response field removed": ("0.4.2", _drop_title, [(TITLE, "removed")]),
    "request field made required": (
        "0.4.2",
        lambda doc: schema(doc, "ComposeRequest")["required"].append("lyrics"),
        [("POST /compose request body: field 'lyrics'", "made required")],
    ),
    "required request field added": (
        "0.4.2",
        _required_request_field,
        [("POST /prompt request body: field 'genre'", "added, required")],
    ),
    "request enum narrowed": (
        "0.4.0",
        lambda doc: schema(doc, "PromptRequest")["properties"]["model"]["enum"].remove("Jerboa"),
        [(PROMPT_MODEL, "enum narrowed: 'Jerboa' removed")],
    ),
    "type changed (a schema in the request and the response)": (
        "0.4.2",
        _set("SoundPrompt", "strength", type="string"),
        [
            (f"POST /compose request body: {STRENGTH}", "type changed from number to string"),
            (f"POST /compose response 200 body: {STRENGTH}", "type changed from number to string"),
        ],
    ),
    "response field made nullable": (
        "0.4.2",
        _set("PromptResponse", "title", type=["string", "null"]),
        [(TITLE, "made nullable")],
    ),
    "response field made nullable, the anyOf way": (
        "0.4.2",
        lambda doc: schema(doc, "PromptResponse")["properties"].update(
            title={"anyOf": [{"type": "string"}, {"type": "null"}]}
        ),
        [(TITLE, "made nullable")],
    ),
    "response field made optional": (
        "0.4.2",
        lambda doc: schema(doc, "PromptResponse")["required"].remove("title"),
        [(TITLE, "made optional")],
    ),
    "response enum widened": (
        "0.4.2",
        _set("PromptResponse", "audio_format", enum=["m4a", "wav"]),
        [("POST /prompt response 200 body: field 'audio_format'", "enum widened: 'wav' added")],
    ),
    "request field no longer nullable": (
        "0.4.2",
        _set("ComposeRequest", "lyrics", type="string"),
        [("POST /compose request body: field 'lyrics'", "no longer nullable")],
    ),
    "request bound added": (
        "0.4.2",
        _set("PromptRequest", "prompt", maxLength=200),
        [("POST /prompt request body: field 'prompt'", "maxLength 200 added")],
    ),
    "operation removed": (
        "0.4.2",
        lambda doc: doc["paths"].pop("/models"),
        [("GET /models", "removed")],
    ),
    "success status changed": (
        "0.4.2",
        _status_200_to_201,
        [
            ("POST /prompt response 200", "removed"),
            ("POST /prompt response 201", "added"),
        ],
    ),
    "request body removed": (
        "0.4.2",
        lambda doc: doc["paths"]["/prompt"]["post"].pop("requestBody"),
        [("POST /prompt request body", "removed")],
    ),
    "required parameter added": (
        "0.4.2",
        _models_parameter(required=True),
        [("GET /models parameter 'tier' (query)", "added, required")],
    ),
}

NON_BREAKING_EDITS: dict[str, tuple[str, Edit, list[tuple[str, str]]]] = {
    "response field added": (
        "0.4.2",
        lambda doc: schema(doc, "PromptResponse")["properties"].update(genre={"type": "string"}),
        [("POST /prompt response 200 body: field 'genre'", "added (optional)")],
    ),
    "request default changed": (
        "0.4.2",
        _set("ComposeRequest", "weirdness", default=0.7),
        [("POST /compose request body: field 'weirdness'", "default changed from 0.5 to 0.7")],
    ),
    "request enum widened": (
        "0.4.2",
        _set("PromptRequest", "audio_format", enum=["m4a", "wav"]),
        [("POST /prompt request body: field 'audio_format'", "enum widened: 'wav' added")],
    ),
    "request type widened": (
        "0.4.2",
        _set("ComposeRequest", "seed", type=["number", "null"]),
        [("POST /compose request body: field 'seed'", "type widened from integer to number")],
    ),
    "nullability written the anyOf way instead: the same schema": (
        "0.4.2",
        lambda doc: schema(doc, "PromptResponse")["properties"].update(
            lyrics={"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
        ),
        [],
    ),
    "response field no longer nullable": (
        "0.4.2",
        _set("PromptResponse", "lyrics", type="string"),
        [("POST /prompt response 200 body: field 'lyrics'", "no longer nullable")],
    ),
    "operationId changed": (
        "0.4.2",
        lambda doc: doc["paths"]["/prompt"]["post"].update(operationId="create_prompt"),
        [
            (
                "POST /prompt",
                "operationId changed from 'prompt' to 'create_prompt' "
                "(generated method names follow it)",
            )
        ],
    ),
    "error status added": (
        "0.4.2",
        lambda doc: doc["paths"]["/prompt"]["post"]["responses"].update(
            {"422": {"description": "The body does not fit the schema."}}
        ),
        [("POST /prompt response 422", "added")],
    ),
    "optional parameter added": (
        "0.4.2",
        _models_parameter(required=False),
        [("GET /models parameter 'tier' (query)", "added (optional)")],
    ),
}


@pytest.mark.parametrize(
    ("case", "breaking"),
    [(case, True) for case in BREAKING_EDITS] + [(case, False) for case in NON_BREAKING_EDITS],
)
def test_edit(tmp_path: Path, case: str, breaking: bool) -> None:
    version, edit, expected = (BREAKING_EDITS if breaking else NON_BREAKING_EDITS)[case]
    changes = diff_docs(tmp_path, release(version), edited(version, edit))
    assert changes == [Change(where, what, breaking) for where, what in expected]


def test_our_spec_against_itself_has_no_changes() -> None:
    spec = ROOT / "spec" / "openapi.yaml"
    assert diff(spec, spec) == []
    assert run(spec, spec).stdout == "no changes\n"


def test_shared_response_components_are_followed(tmp_path: Path) -> None:
    # spec/openapi.yaml answers both operations with components/responses/Song.
    spec = yaml.safe_load((ROOT / "spec" / "openapi.yaml").read_text())
    new = copy.deepcopy(spec)
    del new["components"]["responses"]["Song"]["headers"]["X-Request-Id"]
    new["components"]["schemas"]["Prompt"]["properties"]["strength"]["minimum"] = 0
    # A lower bound raised narrows: it breaks /riff's callers, not the readers of the songs.
    assert diff_docs(tmp_path, spec, new) == [
        Change("POST /topic response 200 header 'X-Request-Id'", "removed", True),
        Change(
            f"POST /topic response 200 body: {PROMPT_STRENGTH}",
            "minimum changed from -3 to 0",
            False,
        ),
        Change(f"POST /riff request body: {PROMPT_STRENGTH}", "minimum changed from -3 to 0", True),
        Change("POST /riff response 200 header 'X-Request-Id'", "removed", True),
        Change(
            f"POST /riff response 200 body: {PROMPT_STRENGTH}",
            "minimum changed from -3 to 0",
            False,
        ),
    ]


def test_equivalent_spellings_are_no_change(tmp_path: Path) -> None:
    old = release("0.4.2")
    new = copy.deepcopy(old)
    # OpenAPI 3.0's nullable for 3.1's type list...
    old["openapi"] = "3.0.3"
    for field in schema(old, "PromptResponse")["properties"].values():
        if isinstance(field.get("type"), list):
            field.update(type=field["type"][0], nullable=True)
    # ...and an object split into allOf parts.
    response = schema(new, "ComposeResponse")
    media = response.pop("properties")
    new["components"]["schemas"]["Media"] = {"type": "object", "properties": media}
    response["allOf"] = [{"$ref": "#/components/schemas/Media"}]
    assert diff_docs(tmp_path, old, new) == [
        Change("document", "OpenAPI version changed from 3.0.3 to 3.1.0", False)
    ]


def test_json_and_yaml_documents_compare_alike(tmp_path: Path) -> None:
    (tmp_path / "0.4.2.json").write_text(json.dumps(release("0.4.2")))
    assert diff(CHANGELOG / "0.4.0.yaml", tmp_path / "0.4.2.json") == [
        version_line("0.4.0", "0.4.2"),
        *CHANGELOG_STEPS[("0.4.0", "0.4.2")],
    ]


def test_recursive_schema_ends(tmp_path: Path) -> None:
    def recursive(strength_type: str) -> Edit:
        def edit(doc: Doc) -> None:
            word = schema(doc, "TimestampedWord")
            word["properties"]["next"] = {"$ref": "#/components/schemas/TimestampedWord"}
            word["properties"]["start"]["type"] = strength_type

        return edit

    changes = diff_docs(
        tmp_path, edited("0.4.2", recursive("number")), edited("0.4.2", recursive("integer"))
    )
    assert {change.what for change in changes} == {"type narrowed from number to integer"}
    assert {change.where for change in changes} == {
        f"POST /{op} response 200 body: field 'timestamped_lyrics[].start'"
        for op in ("prompt", "compose")
    }


def test_format_report_counts() -> None:
    changes = [Change("GET /a", "removed", True), Change("GET /b", "added", False)]
    assert _spec_diff.format_report(changes).splitlines() == [
        "BREAKING      GET /a removed",
        "non-breaking  GET /b added",
        "2 changes, 1 breaking for client code written against the old document",
    ]
    assert _spec_diff.format_report([]) == "no changes"


ONE_OPERATION = """openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
"""
UNREADABLE: dict[str, tuple[str | None, str]] = {
    "missing file": (None, "no such file"),
    "not YAML": ("openapi: 3.1.0\npaths: {/a: [\n", "not YAML or JSON: "),
    "YAML, not OpenAPI": ("name: riff\nversion: 1\n", "not an OpenAPI 3.x document: no 'openapi'"),
    "Swagger 2": ("swagger: '2.0'\npaths: {}\n", "(it is Swagger 2.0, OpenAPI 2)"),
    "a YAML list": ("- openapi\n- 3.1.0\n", "its top level is not a mapping"),
    "a $ref that does not resolve": (
        ONE_OPERATION.replace("{type: object}", "{$ref: '#/components/schemas/Nope'}"),
        "$ref '#/components/schemas/Nope' does not resolve",
    ),
    "a malformed schema": (
        ONE_OPERATION.replace("{type: object}", "{type: object, required: title}"),
        "GET /a response 200 body: 'required' is malformed ('title')",
    ),
    "an operation that is no mapping": (
        ONE_OPERATION.replace("    get:\n", "    get: [1]\n    put:\n"),
        "GET /a is not a mapping",
    ),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
@pytest.mark.parametrize("side", ["old", "new"])
def test_unreadable_document_exits_2(tmp_path: Path, case: str, side: str) -> None:
    text, reason = UNREADABLE[case]
    bad, good = tmp_path / "bad.yaml", tmp_path / "good.yaml"
    if text is not None:
        bad.write_text(text)
    # A bad operation shows when it is compared: the good document has the same operation.
    good.write_text(ONE_OPERATION)
    old, new = (bad, good) if side == "old" else (good, bad)
    done = run(old, new)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"spec-diff: {bad}: ")
    assert reason in done.stderr
