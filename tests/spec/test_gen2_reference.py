"""spec/openapi-gen2.yaml and riff_api's surface held against the official riff-api 0.4.2 itself.

The reference is the official wheel from PyPI, in a venv of its own (the ``official_python``
fixture): the same script describes its models and its client's signatures there, and ours
here, and the two descriptions must be equal, field by field and argument by argument. Where
the spec departs from the official sources on purpose (bounds on strengths), the departure is
checked on its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import riff_api
import riff_api.types

#: Run in either interpreter: the models of ``riff_api.types`` and the client's signatures.
DESCRIBE = r"""
import inspect, json, types, typing
import riff_api, riff_api.types as t
from pydantic_core import PydanticUndefined

def kind(annotation):
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(sorted(kind(a) for a in args))
    if origin is typing.Literal:
        return "Literal" + repr(list(args))
    if origin is list:
        return "list[" + kind(args[0]) + "]"
    return getattr(annotation, "__name__", repr(annotation))

models = {}
for name in ("PromptRequest", "PromptResponse", "ComposeRequest", "ComposeResponse",
             "SoundPrompt", "TimestampedWord"):
    model = getattr(t, name)
    model.model_rebuild()  # the official module names some models before defining them
    models[name] = [
        [field, kind(info.annotation), info.is_required(),
         None if info.default is PydanticUndefined else repr(info.default)]
        for field, info in model.model_fields.items()
    ]

def signature(function):
    return [[p.name, p.kind.name, None if p.default is p.empty else repr(p.default)]
            for p in inspect.signature(function).parameters.values()]

client = riff_api.RiffAPIClient
methods = {name: signature(getattr(client, name))
           for name in ("__init__", "prompt", "compose", "models", "save_audio")}
static = isinstance(inspect.getattr_static(client, "save_audio"), staticmethod)
exported = sorted(n for n in ("PromptRequest", "PromptResponse", "ComposeRequest",
                              "ComposeResponse", "SoundPrompt", "TimestampedWord",
                              "RiffAPIClient") if hasattr(riff_api, n))
print(json.dumps({"models": models, "methods": methods, "static_save": static,
                  "exported": exported}))
"""


def _describe(python: Path, cwd: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-c", DESCRIBE], capture_output=True, text=True, cwd=cwd, timeout=120
    )
    assert done.returncode == 0, done.stderr
    description: dict[str, Any] = json.loads(done.stdout)
    return description


@pytest.fixture(scope="module")
def official(official_python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _describe(official_python, tmp_path_factory.mktemp("official"))


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _describe(Path(sys.executable), tmp_path_factory.mktemp("ours"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "model",
    [
        "PromptRequest",
        "PromptResponse",
        "ComposeRequest",
        "ComposeResponse",
        "SoundPrompt",
        "TimestampedWord",
    ],
)
def test_the_models_equal_the_official_ones_field_by_field(
    model: str, official: dict[str, Any], ours: dict[str, Any]
) -> None:
    # name, type, required-ness, default: in the official order
    assert ours["models"][model] == official["models"][model]


@pytest.mark.slow
@pytest.mark.parametrize("method", ["__init__", "prompt", "compose", "models", "save_audio"])
def test_the_client_has_the_official_signatures(
    method: str, official: dict[str, Any], ours: dict[str, Any]
) -> None:
    assert ours["methods"][method] == official["methods"][method]


@pytest.mark.slow
def test_the_module_exports_what_the_official_one_does(
    official: dict[str, Any], ours: dict[str, Any]
) -> None:
    assert ours["static_save"] is official["static_save"] is True
    assert ours["exported"] == official["exported"]


def test_the_spec_keeps_the_documented_ranges_as_bounds() -> None:
    """The one departure from 0.4.2's code: ranges its docs give are enforced (see the spec)."""
    bounds = {
        (model.__name__, name)
        for model in (riff_api.types.SoundPrompt, riff_api.types.ComposeRequest)
        for name, info in model.model_fields.items()
        if info.metadata
    }
    assert bounds == {
        ("SoundPrompt", "strength"),
        ("ComposeRequest", "lyrics_strength"),
        ("ComposeRequest", "weirdness"),
    }
    with pytest.raises(ValueError, match="less than or equal to 1"):
        riff_api.types.SoundPrompt(text="x", strength=5)
    with pytest.raises(ValueError, match="greater than or equal to -1"):
        riff_api.types.SoundPrompt(text="x", strength=-1.5)
    assert riff_api.types.SoundPrompt(text="x", strength=-1).strength == -1
