"""Hypothesis profiles, so property tests run as hard as where they run allows.

- `dev` (the default): Hypothesis's 100 examples a test; the stateful machines, which drive the real hub
  through a database at about a second an example, 6.
- `ci` (chosen under CI=true): the same 100 for plain properties, 30 for each stateful machine (the whole
  suite stays well within its time on 2 cores), no deadline (a shared runner's pauses are not failures), and
  the blob that replays a failure printed.
- `nightly` (HYPOTHESIS_PROFILE=nightly): 1,000 examples a test, 300 a stateful machine.

HYPOTHESIS_PROFILE names a profile explicitly and wins over CI.
"""

import os
from typing import Any

from hypothesis import HealthCheck, settings

from flexhub.testing.database import running_in_ci

# name: (examples per property test, examples per stateful machine)
PROFILES = {"dev": (100, 6), "ci": (100, 30), "nightly": (1000, 300)}


def profile_name() -> str:
    name = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if running_in_ci() else "dev")
    if name not in PROFILES:
        raise ValueError(f"HYPOTHESIS_PROFILE must be one of {', '.join(PROFILES)}, not {name!r}")
    return name


def load_profile() -> str:
    """Register every profile and load the one this run asks for; returns its name."""
    for name, (examples, _) in PROFILES.items():
        if name == "dev":
            settings.register_profile(name, max_examples=examples)
        else:
            settings.register_profile(name, max_examples=examples, deadline=None, print_blob=True)
    name = profile_name()
    settings.load_profile(name)
    return name


def stateful(**fields: Any) -> settings:
    """Settings for a stateful machine on the real hub: the profile's example count, no deadline."""
    return settings(max_examples=PROFILES[profile_name()][1], deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], **fields)
