"""How hard the suite pushes: the ``fast``, ``deep`` and ``live`` profiles.

The profile comes from ``--contract-profile`` (pytest option), else ``RIFF_CONTRACT_PROFILE``,
else ``fast`` for the emulator and ``live`` for a URL given by ``RIFFUSION_CONTRACT_URL``
(a real service bills every accepted request, so its default stays small and positive-only).
Every run is seeded and derandomized, so the same profile sends the same requests every time;
``RIFF_CONTRACT_SEED`` picks another seed (which also turns derandomization off, so the new
seed really changes the data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

__all__ = [
    "DEFAULT_SEED",
    "PROFILES",
    "PROFILE_ENV",
    "SEED_ENV",
    "Profile",
    "select_profile",
]

PROFILE_ENV = "RIFF_CONTRACT_PROFILE"
SEED_ENV = "RIFF_CONTRACT_SEED"
DEFAULT_SEED = 20_240_521


@dataclass(frozen=True)
class Profile:
    """One setting of the suite's effort."""

    name: str
    #: Hypothesis ``max_examples`` for the fuzzing phase, per operation.
    fuzz_examples: int
    #: schemathesis phases to run, in order.
    phases: tuple[str, ...]
    #: Generation modes: "positive" (valid requests) and/or "negative" (invalid ones).
    modes: tuple[str, ...]
    #: The fewest generated cases an operation may get; fewer fails the run (a silent
    #: generator is not a passing contract).
    min_cases: int
    #: Length of the songs the emulator renders for this profile, seconds.
    emulator_duration_s: float
    #: Per-request timeout, seconds.
    request_timeout_s: float
    #: Fuzzed cases per operation for a run that repeats what the first document already
    #: proves: the second document over a socket, after its full run in-process and after
    #: the first document's full run over a socket. None: the full ``fuzz_examples``.
    repeat_fuzz_examples: int | None = None
    seed: int = DEFAULT_SEED
    derandomize: bool = True

    @property
    def negative(self) -> bool:
        return "negative" in self.modes

    def for_repeat(self) -> Profile:
        """This profile for a repeated run (see ``repeat_fuzz_examples``)."""
        if self.repeat_fuzz_examples is None:
            return self
        return replace(self, fuzz_examples=self.repeat_fuzz_examples)


PROFILES: dict[str, Profile] = {
    # CI: every phase and mode, a few dozen fuzzed cases per operation, half-second songs
    # (the contract is the answer's shape; longer audio only costs time to render and check).
    "fast": Profile(
        name="fast",
        fuzz_examples=30,
        phases=("examples", "coverage", "fuzzing"),
        modes=("positive", "negative"),
        min_cases=50,
        emulator_duration_s=0.5,
        request_timeout_s=30.0,
        repeat_fuzz_examples=10,
    ),
    # On demand: at least 1,000 generated cases per operation.
    "deep": Profile(
        name="deep",
        fuzz_examples=1_000,
        phases=("examples", "coverage", "fuzzing"),
        modes=("positive", "negative"),
        min_cases=1_000,
        emulator_duration_s=2.0,
        request_timeout_s=60.0,
    ),
    # A real service: the spec's own examples and a few valid fuzzed requests, nothing else.
    # Each accepted request costs credits; invalid ones are left to the emulator runs.
    "live": Profile(
        name="live",
        fuzz_examples=3,
        phases=("examples", "fuzzing"),
        modes=("positive",),
        min_cases=3,
        emulator_duration_s=2.0,
        request_timeout_s=180.0,
    ),
}


def select_profile(option: str | None = None, *, default: str = "fast") -> Profile:
    """The profile named by ``option``, else by RIFF_CONTRACT_PROFILE, else ``default``.

    RIFF_CONTRACT_SEED, when set, replaces the fixed seed (an integer).
    """
    name = option or os.environ.get(PROFILE_ENV) or default
    try:
        profile = PROFILES[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown contract profile {name!r}; choose one of {', '.join(PROFILES)}"
        ) from None
    seed = os.environ.get(SEED_ENV, "").strip()
    if seed:
        try:
            profile = replace(profile, seed=int(seed), derandomize=False)
        except ValueError:
            raise ValueError(f"{SEED_ENV} must be an integer, got {seed!r}") from None
    return profile
