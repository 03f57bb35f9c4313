"""Every name synth invents, in one place: CloudFormation logical ids (APIs, functions,
usage plans, API keys, integration roles), mapping keys, condition names, OpenAPI schema
(API Gateway model) names and Lambda entry modules.

All names are deterministic functions of the declaration, so two synths of the same app
give byte-identical files, and a name never changes unless the declaration does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from framework.declare.api import RestApi
from framework.declare.naming import camel as camel
from framework.declare.naming import unique as unique

_WORDS = re.compile(r"[A-Za-z0-9]+")
# CloudFormation logical ids, condition names, mapping names and second-level mapping keys
# are alphanumeric (AWS CloudFormation User Guide, "Resources", "Mappings", "Conditions").
_ALNUM = re.compile(r"[A-Za-z0-9]+")
# Top-level mapping keys may also hold '-' and '.' (cfn-lint's Mappings schema mirrors
# the CloudFormation User Guide, "Mappings").
MAPPING_TOP_KEY = re.compile(r"[A-Za-z0-9.-]+")

ENTRY_PREFIX = "framework_entry_"


def snake(text: str) -> str:
    """``"Pet-Store"`` -> ``"pet_store"``: a valid Python identifier part."""
    words = _WORDS.findall(text)
    return "_".join(word.lower() for word in words) or "x"


def is_alphanumeric(text: str) -> bool:
    return bool(_ALNUM.fullmatch(text))


def api_logical_id(api_name: str) -> str:
    """``petstore`` -> ``PetstoreApi``."""
    return f"{camel(api_name)}Api"


def function_logical_id(function_name: str) -> str:
    """``petstore`` -> ``PetstoreFunction``."""
    return f"{camel(function_name)}Function"


def integration_role_id(api_name: str) -> str:
    """``shop`` -> ``ShopIntegrationRole``: the role API Gateway assumes to call AWS
    services for the integrations that name no ``credentials_role``."""
    return f"{camel(api_name)}IntegrationRole"


@dataclass(frozen=True, slots=True)
class FunctionNames:
    """The names of one Lambda function in the template and in the deployment package."""

    logical_id: str
    permission_id: str
    module: str

    @property
    def handler(self) -> str:
        """The ``Handler`` setting: ``<entry module>.handler``."""
        return f"{self.module}.handler"


@dataclass(frozen=True, slots=True)
class PlanNames:
    """The logical ids of one usage plan and of its keys (key name -> ids)."""

    logical_id: str
    api_keys: dict[str, str]
    plan_keys: dict[str, str]


@dataclass(frozen=True, slots=True)
class TemplateNames:
    """Names for every API, function and usage plan of a template, allocated once so that
    the template, the OpenAPI documents and the entry modules agree."""

    apis: dict[str, str]
    functions: dict[tuple[str, str], FunctionNames]
    plans: dict[tuple[str, str], PlanNames] = field(default_factory=dict)
    integration_roles: dict[str, str] = field(default_factory=dict)
    """API name -> logical id of its AWS service integrations' role (when it needs one)."""

    def function_ids(self, api: RestApi) -> dict[str, str]:
        """Function name -> logical id, for the functions of ``api``."""
        return {fn: names.logical_id for (a, fn), names in self.functions.items() if a == api.name}


def template_names(apis: Sequence[RestApi]) -> TemplateNames:
    """Allocate logical ids and entry modules. A function keeps its plain name
    (``PetstoreFunction``) unless another API has a function of the same name, in which
    case both get the API's name in front (``PetstoreSharedFunction``)."""
    taken: set[str] = set()
    modules: set[str] = set()
    api_ids = {api.name: unique(api_logical_id(api.name), taken) for api in apis}
    counts: dict[str, int] = {}
    for api in apis:
        for fn in api.functions:
            key = camel(fn.name)
            counts[key] = counts.get(key, 0) + 1
    functions: dict[tuple[str, str], FunctionNames] = {}
    for api in apis:
        for fn in api.functions:
            shared = counts[camel(fn.name)] > 1
            base = f"{camel(api.name)}{camel(fn.name)}" if shared else camel(fn.name)
            logical_id = unique(f"{base}Function", taken)
            permission_id = unique(f"{logical_id}Permission", taken)
            module_base = f"{snake(api.name)}_{snake(fn.name)}" if shared else snake(fn.name)
            module = unique(f"{ENTRY_PREFIX}{module_base}", modules)
            functions[(api.name, fn.name)] = FunctionNames(logical_id, permission_id, module)
    # After the functions, so that declaring a usage plan never renames a function.
    plans: dict[tuple[str, str], PlanNames] = {}
    for api in apis:
        for plan in api.usage_plans:
            base = f"{camel(api.name)}{camel(plan.name)}"
            plan_id = unique(f"{base}UsagePlan", taken)
            api_keys: dict[str, str] = {}
            plan_keys: dict[str, str] = {}
            for api_key in plan.keys:
                key_base = f"{camel(api.name)}{camel(api_key.name)}"
                api_keys[api_key.name] = unique(f"{key_base}ApiKey", taken)
                plan_keys[api_key.name] = unique(f"{key_base}UsagePlanKey", taken)
            plans[(api.name, plan.name)] = PlanNames(plan_id, api_keys, plan_keys)
    # Last, so that an integration role never renames anything declared before it.
    roles = {api.name: unique(integration_role_id(api.name), taken) for api in apis}
    return TemplateNames(api_ids, functions, plans, roles)
