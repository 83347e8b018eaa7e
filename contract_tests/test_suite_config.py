"""The suite's own settings: profiles, documents, and the schemathesis configuration it hands
out."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from contract_tests._profiles import PROFILE_ENV, PROFILES, SEED_ENV, select_profile
from contract_tests._runner import CHECKS, Target, schemathesis_config, schemathesis_toml
from contract_tests._spec import DOCUMENTS, SpecDocument, document_for_url, document_named

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "contract"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
@pytest.mark.parametrize("name", PROFILES)
def test_toml_for_the_cli_is_the_same_configuration(
    name: str, document: SpecDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    import schemathesis

    profile = PROFILES[name]
    url = "http://127.0.0.1:8000" + document.base_path
    text = schemathesis_toml(profile, url, document)
    assert f"run {document.relative_path}" in text
    expected = schemathesis_config(
        profile, Target.url(url, document, api_key="${RIFFUSION_API_KEY}")
    )
    assert tomllib.loads(text) == expected
    assert "reports" not in expected  # a [reports] table would crash schemathesis' pytest plugin
    monkeypatch.setenv("RIFFUSION_API_KEY", "from-the-environment")
    from schemathesis.config import ApiKeyAuthConfig

    config = schemathesis.Config.from_str(text).projects.default
    scheme = config.auth.openapi.schemes["apiKey"]
    assert isinstance(scheme, ApiKeyAuthConfig)
    assert scheme.api_key == "from-the-environment"
    assert {check for check in CHECKS if config.checks.get_by_name(name=check).enabled} == set(
        CHECKS
    )
    assert not config.checks.use_after_free.enabled
    assert config.generation.deterministic is True


def test_every_profile_is_seeded_and_derandomized() -> None:
    for profile in PROFILES.values():
        target = Target.url("http://127.0.0.1:1/v1", DOCUMENTS[0], api_key="k")
        config = schemathesis_config(profile, target)
        assert config["seed"] == profile.seed
        assert config["generation"]["deterministic"] is True
        assert config["generation"]["database"] == "none"
    assert PROFILES["deep"].fuzz_examples >= 1_000
    assert PROFILES["deep"].min_cases >= 1_000
    assert PROFILES["live"].modes == ("positive",)


def test_profile_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    monkeypatch.delenv(SEED_ENV, raising=False)
    assert select_profile().name == "fast"
    assert select_profile(default="live").name == "live"
    monkeypatch.setenv(PROFILE_ENV, "deep")
    assert select_profile().name == "deep"
    assert select_profile("fast").name == "fast"  # the option wins over the environment
    monkeypatch.setenv(SEED_ENV, "7")
    reseeded = select_profile()
    assert (reseeded.seed, reseeded.derandomize) == (7, False)
    with pytest.raises(ValueError, match="unknown contract profile"):
        select_profile("thorough")
    monkeypatch.setenv(SEED_ENV, "seven")
    with pytest.raises(ValueError, match="must be an integer"):
        select_profile()


def test_help_says_a_url_backend_must_refuse_made_up_keys() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=True
    )
    assert "ignored_auth" in done.stdout
    assert "riff serve --port 8000 --api-key KEY" in done.stdout
    assert "RIFFUSION_API_KEY=KEY python3 scripts/contract --url" in done.stdout
    assert "--spec" in done.stdout


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://wb.riffusion.com/api/v1", "gen2"),
        ("https://wb.riffusion.com/api/v1/", "gen2"),
        ("https://backend.riffusion.com/v1", "gen1"),
        ("http://127.0.0.1:8000/api/v1", "gen2"),
        ("http://127.0.0.1:51234/v1", "gen1"),
        ("https://staging.example.com/riffusion/api/v1", "gen2"),
        ("https://staging.example.com/v1", "gen1"),
    ],
)
def test_a_url_picks_the_document_it_serves(url: str, name: str) -> None:
    assert document_for_url(url).name == name


@pytest.mark.parametrize("url", ["https://staging.example.com", "http://127.0.0.1:8000/v2"])
def test_a_url_of_no_document_asks_for_spec(url: str) -> None:
    with pytest.raises(ValueError, match="--spec"):
        document_for_url(url)


def test_a_document_is_named_by_its_name_or_path() -> None:
    gen1, gen2 = DOCUMENTS
    assert document_named("gen2") is gen2
    assert document_named("spec/openapi-gen2.yaml") is gen2
    assert document_named(str(gen1.path)) is gen1
    assert document_named("openapi.yaml") is gen1
    with pytest.raises(ValueError, match=r"gen1 \(spec/openapi\.yaml\)"):
        document_named("gen3")
    assert (gen1.base_path, gen2.base_path) == ("/v1", "/api/v1")


def _contract(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RIFFUSION_", "RIFF_"))}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=300,
        check=False,
    )


def test_a_live_url_without_a_key_is_skipped_with_its_reason() -> None:
    """``scripts/contract --url https://wb.riffusion.com/api/v1`` with no key sends nothing:
    the second document's operations are skipped, saying why; the first's are deselected."""
    # Without the plugins of schemathesis and Hypothesis, which this run does not use and
    # which take seconds to load.
    quick = ("-p", "no:schemathesis", "-p", "no:hypothesispytest")
    done = _contract("--url", "https://wb.riffusion.com/api/v1", "--", "-q", "-rs", *quick)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 skipped" in done.stdout, done.stdout
    for label in ("POST /prompt", "POST /compose", "GET /models"):
        assert f"nothing was sent; set it to that service's key to check {label}" in done.stdout
    assert "RIFFUSION_API_KEY is not set" in done.stdout
    assert "/topic" not in done.stdout
    assert "/riff" not in done.stdout


def test_a_url_of_no_document_needs_spec() -> None:
    """A URL whose path ends in no document's base path is refused before pytest starts,
    unless --spec names the document."""
    done = _contract("--url", "https://staging.example.com", "--", "-q")
    assert done.returncode == 2
    assert "name it with --spec" in done.stderr
    named = _contract(
        "--url", "https://staging.example.com", "--spec", "gen2", "--schemathesis-toml"
    )
    assert named.returncode == 0, named.stderr
    assert "run spec/openapi-gen2.yaml" in named.stdout
    assert '"base-url" = "https://staging.example.com"' in named.stdout
