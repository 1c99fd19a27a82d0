"""booklet: turn folders of career profiles into print-ready PDF booklets."""
import importlib

__version__ = "0.1.3"

# The library API, loaded on first use: the `booklet` command imports this package before
# anything else, and loading the API (pikepdf, Jinja, YAML) takes a moment in which a Ctrl-C
# must already be reported as an interruption (see __main__.main), not as a traceback.
_API = {"BuildResult": "api", "build": "api", "load": "api", "BookletError": "errors", "Problem": "errors",
        "load_library": "library", "make_booklet": "select"}

__all__ = ["BookletError", "BuildResult", "Problem", "build", "load", "load_library", "make_booklet"]


def __getattr__(name):
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_API})
