"""Lambda, in-process: one execution environment per function, invoked as Lambda does.

The user's module was imported once when the gateway loaded it (Lambda's "init"); each
function's environment then reuses it warm. Invocations run on worker threads (never on
the server's event loop, so an ASGI app under Mangum gets a loop of its own), with a
context object whose deadline is real, and the result crosses a JSON boundary as it does
between Lambda and API Gateway.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from framework.declare.api import LambdaFunction, RestApi
from framework.events.rest import ACCOUNT_ID, REGION, new_request_id

# One log stream per process, as one per execution environment in Lambda.
_LOG_STREAM = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex

# Lambda's synchronous invocation payload limit (AWS Lambda developer guide, "Lambda quotas").
MAX_RESPONSE_BYTES = 6 * 1024 * 1024


class LocalLambdaContext:
    """The Lambda context object (the Python runtime's ``LambdaContext``)."""

    def __init__(self, function: LambdaFunction, deadline: float, request_id: str) -> None:
        self.function_name = function.name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function.name}"
        self.memory_limit_in_mb = function.memory_size
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function.name}"
        self.log_stream_name = _LOG_STREAM
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class InvocationError(Exception):
    """The function failed: it raised, timed out, or returned what Lambda cannot send.

    ``error_message`` is Lambda's ``errorMessage`` (``str(exception)``).
    """

    def __init__(self, message: str, error_message: str | None = None) -> None:
        super().__init__(message)
        self.error_message = message if error_message is None else error_message


class IntegrationTimeout(Exception):
    """API Gateway stopped waiting (the method's integration timeout)."""


class _Environment:
    """Environment variables for in-process functions.

    ``os.environ`` is one per process. When no two functions disagree on a variable, it is
    set once; otherwise each invocation swaps its function's values in under a lock, which
    serialises the invocations of those functions (printed at start-up).
    """

    def __init__(self, apis: list[RestApi]) -> None:
        self.per_function: dict[tuple[str, str], dict[str, str]] = {}
        merged: dict[str, str] = {}
        self.conflicts: set[str] = set()
        for api in apis:
            for function in api.functions:
                env = api.function_environment(function.name)
                self.per_function[(api.name, function.name)] = env
                for key, value in env.items():
                    if merged.setdefault(key, value) != value:
                        self.conflicts.add(key)
        for key, value in merged.items():
            if key not in self.conflicts:
                os.environ[key] = value
        self._lock = threading.Lock()

    @contextmanager
    def applied(self, api: str, function: str) -> Iterator[None]:
        if not self.conflicts:
            yield
            return
        env = self.per_function.get((api, function), {})
        with self._lock:
            saved = {k: os.environ.get(k) for k in self.conflicts}
            for key in self.conflicts:
                if key in env:
                    os.environ[key] = env[key]
                else:
                    os.environ.pop(key, None)
            try:
                yield
            finally:
                for key, old in saved.items():
                    if old is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = old


class Workers:
    """The threads invocations run on: a queue and futures of the event loop itself.

    What ``loop.run_in_executor`` does, without its second (concurrent) future and the
    chaining between the two: ~20 µs a request less. Threads are started as invocations
    need them, up to ``size``, and are daemons: a handler that never returns does not
    keep the server from stopping.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._queue: queue.SimpleQueue[tuple[Any, ...] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()

    def submit(
        self, loop: asyncio.AbstractEventLoop, call: Callable[[], Any]
    ) -> asyncio.Future[Any]:
        future = loop.create_future()
        self._queue.put((loop, future, call))
        with self._lock:
            if self._idle == 0 and len(self._threads) < self._size:
                thread = threading.Thread(
                    target=self._work, name=f"lambda-{len(self._threads)}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            item = self._queue.get()
            with self._lock:
                self._idle -= 1
            if item is None:
                return
            loop, future, call = item
            try:
                result = call()
            except BaseException as exc:  # reported to the awaiting request
                loop.call_soon_threadsafe(_settle, future, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, result, None)

    def close(self) -> None:
        for _ in self._threads:
            self._queue.put(None)


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the integration timed out (or the client left) meanwhile
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class LambdaService:
    """Invokes the functions of the served APIs."""

    def __init__(self, apis: list[RestApi], *, max_workers: int = 64) -> None:
        self.environment = _Environment(apis)
        self._functions = {(api.name, fn.name): fn for api in apis for fn in api.functions}
        self._workers = Workers(max_workers)

    def close(self) -> None:
        self._workers.close()

    async def invoke(
        self,
        api: RestApi,
        function_name: str,
        event: Mapping[str, Any],
        *,
        integration_timeout: float,
        handler: Callable[..., Any] | None = None,
    ) -> Any:
        """Invoke ``handler`` (default ``api.handler``) as function ``function_name``;
        return the decoded result.

        Raises ``IntegrationTimeout`` when API Gateway would stop waiting first, and
        ``InvocationError`` for a Lambda failure (API Gateway then answers 502).
        """
        function = self._functions.get((api.name, function_name)) or LambdaFunction(function_name)
        request_id = new_request_id()
        started = time.monotonic()
        deadline = started + function.timeout
        context = LocalLambdaContext(function, deadline, request_id)
        loop = asyncio.get_running_loop()
        call = self._call(handler or api.handler, event, context, api.name, function.name)
        future = self._workers.submit(loop, call)
        wait = min(integration_timeout, float(function.timeout))
        # A timer that cancels the wait: asyncio.wait_for costs ~20 µs a call more.
        expired: list[bool] = []
        timer = loop.call_later(wait, _expire, future, expired)
        try:
            payload = await future
        except asyncio.CancelledError:
            if not expired:
                raise  # the request itself was cancelled (the client went away)
            # Python cannot stop a thread: the handler runs on, but nobody waits for it.
            if integration_timeout <= function.timeout:
                raise IntegrationTimeout(
                    f"{function.name}: no response within the method's "
                    f"{integration_timeout:g} s integration timeout"
                ) from None
            message = f"Task timed out after {function.timeout:.2f} seconds"
            _log(function.name, request_id, message)
            raise InvocationError(message) from None
        finally:
            timer.cancel()
        return payload

    def _call(
        self,
        handler: Callable[..., Any],
        event: Mapping[str, Any],
        context: LocalLambdaContext,
        api_name: str,
        function_name: str,
    ) -> Callable[[], Any]:
        environment = self.environment

        def run() -> Any:
            try:
                with environment.applied(api_name, function_name):
                    result = handler(event, context)
            except BaseException as exc:  # Lambda reports every failure, SystemExit included
                _log(
                    function_name, context.aws_request_id, "".join(traceback.format_exception(exc))
                )
                raise InvocationError(f"{type(exc).__name__}: {exc}", str(exc)) from None
            try:
                text = json.dumps(result)
            except (TypeError, ValueError) as exc:
                message = f"Runtime.MarshalError: Unable to marshal response: {exc}"
                _log(function_name, context.aws_request_id, message)
                raise InvocationError(message) from None
            if len(text) > MAX_RESPONSE_BYTES:
                message = (
                    f"Response payload size ({len(text)} bytes) exceeded maximum allowed "
                    f"payload size ({MAX_RESPONSE_BYTES} bytes)."
                )
                _log(function_name, context.aws_request_id, message)
                raise InvocationError(message)
            return json.loads(text)

        return run


def _expire(future: asyncio.Future[Any], expired: list[bool]) -> None:
    if not future.done():
        expired.append(True)
        future.cancel()


def _log(function: str, request_id: str, text: str) -> None:
    """Write a failure where CloudWatch Logs would hold it: the console."""
    print(
        f"[ERROR] {function} RequestId: {request_id}\n{text.rstrip()}", file=sys.stderr, flush=True
    )
