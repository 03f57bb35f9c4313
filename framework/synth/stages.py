"""Stages in the template: one ``Stage`` parameter, stage variables picked per stage.

A template deploys one stage: ``StageName: !Ref Stage`` (one stack per stage,
``sam deploy --parameter-overrides Stage=prod``). The stage variables of every declared
stage are in ``Mappings`` and each API's ``Variables`` look the chosen stage up with
``Fn::FindInMap``.

CloudFormation constrains both levels of keys (AWS CloudFormation User Guide,
"Mappings"): a top-level key (here: the stage name) is letters, digits, ``-`` and ``.``;
a second-level key (here: the variable) letters and digits only. So:

* variables are stored under an alphanumeric key (``table_name`` -> ``TableName``) and
  appear under their real name in ``Variables``;
* every stage has the same keys, a stage that lacks a variable holding a placeholder,
  and the variable is removed for that stage with ``Fn::If`` + ``AWS::NoValue``;
* a stage whose name cannot be a mapping key (``my_stage``) gets its values through
  ``Fn::If`` on a condition instead of the mapping.

Conditions exist only for these two cases; a template without stage variables has no
``Mappings`` at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from framework.declare.api import RestApi
from framework.synth.names import MAPPING_TOP_KEY, camel, is_alphanumeric, unique

STAGE_PARAMETER = "Stage"
# Stands in for a variable a stage does not declare; Fn::If removes it before use.
PLACEHOLDER = "-"
NO_VALUE = {"Ref": "AWS::NoValue"}


@dataclass(slots=True)
class StageSettings:
    """What the template needs for stages: the parameter, mappings, conditions and each
    API's ``Variables`` property (absent for an API without stage variables)."""

    parameter: dict[str, Any]
    mappings: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)


def stage_names(apis: Sequence[RestApi]) -> list[str]:
    """Every declared stage name, in declaration order (``dev`` when none is declared)."""
    return list(dict.fromkeys(stage.name for api in apis for stage in api.stages))


def stage_settings(apis: Sequence[RestApi], api_ids: Mapping[str, str]) -> StageSettings:
    """The ``Stage`` parameter, ``Mappings``, ``Conditions`` and each API's ``Variables``."""
    names = stage_names(apis)
    settings = StageSettings(
        parameter={
            "Type": "String",
            "Description": "The stage to deploy: the first path segment of the invoke URL.",
            "AllowedValues": names,
            "Default": names[0],
        }
    )
    taken_conditions: set[str] = set()
    conditions: dict[str, str] = {}  # stage name -> condition name

    def condition(stage: str) -> str:
        if stage not in conditions:
            name = unique(f"IsStage{camel(stage)}", taken_conditions)
            conditions[stage] = name
            settings.conditions[name] = {"Fn::Equals": [{"Ref": STAGE_PARAMETER}, stage]}
        return conditions[stage]

    for api in apis:
        declared = {stage.name: dict(stage.variables) for stage in api.stages}
        variables = sorted({name for values in declared.values() for name in values})
        if not variables:
            continue
        map_name = f"{api_ids[api.name]}StageVariables"
        keys = _mapping_keys(variables)
        in_map = [s for s in names if MAPPING_TOP_KEY.fullmatch(s)]
        mapping = {
            stage: {keys[v]: declared.get(stage, {}).get(v, PLACEHOLDER) for v in variables}
            for stage in in_map
        }
        used_map = False
        result: dict[str, Any] = {}
        for variable in variables:
            values = {s: declared[s][variable] for s in names if variable in declared.get(s, {})}
            mapped = any(s in values for s in in_map)
            expression: Any = (
                {"Fn::FindInMap": [map_name, {"Ref": STAGE_PARAMETER}, keys[variable]]}
                if mapped
                else NO_VALUE
            )
            used_map = used_map or mapped
            for stage in reversed(names):
                if stage in in_map:
                    if mapped and stage not in values:
                        expression = {"Fn::If": [condition(stage), NO_VALUE, expression]}
                elif stage in values or expression != NO_VALUE:
                    value = values.get(stage, NO_VALUE)
                    expression = {"Fn::If": [condition(stage), value, expression]}
            result[variable] = expression
        if used_map:
            settings.mappings[map_name] = mapping
        settings.variables[api.name] = result
    return settings


def _mapping_keys(variables: Sequence[str]) -> dict[str, str]:
    """Variable name -> second-level mapping key (alphanumeric, unique)."""
    taken = {v for v in variables if is_alphanumeric(v)}
    keys: dict[str, str] = {}
    for variable in variables:
        keys[variable] = variable if is_alphanumeric(variable) else unique(camel(variable), taken)
    return keys
