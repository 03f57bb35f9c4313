"""``python -m framework``: serve | routes | synth. Thin: parses arguments, calls the rest."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from framework.errors import FrameworkError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m framework",
        description="Serve, inspect and synthesize API Gateway APIs declared in Python.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    target_help = (
        "a file (app.py), a module (pkg.app) or module:attribute; "
        "default: [tool.framework] app in pyproject.toml"
    )

    serve = commands.add_parser("serve", help="serve the APIs locally as API Gateway does")
    serve.add_argument("target", nargs="?", help=target_help)
    serve.add_argument("--stage", help="the stage also served at the bare URL (default: the first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--reload", action="store_true", help="restart when code changes")
    serve.add_argument("--quiet", action="store_true", help="no access log lines")

    routes = commands.add_parser("routes", help="list the declared routes")
    routes.add_argument("target", nargs="?", help=target_help)

    synth = commands.add_parser(
        "synth", help="write template.yaml, OpenAPI and Lambda entry points"
    )
    synth.add_argument("target", nargs="?", help=target_help)
    synth.add_argument("--out", default="build", help="output directory (default: %(default)s)")

    invoke = commands.add_parser(
        "invoke", help="send one request through the local gateway, in-process, and print it"
    )
    invoke.add_argument("method", help="GET, POST, ...")
    invoke.add_argument("path", help="the path after the stage, with a query: /pets/1?x=y")
    invoke.add_argument("target", nargs="?", help=target_help)
    invoke.add_argument("--stage", help="the stage (default: the first)")
    invoke.add_argument("--data", help="the request body (JSON: also sets Content-Type)")
    invoke.add_argument(
        "-H", "--header", action="append", default=[], help="'Name: value' (repeatable)"
    )

    token = commands.add_parser(
        "token", help="mint a Cognito token the local gateway accepts (local use only)"
    )
    token.add_argument("target", nargs="?", help=target_help)
    token.add_argument("--authorizer", help="the CognitoAuthorizer's name (default: the only one)")
    token.add_argument("--sub", default="local-user")
    token.add_argument("--access", action="store_true", help="an access token (default: ID)")
    token.add_argument("--scope", action="append", default=[], help="a scope (repeatable)")
    token.add_argument("--client-id", default="local-client")
    token.add_argument("--claim", action="append", default=[], help="name=value (repeatable)")
    token.add_argument("--expires-in", type=int, default=3600, help="seconds")
    return parser


def _invoke(args: argparse.Namespace) -> int:
    """Print the status line, headers and body, as ``curl -i`` would; exit 0 for 2xx/3xx."""
    from framework.discovery import load_apis
    from framework.testing import Client

    apis = load_apis(args.target)
    headers = dict(h.split(":", 1) for h in args.header if ":" in h)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    content = args.data.encode() if args.data is not None else None
    if content is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/json"
    with Client(apis[0], stage=args.stage) as client:
        response = client.request(args.method.upper(), args.path, headers=headers, content=content)
    print(f"HTTP/1.1 {response.status_code} {response.reason_phrase}")
    for name, value in response.headers.multi_items():
        print(f"{name}: {value}")
    print()
    sys.stdout.flush()
    sys.stdout.buffer.write(response.content)
    if response.content and not response.content.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    return 0 if response.status_code < 400 else 1


def _token(args: argparse.Namespace) -> int:
    from framework.declare.auth import CognitoAuthorizer
    from framework.discovery import load_apis
    from framework.errors import DeclarationError
    from framework.gateway.cognito import mint_token

    found = [
        a
        for api in load_apis(args.target)
        for a in api.authorizers
        if isinstance(a, CognitoAuthorizer) and args.authorizer in (None, a.name)
    ]
    unique = list(dict.fromkeys(found))
    if len(unique) != 1:
        names = ", ".join(a.name for a in unique) or "none"
        raise DeclarationError(f"name one Cognito authorizer with --authorizer (found: {names})")
    claims = dict(item.split("=", 1) for item in args.claim if "=" in item)
    print(
        mint_token(
            unique[0],
            sub=args.sub,
            token_use="access" if args.access else "id",
            scopes=args.scope,
            claims=claims,
            client_id=args.client_id,
            expires_in=args.expires_in,
        )
    )
    return 0


def _routes(target: str | None) -> int:
    from framework.discovery import load_apis

    for api in load_apis(target):
        print(f"{api.name}  (stages: {', '.join(s.name for s in api.stages)})")
        rows = [(r.method, r.path, r.function, r.name, f"{r.timeout:g}s") for r in api.routes]
        rows += [("OPTIONS", p.resource.path, "(CORS mock)", "-", "-") for p in api.preflights()]
        widths = [max(len(row[i]) for row in rows) for i in range(5)] if rows else [0] * 5
        for row in rows:
            print("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return 0


def _serve(args: argparse.Namespace) -> int:
    from framework.discovery import default_target, load_apis

    target = args.target or default_target()
    if args.reload:
        from framework.gateway.reload import serve_with_reload

        return serve_with_reload(target, args.host, args.port, args.stage, args.quiet)
    from framework.gateway.server import serve

    serve(load_apis(target), host=args.host, port=args.port, stage=args.stage, quiet=args.quiet)
    return 0


def _synth(args: argparse.Namespace) -> int:
    from framework.discovery import default_target, load_apis
    from framework.synth import synth

    target = args.target or default_target()
    for path in synth(load_apis(target), Path(args.out), app_target=target):
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "routes":
            return _routes(args.target)
        if args.command == "serve":
            return _serve(args)
        if args.command == "invoke":
            return _invoke(args)
        if args.command == "token":
            return _token(args)
        return _synth(args)
    except FrameworkError as exc:
        print(f"framework: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
