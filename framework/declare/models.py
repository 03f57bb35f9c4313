"""Request models: pydantic classes (or JSON schema dicts) as API Gateway models.

Pydantic writes JSON Schema 2020-12. An OpenAPI 3.0 Schema Object is a subset of JSON
Schema draft 4 with a few extensions (``nullable``, ``discriminator``, ``example``), and
API Gateway turns every ``components/schemas`` entry into a model whose schema is JSON
Schema draft 4 (API Gateway developer guide, "Data models for REST APIs"). So the newer
keywords are rewritten into their draft 4 / OpenAPI 3.0 spelling, and anything with no
equivalent is dropped: the schema then accepts a little more, never less.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from framework.declare.naming import schema_names

if TYPE_CHECKING:
    from framework.declare.routes import Route

REF_PREFIX = "#/components/schemas/"

# The keywords of an OpenAPI 3.0.x Schema Object (OpenAPI Specification 3.0.3, "Schema
# Object"), plus ``$ref``.
SCHEMA_KEYWORDS = frozenset(
    {
        "$ref",
        "title",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "required",
        "enum",
        "type",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
        "items",
        "properties",
        "additionalProperties",
        "description",
        "format",
        "default",
        "nullable",
        "discriminator",
        "readOnly",
        "writeOnly",
        "example",
        "deprecated",
    }
)
_SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf")
_NULL = {"type": "null"}


def component_schemas(models: Sequence[Any]) -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    """``(model -> {"$ref": ...}, components.schemas)`` for pydantic model classes.

    >>> refs, schemas = component_schemas([NewPet])
    >>> refs[NewPet]
    {'$ref': '#/components/schemas/NewPet'}
    """
    if not models:
        return {}, {}
    # Imported only here, on the developer's machine (synth, the local gateway's
    # validator): pydantic is installed whenever the app declares a model.
    from pydantic.json_schema import models_json_schema

    refs, document = models_json_schema(
        [(model, "validation") for model in models], ref_template=REF_PREFIX + "{model}"
    )
    definitions: dict[str, Any] = document.get("$defs", {})
    renames = schema_names(sorted(definitions))
    schemas = {renames[name]: _convert(schema, renames) for name, schema in definitions.items()}
    model_refs = {model: _convert(dict(refs[(model, "validation")]), renames) for model in models}
    return model_refs, dict(sorted(schemas.items()))


def _rename_ref(ref: str, renames: dict[str, str]) -> str:
    if ref.startswith(REF_PREFIX):
        name = ref[len(REF_PREFIX) :]
        return REF_PREFIX + renames.get(name, name)
    return ref


def _convert(schema: Any, renames: dict[str, str]) -> Any:
    """One JSON Schema 2020-12 node (pydantic's output) as an OpenAPI 3.0 Schema Object."""
    if not isinstance(schema, dict):
        return schema
    node = dict(schema)
    nullable = False

    # {"anyOf": [X, {"type": "null"}]} -> X + nullable (OpenAPI 3.0 has no "null" type).
    for key in _SUBSCHEMA_LISTS:
        options = node.get(key)
        if isinstance(options, list) and _NULL in options:
            nullable = True
            rest = [o for o in options if o != _NULL]
            del node[key]
            if len(rest) == 1:
                node = {**rest[0], **node}
            elif rest:
                node[key] = rest
    kind = node.get("type")
    if isinstance(kind, list):
        nullable = nullable or "null" in kind
        kinds = [k for k in kind if k != "null"]
        if len(kinds) == 1:
            node["type"] = kinds[0]
        else:
            del node["type"]
            if kinds:
                node["anyOf"] = [{"type": k} for k in kinds]
    elif kind == "null":
        del node["type"]
        nullable = True
        node.setdefault("enum", [None])

    if "const" in node:
        node.setdefault("enum", [node["const"]])
    # Draft 6+ spells an exclusive bound as a number; draft 4 and OpenAPI 3.0 as a boolean
    # next to minimum/maximum.
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(exclusive)
        if isinstance(value, int | float) and not isinstance(value, bool):
            node[bound] = value
            node[exclusive] = True
    examples = node.get("examples")
    if isinstance(examples, list) and examples and "example" not in node:
        node["example"] = examples[0]
    prefix = node.get("prefixItems")
    if isinstance(prefix, list) and "items" not in node:
        # A tuple: OpenAPI 3.0 has no positional items; accept any of the item types.
        node["items"] = {"anyOf": prefix} if len(prefix) > 1 else (prefix[0] if prefix else {})
    if node.get("type") == "array" and "items" not in node:
        node["items"] = {}  # OpenAPI 3.0: items MUST be present when type is array

    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key not in SCHEMA_KEYWORDS:
            continue
        if key == "$ref":
            converted[key] = _rename_ref(value, renames)
        elif key in ("properties",):
            converted[key] = {name: _convert(sub, renames) for name, sub in value.items()}
        elif key in _SUBSCHEMA_LISTS:
            converted[key] = [_convert(sub, renames) for sub in value]
        elif key in ("items", "not", "additionalProperties"):
            converted[key] = _convert(value, renames)
        elif key == "discriminator" and isinstance(value, dict):
            mapping = value.get("mapping")
            converted[key] = (
                {**value, "mapping": {k: _rename_ref(v, renames) for k, v in mapping.items()}}
                if isinstance(mapping, dict)
                else value
            )
        else:
            converted[key] = value
    if nullable:
        converted["nullable"] = True
    if "$ref" in converted and len(converted) > 1:
        # Siblings of $ref are ignored in OpenAPI 3.0 (and in draft 4): keep them by
        # wrapping the reference in allOf.
        ref = converted.pop("$ref")
        converted["allOf"] = [{"$ref": ref}]
    return converted


def request_model(route: Route) -> Any:
    """The method's body model: ``model=`` on the route, else the pydantic model its
    handler takes the JSON body as (Lambda proxy routes); None when there is none."""
    if route.model is not None:
        return route.model
    if route.asgi is not None or route.integration is not None or route.handler is None:
        return None  # an ASGI app or a non-proxy integration parses its own bodies
    from framework.runtime.binding import plan

    try:
        bindings = plan(route.handler, route.resource.params, str(route))
    except NameError:
        return None  # an annotation names a class not defined yet
    return next((b.model for b in bindings if b.kind == "model"), None)


def validation_schema(model: Any) -> dict[str, Any]:
    """The JSON Schema (draft 4) API Gateway validates a body with: a JSON schema dict as
    given, a pydantic model as synth writes it into ``components/schemas``, references
    resolvable from the returned document."""
    if isinstance(model, dict):
        return model
    refs, schemas = component_schemas([model])
    return {**refs[model], "components": {"schemas": schemas}}
