"""Regenerate the committed expected HTML of the layout tests: `make expected`."""
from __future__ import annotations

from .test_layout import CASES, EXPECTED, render_case


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for name in CASES:
        (EXPECTED / f"{name}.html").write_text(render_case(name), encoding="utf-8")
        print(f"wrote {EXPECTED / (name + '.html')}")


if __name__ == "__main__":
    main()
