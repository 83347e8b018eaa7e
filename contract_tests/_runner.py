"""Run schemathesis against one backend and reduce what it saw to a verdict.

This drives schemathesis' own engine (the one behind ``schemathesis run``), not its pytest
plugin, for three reasons: the engine runs the probing, examples, coverage and fuzzing phases
exactly as the CLI does; its events carry every request, answer and check result, from which
the report counts cases per operation and phase; and the same function serves the suite's
self-test, which runs it against broken emulators and reads which checks failed.

Rules added on top of the built-in checks, in ``_rules.py`` (schemathesis alone would let a
wrong key, a service that refuses everything, or one that garbles what it echoes pass):

* ``positive_data_acceptance`` expects a 2xx for every valid request, or a 400 that says
  ``moderation`` (the spec lets moderation refuse a valid request), or, where the document
  has a run-time field (``model``: what ``GET /models`` lists), a 422 naming only such
  fields. Its default would also accept 401, 403, 404, 409, 429 and 5xx. An operation that
  accepted none of its valid requests fails too.
* ``missing_auth``: a valid request answered 401 or 403 fails the run. The schemathesis CLI
  reports this only as a warning unless ``warnings.fail-on`` names it, and its pytest plugin
  not at all.
* ``echo_conformance``: the sound prompts an answer returns are the ones sent.

When ``ignored_auth`` fails (the backend accepted a made-up key), the report says why and
what to do: it is what ``riff serve`` does unless started with ``--api-key KEY``.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from contract_tests._profiles import Profile
from contract_tests._rules import (
    ECHO,
    MISSING_AUTH,
    POSITIVE_DATA_ACCEPTANCE,
    AnswerRules,
    runtime_fields,
)
from contract_tests._spec import Operation, SpecDocument

__all__ = [
    "ASGI_BASE_URL",
    "CHECKS",
    "ECHO",
    "IGNORED_AUTH",
    "IGNORED_AUTH_ADVICE",
    "MISSING_AUTH",
    "CheckFailure",
    "ContractReport",
    "OperationResult",
    "Target",
    "load_schema",
    "run_contract",
    "schemathesis_config",
    "schemathesis_toml",
]

#: Every built-in check that applies to this API. Not listed: use_after_free,
#: ensure_resource_availability and object_level_authorization, which need resources that can
#: be fetched or deleted again (ours creates songs that have no URL), and max_response_time,
#: which would measure the machine rather than the contract.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "ignored_auth",
    "allow_header_conformance",
)
#: The check that sends a request without the key, and one with a made-up key.
IGNORED_AUTH = "ignored_auth"
#: Why ignored_auth failed and what to do, added to the report when it does.
IGNORED_AUTH_ADVICE = (
    f"[why {IGNORED_AUTH}] The backend accepted a made-up key (or none): it checks no keys.\n"
    "    The emulator accepts any key unless it is started with one, so against `riff serve`:\n"
    "    start it with `riff serve --api-key KEY` (or `python3 scripts/serve --api-key KEY`)\n"
    "    and run `RIFFUSION_API_KEY=KEY python3 scripts/contract --url URL`.\n"
    "    A real service that does this lets anyone in."
)
#: Host of an in-process app (schemathesis' ASGI client); the document's base path follows.
ASGI_BASE_URL = "http://testserver"


@dataclass(frozen=True)
class Target:
    """A backend to check against one document: a base URL, or an ASGI app in-process."""

    name: str
    base_url: str
    api_key: str | None
    document: SpecDocument
    app: Any = None

    @classmethod
    def asgi(
        cls, app: Any, document: SpecDocument, *, api_key: str | None, name: str = "emulator-asgi"
    ) -> Target:
        base_url = ASGI_BASE_URL + document.base_path
        return cls(name=name, base_url=base_url, api_key=api_key, document=document, app=app)

    @classmethod
    def url(
        cls, base_url: str, document: SpecDocument, *, api_key: str | None, name: str = "url"
    ) -> Target:
        return cls(name=name, base_url=base_url.rstrip("/"), api_key=api_key, document=document)


def schemathesis_config(profile: Profile, target: Target) -> dict[str, Any]:
    """The schemathesis configuration of a run, in the shape of ``schemathesis.toml``.

    Plain data, so that ``schemathesis_toml`` can hand the same settings to the CLI.
    """
    checks: dict[str, Any] = {"enabled": False}  # everything off, then exactly CHECKS on
    for name in CHECKS:
        checks[name] = {"enabled": True}
    accepted = ["2xx", "400"]
    if runtime_fields(target.document):
        accepted.append("422")  # narrowed by _record to a 422 naming only those fields
    checks["positive_data_acceptance"]["expected-statuses"] = accepted
    generation: dict[str, Any] = {
        "mode": "all" if set(profile.modes) == {"positive", "negative"} else profile.modes[0],
        "max-examples": profile.fuzz_examples,
        "deterministic": profile.derandomize,
        # No example database: the same profile sends the same cases on every machine.
        "database": "none",
    }
    config: dict[str, Any] = {
        "seed": profile.seed,
        "base-url": target.base_url,
        "workers": 1,
        "request-timeout": profile.request_timeout_s,
        # Report every distinct failure of a scenario, not just the first one.
        "continue-on-failure": True,
        "generation": generation,
        "checks": checks,
        "phases": {
            name: {"enabled": name in profile.phases}
            for name in ("examples", "coverage", "fuzzing", "stateful")
        },
        # For the schemathesis CLI (see schemathesis_toml); this runner enforces it itself.
        "warnings": {"fail-on": [MISSING_AUTH]},
        # A live service may rate-limit: wait as its Retry-After says rather than fail.
        "rate-limit": "auto",
    }
    if target.api_key is not None:
        scheme = target.document.security_scheme
        config["auth"] = {"openapi": {scheme: {"api_key": target.api_key}}}
    return config


def schemathesis_toml(profile: Profile, base_url: str, document: SpecDocument) -> str:
    """The same configuration as a ``schemathesis.toml`` for the schemathesis CLI.

        schemathesis --config-file contract.toml run spec/openapi-gen2.yaml

    The key is read from RIFFUSION_API_KEY when the CLI runs, never written to the file.
    The CLI applies every check and fails on a refused key (``warnings.fail-on``); what it
    lacks is this runner's refinement of 400 and 422 answers, its echo rule and its
    case-count floor.
    """
    target = Target.url(base_url, document, api_key="${RIFFUSION_API_KEY}")
    config = schemathesis_config(profile, target)
    scalars = {key: value for key, value in config.items() if not isinstance(value, dict)}
    lines = [
        f"# schemathesis configuration of the riff_api contract suite, profile {profile.name!r}.",
        f"# For `schemathesis --config-file FILE run {document.relative_path}`.",
        "# Made by scripts/contract --schemathesis-toml; see contract_tests/_runner.py.",
        *_toml_pairs(scalars),
    ]
    lines += _toml_tables(
        (), {key: value for key, value in config.items() if isinstance(value, dict)}
    )
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def _toml_pairs(values: dict[str, Any]) -> list[str]:
    return [f"{json.dumps(key)} = {_toml_value(value)}" for key, value in values.items()]


def _toml_tables(prefix: tuple[str, ...], tables: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, table in tables.items():
        path = (*prefix, name)
        scalars = {key: value for key, value in table.items() if not isinstance(value, dict)}
        nested = {key: value for key, value in table.items() if isinstance(value, dict)}
        if scalars or not nested:
            lines += [
                "",
                "[" + ".".join(json.dumps(part) for part in path) + "]",
                *_toml_pairs(scalars),
            ]
        lines += _toml_tables(path, nested)
    return lines


@dataclass(frozen=True)
class CheckFailure:
    """One distinct failure: which check, where, and a command that reproduces it."""

    operation: str
    phase: str
    check: str
    title: str
    message: str
    reproduce: str = ""

    def describe(self) -> str:
        text = f"[{self.check}] {self.operation} ({self.phase}): {self.title}"
        if self.message:
            text += "\n    " + self.message.strip().replace("\n", "\n    ")
        if self.reproduce:
            text += "\n    reproduce: " + self.reproduce.strip().replace("\n", "\n    ")
        return text


@dataclass
class OperationResult:
    """What one operation was sent and answered."""

    label: str
    cases: Counter[str] = field(default_factory=Counter)  # generated cases, by phase
    requests: int = 0  # including the probes some checks send on their own
    statuses: Counter[int] = field(default_factory=Counter)
    positive: int = 0
    positive_accepted: int = 0

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())


@dataclass
class ContractReport:
    """The verdict of one run on one target."""

    target: str
    profile: Profile
    document: SpecDocument
    operations: dict[str, OperationResult] = field(default_factory=dict)
    failures: list[CheckFailure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    stop_reason: str = ""

    @property
    def failed_checks(self) -> set[str]:
        return {failure.check for failure in self.failures}

    def problems(self, expected: Iterable[str] = ()) -> list[str]:
        """Everything that makes this run fail, as readable paragraphs.

        ``expected`` lists the operation labels that must have been exercised.
        """
        groups: dict[tuple[str, str, str], list[CheckFailure]] = {}
        for failure in self.failures:
            groups.setdefault((failure.operation, failure.check, failure.title), []).append(failure)
        found = []
        for similar in groups.values():
            text = similar[0].describe()
            if len(similar) > 1:
                text += f"\n    (and {len(similar) - 1} more failures like it)"
            found.append(text)
        found += [f"[error] {error}" for error in self.errors]
        for label in expected:
            if label not in self.operations:
                found.append(f"[coverage] {label} was never exercised")
        declared = {operation.label: operation for operation in self.document.operations()}
        for result in self.operations.values():
            if result.positive and not result.positive_accepted:
                found.append(
                    f"[{POSITIVE_DATA_ACCEPTANCE}] {result.label}: none of its "
                    f"{result.positive} valid requests was accepted"
                )
            operation = declared.get(result.label)
            for phase in self.profile.phases:
                # The examples phase sends the document's request examples: none, no case.
                if phase == "examples" and operation and not operation.has_request_examples:
                    continue
                if result.cases[phase] == 0:
                    found.append(f"[coverage] {result.label}: the {phase} phase generated no case")
            # Without a body or parameters there is one valid request and only the key
            # header to vary: a floor of cases would measure Hypothesis, not the backend.
            floor = self.profile.min_cases if operation is None or operation.takes_inputs else 1
            if result.total_cases < floor:
                found.append(
                    f"[coverage] {result.label}: {result.total_cases} cases generated, the "
                    f"{self.profile.name} profile promises at least {floor}"
                )
        if self.stop_reason not in ("", "completed"):
            found.append(f"[error] the run stopped early: {self.stop_reason}")
        if IGNORED_AUTH in self.failed_checks:
            found.append(IGNORED_AUTH_ADVICE)
        return found

    def summary(self) -> str:
        profile = self.profile
        lines = [
            f"contract run on {self.target} against {self.document} (profile {profile.name}, "
            f"seed {profile.seed}): "
            f"{len(self.failures)} failures, {len(self.errors)} errors, {self.elapsed_s:.1f} s"
        ]
        for result in self.operations.values():
            phases = ", ".join(f"{phase} {result.cases[phase]}" for phase in self.profile.phases)
            statuses = " ".join(f"{code}x{n}" for code, n in sorted(result.statuses.items()))
            lines.append(
                f"  {result.label}: {result.total_cases} cases ({phases}); {result.requests} "
                f"requests; valid accepted {result.positive_accepted}/{result.positive}; "
                f"statuses {statuses}"
            )
        return "\n".join(lines)

    def assert_ok(self, expected: Iterable[str] = ()) -> None:
        problems = self.problems(expected)
        if problems:
            raise AssertionError(
                self.summary() + "\n\n" + "\n\n".join(problems) + "\n\nChecks are documented at "
                "https://schemathesis.readthedocs.io/en/stable/reference/checks/"
            )


def load_schema(profile: Profile, target: Target, operation: Operation | None = None) -> Any:
    """The spec as a schemathesis schema configured for ``target`` (one operation, or all)."""
    import schemathesis

    config = schemathesis.Config.from_dict(schemathesis_config(profile, target))
    schema: Any = schemathesis.openapi.from_dict(target.document.copy(), config=config)
    if target.app is not None:
        schema.app = target.app
    if operation is not None:
        schema = schema.include(operation_id=operation.operation_id)
    return schema


def run_contract(
    target: Target, profile: Profile, operation: Operation | None = None
) -> ContractReport:
    """Run every configured phase and check of ``profile`` against ``target``."""
    from schemathesis import engine
    from schemathesis.engine import events

    report = ContractReport(target=target.name, profile=profile, document=target.document)
    started = time.monotonic()
    seen: set[tuple[str, str, str, str]] = set()
    schema = load_schema(profile, target, operation)
    rules = AnswerRules(target.document)
    for event in engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            if event.label is not None and event.skip_reason is None:
                _record(report, event.phase.value, event.recorder, seen, rules)
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            report.errors.append(f"{type(event.exception).__name__}: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            report.stop_reason = event.stop_reason.value
            for failure in event.failures:  # checks that judge the run as a whole
                _add(
                    report,
                    seen,
                    CheckFailure(
                        "(run)", "run", type(failure).__name__, failure.title, failure.message
                    ),
                )
    report.elapsed_s = time.monotonic() - started
    return report


def _add(
    report: ContractReport, seen: set[tuple[str, str, str, str]], failure: CheckFailure
) -> None:
    key = (failure.operation, failure.check, failure.title, failure.message)
    if key not in seen:
        seen.add(key)
        report.failures.append(failure)


def _record(
    report: ContractReport,
    phase: str,
    recorder: Any,
    seen: set[tuple[str, str, str, str]],
    rules: AnswerRules,
) -> None:
    from schemathesis.engine import Status
    from schemathesis.generation import GenerationMode

    label = recorder.label
    result = report.operations.setdefault(label, OperationResult(label))
    for case_id, node in recorder.cases.items():
        interaction = recorder.interactions.get(case_id)
        response = interaction.response if interaction is not None else None
        if response is not None:
            result.requests += 1
            result.statuses[response.status_code] += 1
        if node.parent_id is not None:
            continue  # a probe a check sent on its own (e.g. ignored_auth without the key)
        result.cases[phase] += 1
        meta = node.value.meta
        if meta is None or meta.generation.mode != GenerationMode.POSITIVE or response is None:
            continue
        result.positive += 1
        if 200 <= response.status_code < 300:
            result.positive_accepted += 1
        for verdict in rules.judge(label, node.value.body, response):
            _add(
                report,
                seen,
                CheckFailure(label, phase, verdict.check, verdict.title, verdict.message),
            )
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status == Status.FAILURE and check.failure_info is not None:
                failure = check.failure_info.failure
                _add(
                    report,
                    seen,
                    CheckFailure(
                        label,
                        phase,
                        check.name,
                        failure.title,
                        failure.message,
                        check.failure_info.code_sample,
                    ),
                )
            elif check.status == Status.ERROR:
                report.errors.append(f"{label}: check {check.name} crashed on case {case_id}")
