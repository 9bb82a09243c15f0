"""The kinds of job: each capability registers its runners in its own `jobs.py` (imported when the app registry is
ready, `apps.JobsConfig.ready`), so this platform layer never imports a capability.

A runner is `runner(job, progress) -> Output`: it reads `job.owner` and `job.params`, does its work through the
capability's own scoped selectors (so a job can never see more than its owner), calls `progress(done, total)` as
it goes, and returns the file it wrote (or, for work that makes no file such as an import, its result and the
page that shows it: `Output.shown_at`). Runners must be deterministic for the same job (a run killed halfway is
run again and must give the same bytes): dates come from `job.params` or `job.created_at`, never from the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[..., None]


@dataclass(frozen=True)
class Output:
    path: str | None  # a local file the runner wrote (the job moves it to storage and removes it), or None
    name: str = ""  # the name the user downloads it under
    content_type: str = ""
    rows: int | None = None
    result: dict | None = None  # what to show when done ({"message": …, "level": "success"|"info"|"error"})
    url: str = ""  # the page that shows the result; a page watching the job goes there when it ends

    @classmethod
    def shown_at(cls, url: str, result: dict, rows: int | None = None) -> Output:
        """No file: the job's result, shown by a page of the capability (an import's report)."""
        return cls(None, rows=rows, result=result, url=url)

    @classmethod
    def from_temp(cls, tmp, name: str, content_type: str, rows: int | None = None) -> Output:
        """From an open temporary file (as the exporters return it): copied to a file of the job's own."""
        import os
        import shutil
        import tempfile

        fd, path = tempfile.mkstemp(suffix=os.path.splitext(name)[1])
        with os.fdopen(fd, "wb") as out:
            tmp.seek(0)
            shutil.copyfileobj(tmp, out)
        tmp.close()
        return cls(path, name, content_type, rows)


@dataclass(frozen=True)
class Kind:
    code: str
    runner: Callable[..., Output]
    replica: bool = True  # its reads may come from a replica that has replayed the submission (not for writers)


KINDS: dict[str, Kind] = {}

# Whether a user may still read what a job of theirs exported (`may_read(user, org_path) -> bool`): set by access
# (accounts) when the app registry is ready, so that a withdrawn grant also closes the files already exported.
_scope = {"may_read": lambda user, org_path: True}


def set_scope_check(fn) -> None:
    _scope["may_read"] = fn


def may_read(user, org_path: str) -> bool:
    return _scope["may_read"](user, org_path)


def register(code: str, *, replica: bool = True):
    """Decorator: `@register("members.register")` over a runner."""

    def wrap(fn):
        KINDS[code] = Kind(code, fn, replica)
        return fn

    return wrap


def get(code: str) -> Kind:
    return KINDS[code]
