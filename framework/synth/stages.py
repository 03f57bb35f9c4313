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

Conditions exist only for these two cases (and for the per-stage method throttling and
usage plans of ``synth.usage``, which select their values the same way); a template
without stage variables or stage throttling has no ``Mappings`` at all.
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
    API's ``Variables`` property (absent for an API without stage variables).

    Other per-stage values (method throttling, usage plans) take their conditions and
    their ``Fn::If`` chains from here too, so the template has one set of conditions."""

    parameter: dict[str, Any]
    mappings: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    _condition_names: dict[tuple[str, ...], str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Every stage the template can deploy: the parameter's allowed values."""
        names: list[str] = self.parameter["AllowedValues"]
        return names

    @property
    def in_map(self) -> list[str]:
        """The stages whose name can be a top-level mapping key."""
        return [s for s in self.names if MAPPING_TOP_KEY.fullmatch(s)]

    def condition(self, *stages: str) -> str:
        """The name of a condition true when the deployed stage is one of ``stages``
        (``IsStageProd``, ``IsStageDevOrProd``), added to ``conditions`` on first use."""
        key = tuple(stages)
        name = self._condition_names.get(key)
        if name is None:
            if len(stages) == 1:
                definition: Any = {"Fn::Equals": [{"Ref": STAGE_PARAMETER}, stages[0]]}
            else:
                definition = _any([{"Condition": self.condition(s)} for s in stages])
            candidate = "IsStage" + "Or".join(camel(s) for s in stages)
            name = unique(candidate, set(self.conditions))
            self.conditions[name] = definition
            self._condition_names[key] = name
        return name

    def select(self, values: Mapping[str, Any], mapped: Any) -> Any:
        """The expression that gives, in the deployed stage, ``values[stage]``, or
        ``AWS::NoValue`` for a stage not in ``values``.

        ``mapped`` is the expression that reads the value from a mapping keyed by stage
        (``Fn::FindInMap`` with ``Ref: Stage``); it serves every stage of :attr:`in_map`
        that has a value. The other stages are picked out with ``Fn::If``."""
        in_map = self.in_map
        uses_map = any(s in values for s in in_map)
        expression: Any = mapped if uses_map else NO_VALUE
        for stage in reversed(self.names):
            if stage in in_map:
                if uses_map and stage not in values:
                    expression = {"Fn::If": [self.condition(stage), NO_VALUE, expression]}
            elif stage in values or expression != NO_VALUE:
                value = values.get(stage, NO_VALUE)
                expression = {"Fn::If": [self.condition(stage), value, expression]}
        return expression


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
    for api in apis:
        declared = {stage.name: dict(stage.variables) for stage in api.stages}
        variables = sorted({name for values in declared.values() for name in values})
        if not variables:
            continue
        map_name = f"{api_ids[api.name]}StageVariables"
        keys = _mapping_keys(variables)
        in_map = settings.in_map
        mapping = {
            stage: {keys[v]: declared.get(stage, {}).get(v, PLACEHOLDER) for v in variables}
            for stage in in_map
        }
        used_map = False
        result: dict[str, Any] = {}
        for variable in variables:
            values = {s: declared[s][variable] for s in names if variable in declared.get(s, {})}
            find = {"Fn::FindInMap": [map_name, {"Ref": STAGE_PARAMETER}, keys[variable]]}
            result[variable] = settings.select(values, find)
            used_map = used_map or any(s in values for s in in_map)
        if used_map:
            settings.mappings[map_name] = mapping
        settings.variables[api.name] = result
    return settings


def _any(conditions: list[Any]) -> Any:
    """``Fn::Or`` of ``conditions``; it takes 2 to 10 of them, so more are nested."""
    if len(conditions) == 1:
        return conditions[0]
    if len(conditions) <= 10:
        return {"Fn::Or": conditions}
    return {"Fn::Or": [*conditions[:9], _any(conditions[9:])]}


def _mapping_keys(variables: Sequence[str]) -> dict[str, str]:
    """Variable name -> second-level mapping key (alphanumeric, unique)."""
    taken = {v for v in variables if is_alphanumeric(v)}
    keys: dict[str, str] = {}
    for variable in variables:
        keys[variable] = variable if is_alphanumeric(variable) else unique(camel(variable), taken)
    return keys
