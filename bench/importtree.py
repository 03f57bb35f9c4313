"""``python -X importtime``, parsed: which module imported which, and what each cost.

The interpreter prints one line per module when its import finishes (children before
their parent), indented two spaces per nesting level::

    import time: self [us] | cumulative | imported package
    import time:       357 |      24119 |     framework.declare
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from common import PYTHON, ROOT, median, peer_env

_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


@dataclass(frozen=True, slots=True)
class Module:
    name: str
    self_us: float
    cumulative_us: float
    parent: str | None  # the module whose import triggered this one; None at the top


def parse(text: str) -> dict[str, Module]:
    rows = []
    for line in text.splitlines():
        match = _LINE.match(line)
        if match:
            self_us, cumulative, indent, name = match.groups()
            rows.append(((len(indent) - 1) // 2, name, int(self_us), int(cumulative)))
    modules: dict[str, Module] = {}
    # Reversed, the post-order listing becomes a pre-order one: a module's parent is the
    # latest module seen one level up.
    latest: list[str] = []  # latest[d]: the last module seen at depth d
    for depth, name, self_us, cumulative in reversed(rows):
        parent = latest[depth - 1] if 0 < depth <= len(latest) else None
        del latest[depth:]
        latest.append(name)
        modules[name] = Module(name, self_us, cumulative, parent)
    return modules


def sample(module: str, runs: int) -> dict[str, Module]:
    """Median self and cumulative times per module over ``runs`` interpreters."""
    runs_parsed = []
    for _ in range(runs):
        completed = subprocess.run(
            [PYTHON, "-X", "importtime", "-c", f"import {module}"],
            env=peer_env(),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        runs_parsed.append(parse(completed.stderr))
    names = set().union(*runs_parsed)
    result = {}
    for name in names:
        found = [r[name] for r in runs_parsed if name in r]
        result[name] = Module(
            name,
            median(m.self_us for m in found),
            median(m.cumulative_us for m in found),
            found[0].parent,
        )
    return result


def entry_points(modules: dict[str, Module], owner_prefix: str) -> list[Module]:
    """Modules outside ``owner_prefix`` imported directly by a module inside it, most
    expensive first: what the owner's own imports pull in."""
    found = [
        m
        for m in modules.values()
        if not _owned(m.name, owner_prefix)
        and m.parent is not None
        and _owned(m.parent, owner_prefix)
    ]
    return sorted(found, key=lambda m: m.cumulative_us, reverse=True)


def owned(modules: dict[str, Module], owner_prefix: str) -> list[Module]:
    return sorted(
        (m for m in modules.values() if _owned(m.name, owner_prefix)),
        key=lambda m: m.self_us,
        reverse=True,
    )


def _owned(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")
