"""A user's jobs: each job is seen by its owner only (its file is an export of what the owner may see)."""

from __future__ import annotations

from dangvu.core.errors import NotFound

from .models import Job


def jobs_of(user, *, limit: int = 50) -> list[Job]:
    return list(Job.objects.filter(owner=user).order_by("-created_at", "-id")[:limit])


def job_get(user, pk) -> Job:
    """The user's own job, while the user may still read what it exported (else 404, like anyone else's)."""
    from .registry import may_read

    try:
        job = Job.objects.get(owner=user, pk=int(pk))
    except (Job.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not may_read(user, job.org_path):
        raise NotFound()
    return job
