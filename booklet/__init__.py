"""booklet: turn folders of career profiles into print-ready PDF booklets."""
__version__ = "0.1.1"

from .build import BuildResult, build, load  # noqa: E402  (the stages read __version__)
from .errors import BookletError, Problem  # noqa: E402
from .library import load_library  # noqa: E402
from .select import make_booklet  # noqa: E402

__all__ = ["BookletError", "BuildResult", "Problem", "build", "load", "load_library", "make_booklet"]
