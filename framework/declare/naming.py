"""Names derived from the declaration that the local gateway and synth must agree on."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORDS = re.compile(r"[A-Za-z0-9]+")


def camel(text: str) -> str:
    """``"pet-store_api"`` -> ``"PetStoreApi"``: alphanumeric words, each capitalised."""
    words = _WORDS.findall(text)
    result = "".join(word[:1].upper() + word[1:] for word in words)
    return result or "X"


def unique(candidate: str, taken: set[str]) -> str:
    """``candidate``, or ``candidate2``, ``candidate3``...: the first one not in ``taken``.
    The chosen name is added to ``taken``."""
    name, number = candidate, 2
    while name in taken:
        name = f"{candidate}{number}"
        number += 1
    taken.add(name)
    return name


def schema_names(names: Iterable[str]) -> dict[str, str]:
    """OpenAPI component names -> API Gateway model names. API Gateway creates one model
    per ``components/schemas`` entry on import and model names must be alphanumeric
    (API Gateway API Reference, "CreateModel": name)."""
    taken: set[str] = set()
    return {name: unique(camel(name), taken) for name in names}


__all__ = ["camel", "schema_names", "unique"]
