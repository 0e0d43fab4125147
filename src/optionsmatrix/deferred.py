"""Modules loaded on first use instead of at import.

A serving worker that has not ranked anything yet (health checks, logins,
the matrix list, the API's plain reads) does not need numpy, which is 11 MiB
of a worker's memory (issue 14). `defer("numpy")` puts a stand-in under that
name: `import numpy as np` anywhere binds the stand-in at no cost, and the
first attribute read (`np.asarray`, `np.ndarray`, importing `numpy.linalg`)
imports the real module and copies its namespace into the stand-in, so every
later read is an ordinary module attribute lookup. The first ranking in a
worker pays numpy's import (~50 ms) once.

Read numpy's submodules as attributes (`np.linalg`), never `import
numpy.linalg`: the import system would read the stand-in's `__path__`, which
loads numpy (importing numpy.linalg itself), and then run numpy.linalg a
second time. tests/test_deferred.py keeps our modules to that rule.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

_loading = threading.Lock()


class _Deferred(types.ModuleType):
    def __getattr__(self, attribute: str) -> object:
        # Also after loading, for what the real module makes on first use (numpy.random):
        # fetched from it once, then an ordinary attribute here.
        value = getattr(self._load(), attribute)
        self.__dict__[attribute] = value
        return value

    def __dir__(self) -> list[str]:
        return dir(self._load())

    def _load(self) -> types.ModuleType:
        real = self.__dict__.get("_deferred_real")
        if real is not None:
            return real
        name = self.__dict__["_deferred_name"]
        with _loading:
            if sys.modules.get(name) is self:
                del sys.modules[name]  # so that the import below runs the real module
            try:
                real = importlib.import_module(name)
            except BaseException:
                sys.modules.setdefault(name, self)
                raise
            # Not its __getattr__: module lookups try that before this class's, which caches.
            self.__dict__.update((k, v) for k, v in real.__dict__.items() if k != "__getattr__")
            self._deferred_real = real
        return real


def defer(name: str) -> None:
    """Stand in for top-level module `name` until an attribute is read; nothing if it is loaded or absent."""
    if name in sys.modules or "." in name:
        return
    spec = importlib.util.find_spec(name)
    if spec is None:
        return
    stand_in = _Deferred(name)
    stand_in.__spec__ = spec  # the import system reads it to see that the module is no longer initialising
    stand_in._deferred_name = name
    sys.modules[name] = stand_in
