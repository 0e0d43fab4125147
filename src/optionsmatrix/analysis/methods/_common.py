"""What every method module hands back to `rank`, before ranks are attached."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class MethodOutput:
    scores: np.ndarray
    details: dict[str, np.ndarray | tuple[str, ...]] = field(default_factory=dict)
    steps: dict[str, np.ndarray] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
