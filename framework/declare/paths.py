"""Resource paths: ``/pets/{pet_id}``, ``/files/{proxy+}``.

A REST API is a tree of resources; each path part is a literal, a path parameter ``{name}``
or, as the last part only, a greedy parameter ``{name+}`` that matches the rest of the path.
"""

from __future__ import annotations

import re

from framework._record import record
from framework.errors import InvalidPathError

# Literal path parts: letters, digits and ``._-:`` (what the API Gateway console and
# CreateResource accept for a pathPart; AWS developer guide, "Set up API resources").
_LITERAL = re.compile(r"[A-Za-z0-9._:-]+")
_PARAM = re.compile(r"\{([A-Za-z0-9._-]+)(\+?)\}")


@record
class Segment:
    """One path part of a resource path."""

    text: str
    param: str | None = None
    greedy: bool = False

    @property
    def kind(self) -> int:
        """0 for a literal, 1 for ``{param}``, 2 for ``{param+}``: routing tries them in order."""
        return 0 if self.param is None else (2 if self.greedy else 1)


@record
class ResourcePath:
    """A parsed resource path. ``str()`` gives it back as API Gateway spells it."""

    path: str
    segments: tuple[Segment, ...]

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(s.param for s in self.segments if s.param is not None)

    @property
    def greedy(self) -> bool:
        return bool(self.segments) and self.segments[-1].greedy

    @property
    def parent(self) -> str | None:
        if not self.segments:
            return None
        return "/" + "/".join(s.text for s in self.segments[:-1])

    def __str__(self) -> str:
        return self.path


def parse_path(path: str, *, where: str) -> ResourcePath:
    """Parse and validate ``path``; ``where`` names the route in the error message."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise InvalidPathError(f"{where}: resource path must start with '/', got {path!r}")
    if path == "/":
        return ResourcePath("/", ())
    if path.endswith("/"):
        raise InvalidPathError(f"{where}: resource path must not end with '/': {path!r}")
    segments: list[Segment] = []
    seen: set[str] = set()
    parts = path[1:].split("/")
    for index, part in enumerate(parts):
        if not part:
            raise InvalidPathError(f"{where}: empty path part in {path!r}")
        match = _PARAM.fullmatch(part)
        if match:
            name, plus = match.group(1), match.group(2)
            if name in seen:
                raise InvalidPathError(f"{where}: path parameter {{{name}}} appears twice")
            if plus and index != len(parts) - 1:
                raise InvalidPathError(
                    f"{where}: greedy parameter {part} must be the last path part of {path!r}"
                )
            seen.add(name)
            segments.append(Segment(part, name, bool(plus)))
        elif _LITERAL.fullmatch(part):
            segments.append(Segment(part))
        else:
            raise InvalidPathError(
                f"{where}: path part {part!r} is not a valid resource path part "
                "(letters, digits, '._-:', '{name}' or a final '{name+}')"
            )
    return ResourcePath(path, tuple(segments))
