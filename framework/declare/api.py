"""``RestApi``: the declaration of one API Gateway REST API.

Decorators only record: each returns the function unchanged and stores a frozen ``Route``.
The local gateway, the Lambda runtime and synth are all functions of what is recorded here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from framework._record import field, record
from framework.declare.cors import Cors
from framework.declare.paths import ResourcePath, parse_path
from framework.declare.routes import (
    HTTP_METHODS,
    INHERIT,
    Route,
    resolve_cors,
    route_options,
)
from framework.errors import DeclarationError, DuplicateRouteError, InvalidOptionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    # Authorizers, usage plans and ASGI mounts are imported by the methods that declare
    # them: an app without them does not load those modules in Lambda (cold start).
    from framework.declare.asgi import AsgiMount
    from framework.declare.auth import (
        Authorizer,
        LambdaAuthorizer,
        ResourcePolicy,
    )
    from framework.declare.integrations import Integration
    from framework.declare.usage import GatewayResponse, Quota, Throttle, UsagePlan
    from framework.events.types import LambdaContext, ProxyResponse
    from framework.runtime.dispatch import Dispatcher

    F = TypeVar("F", bound=Callable[..., Any])


_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
DEFAULT_STAGE = "dev"
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]+")
_VARIABLE_VALUE = re.compile(r"[A-Za-z0-9\-._~:/?#&=,]+")
_ALL_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


@record
class Stage:
    """A deployment stage: its name is the first path segment of the invoke URL."""

    name: str
    variables: Mapping[str, str] = field(default_factory=dict)
    description: str | None = None
    throttle: Throttle | None = None


@record
class LambdaFunction:
    """Settings of one Lambda function that serves some of the API's methods."""

    name: str
    memory_size: int = 512
    timeout: int = 30
    environment: Mapping[str, str] = field(default_factory=dict)


@record
class Preflight:
    """The OPTIONS mock method API Gateway answers for a CORS-enabled resource."""

    resource: ResourcePath
    cors: Cors
    methods: tuple[str, ...]


class RestApi:
    """An API Gateway REST API.

    >>> api = RestApi("petstore", cors=Cors(allow_origins=["*"]))
    >>> api.stage("dev", variables={"table": "pets-dev"})
    >>> @api.get("/pets/{pet_id}")
    ... def get_pet(request: Request, pet_id: str) -> dict:
    ...     return {"id": pet_id}

    ``api.handler`` is the Lambda entry point for every function of the API.
    """

    def __init__(
        self,
        name: str,
        *,
        description: str | None = None,
        binary_media_types: Iterable[str] = (),
        cors: Cors | bool | None = None,
        environment: Mapping[str, str] | None = None,
        authorizer: Authorizer | Callable[..., Any] | str | None = None,
        api_key_required: bool = False,
        api_key_source: str = "HEADER",
        validate: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InvalidOptionError(
                f"RestApi: name must be 1-128 letters, digits, '-' or '_', got {name!r}"
            )
        self.name = name
        self.description = description
        if isinstance(binary_media_types, str):
            binary_media_types = (binary_media_types,)
        self.binary_media_types: tuple[str, ...] = tuple(binary_media_types)
        for media_type in self.binary_media_types:
            if "/" not in media_type:
                raise InvalidOptionError(
                    f"RestApi {name}: binary media type {media_type!r} must be 'type/subtype'"
                )
        self.cors: Cors | None = resolve_cors(f"RestApi {name}", cors, None)
        self.environment: dict[str, str] = _string_map(f"RestApi {name}: environment", environment)
        self._stages: dict[str, Stage] = {}
        self._functions: dict[str, LambdaFunction] = {}
        self._routes: dict[tuple[str, str], Route] = {}
        self._dispatcher: Dispatcher | None = None
        self._authorizers: dict[str, Authorizer] = {}
        self._default_authorizer: Any = authorizer
        self.policy: ResourcePolicy | None = None
        if api_key_source not in ("HEADER", "AUTHORIZER"):
            raise InvalidOptionError(
                f"RestApi {name}: api_key_source must be HEADER or AUTHORIZER, "
                f"got {api_key_source!r}"
            )
        self.api_key_source = api_key_source
        if validate not in (None, "body", "params", "all"):
            raise InvalidOptionError(
                f"RestApi {name}: validate must be 'body', 'params', 'all' or None"
            )
        self._validate = validate
        self._api_key_required = bool(api_key_required)
        self._usage_plans: dict[str, UsagePlan] = {}
        self._gateway_responses: dict[str, GatewayResponse] = {}

    # -- stages and functions -------------------------------------------------------------

    def stage(
        self,
        name: str,
        *,
        variables: Mapping[str, str] | None = None,
        description: str | None = None,
        throttle: Throttle | None = None,
    ) -> Stage:
        """Declare a stage; every stage is served locally at ``/{stage}/...``.

        ``throttle`` is the stage's default method throttling (a route's ``throttle=``
        overrides it for that method)."""
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InvalidOptionError(
                f"RestApi {self.name}: stage name must be letters, digits, '-' or '_', got {name!r}"
            )
        if name in self._stages:
            raise DeclarationError(f"RestApi {self.name}: stage {name!r} is declared twice")
        values = _string_map(f"stage {name}: variables", variables)
        for key, value in values.items():
            # AWS developer guide, "Set up stage variables for a REST API": names are
            # [A-Za-z0-9_]+, values [A-Za-z0-9-._~:/?#&=,]+.
            if not _VARIABLE_NAME.fullmatch(key):
                raise InvalidOptionError(
                    f"stage {name}: variable name {key!r} must be letters, digits or '_'"
                )
            if not _VARIABLE_VALUE.fullmatch(value):
                raise InvalidOptionError(
                    f"stage {name}: variable {key}={value!r}: values may hold only letters, "
                    "digits and -._~:/?#&=, (no spaces)"
                )
        if throttle is not None:
            from framework.declare.usage import Throttle

            if not isinstance(throttle, Throttle):
                raise InvalidOptionError(f"stage {name}: throttle must be a Throttle")
        stage = Stage(name, values, description, throttle)
        self._stages[name] = stage
        return stage

    @property
    def stages(self) -> tuple[Stage, ...]:
        """Declared stages; one named ``dev`` when none is declared."""
        return tuple(self._stages.values()) or (Stage(DEFAULT_STAGE),)

    def get_stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        known = ", ".join(s.name for s in self.stages)
        raise DeclarationError(f"RestApi {self.name}: no stage {name!r} (stages: {known})")

    def function(
        self,
        name: str,
        *,
        memory_size: int = 512,
        timeout: int = 30,
        environment: Mapping[str, str] | None = None,
    ) -> LambdaFunction:
        """Configure a Lambda function that routes name with ``function=name``."""
        where = f"RestApi {self.name}: function {name!r}"
        if not 128 <= memory_size <= 10240:
            raise InvalidOptionError(f"{where}: memory_size must be 128-10240 MB")
        if not 1 <= timeout <= 900:
            raise InvalidOptionError(f"{where}: timeout must be 1-900 seconds")
        fn = LambdaFunction(name, memory_size, timeout, _string_map(where, environment))
        self._functions[name] = fn
        return fn

    @property
    def default_function(self) -> str:
        return self.name

    @property
    def functions(self) -> tuple[LambdaFunction, ...]:
        """Every function that serves a route, configured or with default settings."""
        names = dict.fromkeys(r.function for r in self._routes.values() if r.invokes_lambda)
        names.update(dict.fromkeys(a.function for a in self.lambda_authorizers))
        return tuple(self._functions.get(n) or LambdaFunction(n) for n in names)

    def function_environment(self, name: str) -> dict[str, str]:
        """The environment variables function ``name`` runs with: the API's, then its own."""
        own = self._functions.get(name)
        return {**self.environment, **(own.environment if own else {})}

    # -- routes ---------------------------------------------------------------------------

    @property
    def routes(self) -> tuple[Route, ...]:
        return tuple(self._routes.values())

    def add_route(
        self, path: str, handler: Callable[..., Any], *, methods: Sequence[str], **options: Any
    ) -> tuple[Route, ...]:
        """The plain form of the decorators: declare ``handler`` for ``methods`` on ``path``."""
        integration = options.get("integration")
        if getattr(integration, "runs_lambda", False):
            # A Lambda custom integration runs in a function of its own: a plain handler.
            name = re.sub(r"[^A-Za-z0-9]+", "-", getattr(handler, "__name__", "handler"))
            options = {"function": f"{self.name}-{name.strip('-')}", **options}
        return self._add(path, handler, methods, options, None)

    def mount(
        self, path: str, asgi_app: Any, *, methods: Sequence[str] = ("ANY",), **options: Any
    ) -> tuple[Route, ...]:
        """Serve an ASGI app (FastAPI, Starlette, ...) under ``path`` through Mangum.

        >>> api.mount("/app/{proxy+}", fastapi_app)

        declares ``/app`` and ``/app/{proxy+}``; the app sees paths relative to ``/app``
        and runs in its own Lambda function (``function=`` to choose; default
        ``<api>-app``).
        """
        from framework.declare.asgi import AsgiMount, mount_resources
        from framework.declare.asgi import function_name as asgi_function_name

        prefix, paths = mount_resources(path)
        options.setdefault("function", asgi_function_name(self.name, prefix))
        mount = AsgiMount(asgi_app, prefix)
        return tuple(
            route for p in paths for route in self._add(p, asgi_app, methods, options, mount)
        )

    def include_asgi_routes(
        self, asgi_app: Any, *, prefix: str = "", **options: Any
    ) -> tuple[Route, ...]:
        """Declare each route of a FastAPI/Starlette app as its own API Gateway method.

        >>> api.include_asgi_routes(fastapi_app, prefix="/v1")

        Every method is served by one function running the app under Mangum; unlike
        ``mount``, API Gateway knows each method, so each can have its own settings.
        """
        from framework.declare.asgi import AsgiMount, asgi_routes
        from framework.declare.asgi import function_name as asgi_function_name

        prefix = prefix.rstrip("/")
        options.setdefault("function", asgi_function_name(self.name, prefix))
        mount = AsgiMount(asgi_app, prefix)
        return tuple(
            route
            for path, methods in asgi_routes(asgi_app, prefix)
            for route in self._add(path, asgi_app, methods, options, mount)
        )

    def _add(
        self,
        path: str,
        handler: Callable[..., Any] | None,
        methods: Sequence[str],
        options: Mapping[str, Any],
        asgi: AsgiMount | None,
    ) -> tuple[Route, ...]:
        if isinstance(methods, str):
            methods = (methods,)
        if not methods:
            raise InvalidOptionError(f"{path}: methods must name at least one HTTP method")
        added = []
        for method in methods:
            upper = str(method).upper()
            where = f"{upper} {path}"
            if upper not in HTTP_METHODS:
                raise InvalidOptionError(
                    f"{where}: unknown method; use one of {', '.join(HTTP_METHODS)}"
                )
            resource = parse_path(path, where=where)
            self._check_siblings(resource, where)
            if (resource.path, upper) in self._routes:
                previous = self._routes[(resource.path, upper)]
                raise DuplicateRouteError(f"{where}: already declared by {previous.name}")
            integration = options.get("integration")
            if asgi is None and integration is None:
                _check_handler(where, handler, resource)
            elif getattr(integration, "runs_lambda", False) and not callable(handler):
                raise InvalidOptionError(f"{where}: a Lambda custom integration needs a handler")
            settings = route_options(
                where,
                options,
                api_cors=self.cors,
                default_function=self.default_function,
                resolve_authorizer=self._resolve_authorizer,
                api_key_required=self._api_key_required,
                api_validate=self._validate,
            )
            route = Route(upper, resource, handler, asgi=asgi, **settings)
            added.append(route)
        for route in added:
            self._routes[route.key] = route
        self._dispatcher = None
        return tuple(added)

    def route(self, path: str, *, methods: Sequence[str], **options: Any) -> Callable[[F], F]:
        """Declare the decorated function for several methods.

        >>> @api.route("/pets", methods=["GET", "POST"])
        """

        def decorator(handler: F) -> F:
            self.add_route(path, handler, methods=methods, **options)
            return handler

        return decorator

    def get(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["GET"], **options)

    def post(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["POST"], **options)

    def put(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["PUT"], **options)

    def patch(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["PATCH"], **options)

    def delete(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["DELETE"], **options)

    def head(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["HEAD"], **options)

    def options(self, path: str, **options: Any) -> Callable[[F], F]:
        return self.route(path, methods=["OPTIONS"], **options)

    def any(self, path: str, **options: Any) -> Callable[[F], F]:
        """Every method (API Gateway's ``ANY``); a specific method on the same resource wins."""
        return self.route(path, methods=["ANY"], **options)

    def add_integration(
        self, path: str, integration: Integration, *, methods: Sequence[str], **options: Any
    ) -> tuple[Route, ...]:
        """Declare methods served by a MOCK, HTTP, HTTP_PROXY or AWS service integration.

        >>> from framework import integrations
        >>> api.add_integration("/status", integrations.mock(template='{"ok": true}'),
        ...                     methods=["GET"])
        >>> api.add_integration("/legacy/{proxy+}",
        ...                     integrations.http("https://legacy.example.com/{proxy}"),
        ...                     methods=["ANY"])

        A Lambda custom integration decorates its function instead:
        ``@api.post("/orders", integration=integrations.lambda_custom(...))``.
        """
        if integration is None or integration.runs_lambda:
            raise InvalidOptionError(
                f"{path}: add_integration takes mock, http or aws integrations; decorate the "
                "function of a lambda_custom integration"
            )
        return self._add(path, None, methods, {**options, "integration": integration}, None)

    def function_handler(self, name: str) -> Callable[..., Any]:
        """The Lambda entry point of function ``name``: the dispatcher for proxy routes,
        the authorizer for an authorizer's function, the function itself for a Lambda
        custom integration."""
        for route in self._routes.values():
            if route.function == name and route.integration is not None and route.handler:
                handler: Callable[..., Any] = route.handler
                return handler
        for authorizer in self.lambda_authorizers:
            if authorizer.function == name:
                return self.authorizer_handler(authorizer.name)
        return self.handler

    # -- access control -------------------------------------------------------------------

    def authorizer(
        self,
        name: str | None = None,
        *,
        type: str = "TOKEN",
        identity_source: str | Sequence[str] | None = None,
        validation_regex: str | None = None,
        ttl: int = 300,  # seconds (framework.declare.auth.DEFAULT_TTL)
        function: str | None = None,
    ) -> Callable[[F], F]:
        """Declare a Lambda authorizer; routes name it with ``authorizer=``.

        >>> @api.authorizer(type="TOKEN", validation_regex=r"^Bearer [-0-9a-zA-Z._]+$")
        ... def check_token(request: AuthorizerRequest):
        ...     if request.token == "Bearer good":
        ...         return allow("user-1", context={"tier": "pro"}, routes=["GET /pets/*"])
        ...     raise UnauthorizedError()

        ``identity_source``: a header name (TOKEN, default ``Authorization``), or for
        REQUEST a list of ``header.X``, ``query.X``, ``stageVariables.X``, ``context.X``.
        The function runs in a Lambda function of its own (``<api>-<name>``).
        """
        from framework.declare.auth import lambda_authorizer

        def decorator(handler: F) -> F:
            self.add_authorizer(
                lambda_authorizer(
                    handler,
                    api_name=self.name,
                    name=name,
                    type=type,
                    identity_source=identity_source,
                    validation_regex=validation_regex,
                    ttl=ttl,
                    function=function,
                )
            )
            return handler

        return decorator

    def add_authorizer(self, authorizer: Authorizer) -> Authorizer:
        """Register an authorizer (the plain form of ``@api.authorizer``)."""
        from framework.declare.auth import (
            CognitoAuthorizer,
            IamAuthorizer,
            LambdaAuthorizer,
        )

        if not isinstance(authorizer, LambdaAuthorizer | CognitoAuthorizer | IamAuthorizer):
            raise InvalidOptionError(f"RestApi {self.name}: {authorizer!r} is not an authorizer")
        existing = self._authorizers.get(authorizer.name)
        if existing is not None and existing is not authorizer:
            raise DeclarationError(
                f"RestApi {self.name}: authorizer {authorizer.name!r} is declared twice"
            )
        self._authorizers[authorizer.name] = authorizer
        return authorizer

    @property
    def authorizers(self) -> tuple[Authorizer, ...]:
        return tuple(self._authorizers.values())

    @property
    def lambda_authorizers(self) -> tuple[LambdaAuthorizer, ...]:
        lambdas = [a for a in self._authorizers.values() if a.kind == "lambda"]
        return tuple(lambdas)  # type: ignore[arg-type]

    def _resolve_authorizer(self, where: str, value: Any) -> Authorizer | None:
        if value is INHERIT:
            value = self._default_authorizer
        if value is None:
            return None
        from framework.declare.auth import CognitoAuthorizer, IamAuthorizer, LambdaAuthorizer

        if isinstance(value, CognitoAuthorizer | IamAuthorizer | LambdaAuthorizer):
            return self.add_authorizer(value)
        for authorizer in self._authorizers.values():
            if value == authorizer.name or (
                authorizer.kind == "lambda" and value is getattr(authorizer, "handler", None)
            ):
                return authorizer
        raise InvalidOptionError(
            f"{where}: authorizer {getattr(value, '__name__', value)!r} is not declared "
            "(declare it with @api.authorizer before the routes that use it)"
        )

    def authorizer_handler(self, name: str) -> Callable[..., Any]:
        """The Lambda entry point of the Lambda authorizer ``name``."""
        from framework.declare.auth import LambdaAuthorizer

        authorizer = self._authorizers.get(name)
        if not isinstance(authorizer, LambdaAuthorizer):
            raise DeclarationError(f"RestApi {self.name}: no Lambda authorizer {name!r}")
        from framework.runtime.auth import AuthorizerEndpoint

        endpoint: Callable[..., Any] = AuthorizerEndpoint(authorizer)
        return endpoint

    def resource_policy(
        self,
        document: Mapping[str, Any] | None = None,
        *,
        allow_source_ips: Sequence[str] = (),
        deny_source_ips: Sequence[str] = (),
    ) -> ResourcePolicy:
        """Set the API's resource policy: a raw IAM policy document, or source IPs/CIDRs.

        >>> api.resource_policy(allow_source_ips=["10.0.0.0/8"], deny_source_ips=["10.0.0.7"])
        """
        from framework.declare.auth import resource_policy

        self.policy = resource_policy(
            document,
            api_name=self.name,
            allow_source_ips=allow_source_ips,
            deny_source_ips=deny_source_ips,
        )
        return self.policy

    # -- API keys, usage plans, gateway responses ------------------------------------------

    def usage_plan(
        self,
        name: str,
        *,
        stages: Sequence[str] | None = None,
        throttle: Throttle | None = None,
        quota: Quota | None = None,
        method_throttles: Mapping[str, Throttle] | None = None,
        description: str | None = None,
    ) -> UsagePlan:
        """Declare a usage plan; add keys with ``plan.add_key(name, value=None)``.

        >>> free = api.usage_plan("free", throttle=Throttle(rate=1, burst=2),
        ...                       quota=Quota(limit=100, period="DAY"))
        >>> free.add_key("alice")

        ``stages``: the stages it applies to (default: every declared stage);
        ``method_throttles``: ``{"GET /pets/{pet_id}": Throttle(...)}`` per method.
        """
        from framework.declare.usage import Quota, Throttle, UsagePlan, method_key

        where = f"RestApi {self.name}: usage plan {name!r}"
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise InvalidOptionError(f"{where}: name must be letters, digits, '-' or '_'")
        if name in self._usage_plans:
            raise DeclarationError(f"{where}: declared twice")
        if throttle is not None and not isinstance(throttle, Throttle):
            raise InvalidOptionError(f"{where}: throttle must be a Throttle")
        if quota is not None and not isinstance(quota, Quota):
            raise InvalidOptionError(f"{where}: quota must be a Quota")
        methods = {}
        for route, limit in (method_throttles or {}).items():
            if not isinstance(limit, Throttle):
                raise InvalidOptionError(f"{where}: method_throttles values must be Throttle")
            methods[method_key(route, where)] = limit
        plan = UsagePlan(name, tuple(stages or ()), throttle, quota, methods, description)
        self._usage_plans[name] = plan
        return plan

    @property
    def usage_plans(self) -> tuple[UsagePlan, ...]:
        return tuple(self._usage_plans.values())

    def plan_stages(self, plan: UsagePlan) -> tuple[str, ...]:
        """The stages a plan covers (every declared stage when it names none)."""
        declared = [s.name for s in self.stages]
        for stage in plan.stages:
            if stage not in declared:
                raise DeclarationError(
                    f"RestApi {self.name}: usage plan {plan.name!r} names stage {stage!r}, "
                    f"which is not declared (stages: {', '.join(declared)})"
                )
        for route_key in plan.method_throttles:
            method, _, path = route_key.partition(" ")
            if (path, method) not in self._routes and method != "*":
                raise DeclarationError(
                    f"RestApi {self.name}: usage plan {plan.name!r} throttles {route_key}, "
                    "which is not a declared method"
                )
        return plan.stages or tuple(declared)

    def gateway_response(
        self,
        type: str,
        *,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        template: str | Mapping[str, str] | None = None,
    ) -> GatewayResponse:
        """Override one of API Gateway's own responses (``UNAUTHORIZED``, ``THROTTLED``,
        ``DEFAULT_4XX``...): its status, headers, and body template.

        >>> api.gateway_response("UNAUTHORIZED", headers={"WWW-Authenticate": "Bearer"},
        ...                      template='{"error": $context.error.messageString}')
        """
        from framework.declare.usage import gateway_response

        response = gateway_response(
            type, status_code=status_code, headers=headers, template=template
        )
        self._gateway_responses[type] = response
        return response

    def gateway_responses(self) -> dict[str, GatewayResponse]:
        """The gateway responses as API Gateway will apply them; gateway and synth both
        read this.

        DEFAULT_4XX and DEFAULT_5XX get the CORS headers when the API has CORS (a browser
        must be able to read errors). A customised type takes what it leaves unset from
        its DEFAULT_xXX: API Gateway applies a default only to the types that are not
        customised, so a customised THROTTLED would otherwise lose the CORS header."""
        from framework.declare.usage import GatewayResponse, default_type

        result = dict(self._gateway_responses)
        origin = self.cors.allow_origin_for(None) if self.cors else None
        if self.cors is not None and origin is not None:
            cors_headers = {"Access-Control-Allow-Origin": origin}
            if self.cors.allow_credentials:
                cors_headers["Access-Control-Allow-Credentials"] = "true"
            for default in ("DEFAULT_4XX", "DEFAULT_5XX"):
                declared = result.get(default) or GatewayResponse(default)
                result[default] = GatewayResponse(
                    default,
                    declared.status_code,
                    {**cors_headers, **declared.headers},
                    declared.templates,
                )
        for name, response in list(result.items()):
            fallback = result.get(default_type(name))
            if name.startswith("DEFAULT_") or fallback is None:
                continue
            result[name] = GatewayResponse(
                name,
                response.status_code if response.status_code is not None else fallback.status_code,
                {**fallback.headers, **response.headers},
                response.templates or fallback.templates,
            )
        return result

    def _check_siblings(self, resource: ResourcePath, where: str) -> None:
        # A resource can have only one variable child: /pets/{id} and /pets/{name} (or
        # /pets/{proxy+}) cannot coexist (API Gateway: "A sibling ({id}) of this resource
        # already has a variable path part -- only one is allowed").
        for other in self._routes.values():
            a, b = resource.segments, other.resource.segments
            for i in range(min(len(a), len(b))):
                if a[i].text == b[i].text:
                    continue
                if a[i].param is not None and b[i].param is not None:
                    raise InvalidOptionError(
                        f"{where}: path part {a[i].text} conflicts with {b[i].text} of "
                        f"{other}: a resource can have only one variable child"
                    )
                break

    # -- derived views --------------------------------------------------------------------

    def resources(self) -> dict[str, dict[str, Route]]:
        """Resource path -> method -> route, in declaration order."""
        table: dict[str, dict[str, Route]] = {}
        for route in self._routes.values():
            table.setdefault(route.path, {})[route.method] = route
        return table

    def preflights(self) -> tuple[Preflight, ...]:
        """The OPTIONS mock methods for CORS: one per resource with a CORS-enabled method
        and no OPTIONS (or ANY) method of its own. Gateway and synth both read this."""
        result = []
        for methods in self.resources().values():
            if "OPTIONS" in methods:
                continue
            cors = next((r.cors for r in methods.values() if r.cors is not None), None)
            if cors is None:
                continue
            allowed = _ALL_METHODS if "ANY" in methods else tuple(sorted(methods))
            resource = next(iter(methods.values())).resource
            result.append(Preflight(resource, cors, (*allowed, "OPTIONS")))
        return tuple(result)

    # -- Lambda entry point ---------------------------------------------------------------

    def handler(
        self, event: Mapping[str, Any], context: LambdaContext | None = None
    ) -> ProxyResponse:
        """The Lambda entry point: dispatch an API Gateway proxy event to its route."""
        dispatcher = self._dispatcher
        if dispatcher is None:
            # Imported here so that declaring an API does not require the runtime; the
            # runtime is standard library only, so this costs the cold start nothing extra.
            from framework.runtime.dispatch import Dispatcher

            dispatcher = self._dispatcher = Dispatcher(self)
        return dispatcher(event, context)

    def __repr__(self) -> str:
        return f"RestApi({self.name!r}, routes={len(self._routes)})"


def _check_handler(where: str, handler: Callable[..., Any] | None, resource: ResourcePath) -> None:
    """Fail at declaration time when nothing can fill one of the handler's parameters."""
    # The binding rules belong to the runtime (it fills the parameters in Lambda); the
    # runtime is standard library only, so checking here adds nothing to a cold start.
    from framework.runtime.binding import plan

    if handler is None:
        raise InvalidOptionError(f"{where}: a Lambda proxy route needs a handler")
    try:
        plan(handler, resource.params, where)
    except NameError:
        pass  # an annotation names a class defined later: checked at the first request


def _string_map(where: str, value: Mapping[str, str] | None) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidOptionError(f"{where}: must be a mapping of names to strings")
    result = {}
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, str | int | float | bool):
            raise InvalidOptionError(f"{where}: {key!r} must map to a string, got {item!r}")
        result[key] = str(item)
    return result
