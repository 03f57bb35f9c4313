"""The model: what a developer declares. Frozen data and recording decorators; no I/O."""

from __future__ import annotations

from framework.declare.api import LambdaFunction, Preflight, RestApi, Stage
from framework.declare.cors import Cors
from framework.declare.paths import ResourcePath, Segment, parse_path
from framework.declare.routes import HTTP_METHODS, INHERIT, Route

__all__ = [
    "HTTP_METHODS",
    "INHERIT",
    "Cors",
    "LambdaFunction",
    "Preflight",
    "ResourcePath",
    "RestApi",
    "Route",
    "Segment",
    "Stage",
    "parse_path",
]
