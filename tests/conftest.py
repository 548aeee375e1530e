"""Shared test settings: hypothesis profiles and small helpers for building inputs."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# CI runs more examples; locally a quicker profile keeps the loop tight.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def away_from_kinks(z: np.ndarray, gap: float = 1e-2) -> np.ndarray:
    """Move values away from 0 so that ReLU-like kinks are never within a finite-difference step."""
    return np.where(z >= 0, z + gap, z - gap)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
