"""booklet: turn folders of career profiles into print-ready PDF booklets."""
from .build import BuildResult, build, load
from .errors import BookletError, Problem
from .library import load_library
from .select import make_booklet

__version__ = "0.1.0"
__all__ = ["BookletError", "BuildResult", "Problem", "build", "load", "load_library", "make_booklet"]
