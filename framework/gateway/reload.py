"""``serve --reload``: serve in a child process, start a fresh one when a file changes."""

from __future__ import annotations

from pathlib import Path

import watchfiles


def _child(target: str, host: str, port: int, stage: str | None, quiet: bool) -> None:
    from framework.discovery import load_apis
    from framework.errors import FrameworkError
    from framework.gateway.server import serve

    try:
        apis = load_apis(target)
    except FrameworkError as exc:  # keep watching: the next save may fix it
        print(f"framework: {type(exc).__name__}: {exc}", flush=True)
        return
    serve(apis, host=host, port=port, stage=stage, quiet=quiet)


def watched_paths(target: str) -> list[Path]:
    """The working directory, and the target file's folder when it lies outside it."""
    paths = [Path.cwd()]
    candidate = Path(target.partition(":")[0])
    if candidate.is_file():
        folder = candidate.resolve().parent
        if not folder.is_relative_to(Path.cwd()):
            paths.append(folder)
    return paths


def serve_with_reload(target: str, host: str, port: int, stage: str | None, quiet: bool) -> int:
    def changed(changes: set[tuple[watchfiles.Change, str]]) -> None:
        names = sorted({Path(p).name for _, p in changes})
        print(f"framework: {', '.join(names)} changed, reloading", flush=True)

    watchfiles.run_process(
        *watched_paths(target),
        target=_child,
        args=(target, host, port, stage, quiet),
        callback=changed,
        watch_filter=watchfiles.PythonFilter(),
    )
    return 0
