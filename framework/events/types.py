"""The AWS payloads as data types (REST API, payload format 1.0).

Only types: importing this module costs nothing at run time beyond ``typing``.
"""

from __future__ import annotations

from typing import Any, NotRequired, Protocol, TypedDict


class Identity(TypedDict):
    # apiKey and apiKeyId appear only when the method required a key.
    apiKey: NotRequired[str]
    apiKeyId: NotRequired[str]
    accessKey: str | None
    accountId: str | None
    caller: str | None
    cognitoAuthenticationProvider: str | None
    cognitoAuthenticationType: str | None
    cognitoIdentityId: str | None
    cognitoIdentityPoolId: str | None
    principalOrgId: str | None
    sourceIp: str
    user: str | None
    userAgent: str | None
    userArn: str | None


class _RequestContextBase(TypedDict):
    accountId: str
    apiId: str
    deploymentId: str
    domainName: str
    domainPrefix: str
    extendedRequestId: str
    httpMethod: str
    identity: Identity
    path: str
    protocol: str
    requestId: str
    requestTime: str
    requestTimeEpoch: int
    resourceId: str
    resourcePath: str
    stage: str


class RequestContext(_RequestContextBase, total=False):
    authorizer: dict[str, Any]


class RestProxyEvent(TypedDict):
    """What API Gateway sends a Lambda proxy integration of a REST API."""

    resource: str
    path: str
    httpMethod: str
    headers: dict[str, str] | None
    multiValueHeaders: dict[str, list[str]] | None
    queryStringParameters: dict[str, str] | None
    multiValueQueryStringParameters: dict[str, list[str]] | None
    pathParameters: dict[str, str] | None
    stageVariables: dict[str, str] | None
    requestContext: RequestContext
    body: str | None
    isBase64Encoded: bool


class ProxyResponse(TypedDict, total=False):
    """What a Lambda proxy integration returns to a REST API."""

    statusCode: int
    headers: dict[str, str]
    multiValueHeaders: dict[str, list[str]]
    body: str
    isBase64Encoded: bool


class LambdaContext(Protocol):
    """The Lambda context object, as the Python runtime passes it to a handler."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str

    def get_remaining_time_in_millis(self) -> int: ...
