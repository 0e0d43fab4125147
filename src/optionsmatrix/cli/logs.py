"""How `optionsmatrix serve` logs: uvicorn's own format, with the worker process's id on every line.

With several workers, a log line that says which process wrote it is what
ties an error to its worker, a slow request to the worker that was busy, and
a worker's start to its exit; `ss -tlnp` and `ps` name the same ids.
"""

from __future__ import annotations

import copy
from typing import Any

from uvicorn.config import LOGGING_CONFIG

WORKER_TAG = "[worker %(process)d]"


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    for formatter in config["formatters"].values():
        formatter["fmt"] = formatter["fmt"].replace("%(levelprefix)s", f"%(levelprefix)s {WORKER_TAG}", 1)
    return config
