"""``python -m framework.synth [TARGET]``: print the SAM template of TARGET.

The repository's own ``template.yaml`` (the pet store's) is regenerated with::

    python -m framework.synth examples/petstore/app.py > template.yaml
"""

from __future__ import annotations

import sys

from framework.discovery import load_apis
from framework.synth.package import render_template


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = args[0] if args else None
    sys.stdout.write(render_template(load_apis(target)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
