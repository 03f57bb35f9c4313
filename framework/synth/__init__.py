"""Synth: the declaration -> deployable files. Pure functions from ``RestApi`` to dicts,
and one function that writes them.

>>> from framework.discovery import load_apis
>>> from framework.synth import synth
>>> synth(load_apis("app.py"), Path("build"), app_target="app.py")

then ``cd build && sam build && sam deploy --guided``.
"""

from __future__ import annotations

from framework.synth.openapi import openapi_document
from framework.synth.package import render_openapi, render_template, synth
from framework.synth.sam import sam_template
from framework.synth.sources import SynthError

__all__ = [
    "SynthError",
    "openapi_document",
    "render_openapi",
    "render_template",
    "sam_template",
    "synth",
]
