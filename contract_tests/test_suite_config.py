"""The suite's own settings: profiles, and the schemathesis configuration it hands out."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from contract_tests._profiles import PROFILE_ENV, PROFILES, SEED_ENV, select_profile
from contract_tests._runner import CHECKS, Target, schemathesis_config, schemathesis_toml


@pytest.mark.parametrize("name", PROFILES)
def test_toml_for_the_cli_is_the_same_configuration(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import schemathesis

    profile = PROFILES[name]
    text = schemathesis_toml(profile, "http://127.0.0.1:8000/v1")
    expected = schemathesis_config(
        profile, Target.url("http://127.0.0.1:8000/v1", api_key="${RIFFUSION_API_KEY}")
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
        config = schemathesis_config(profile, Target.url("http://127.0.0.1:1/v1", api_key="k"))
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
    script = Path(__file__).resolve().parents[1] / "scripts" / "contract"
    done = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, check=True
    )
    assert "ignored_auth" in done.stdout
    assert "riff serve --port 8000 --api-key KEY" in done.stdout
    assert "RIFFUSION_API_KEY=KEY python3 scripts/contract --url" in done.stdout
