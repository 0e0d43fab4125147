"""optionsmatrix: a neutral decision-matrix tool for policy seminars."""

from importlib.metadata import PackageNotFoundError, version

from optionsmatrix.deferred import defer

try:
    __version__ = version("optionsmatrix")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

defer("numpy")  # until something ranks: a worker serving health checks and lists does without it
