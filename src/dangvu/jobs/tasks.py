"""The one task on the queue: run a job. Everything else is in `services.run`."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from . import services

    services.run(job_id)


@task()
def recompute(domains: list[str]) -> dict:
    """Stored verdicts judged again after a rule set or a catalogue changed (core.recompute)."""
    from dangvu.core import audit
    from dangvu.core import recompute as rc

    out = {}
    for r in rc.run([d for d in domains if d in rc.REGISTRY]):
        out[r.domain] = r.changed_records
        audit.record(by=None, action="rules.recompute", object_type="core.ruleset",
                     after={"domain": r.domain, "checked": r.checked, "changed": r.changed_records})  # fmt: skip
    return out


@task()
def ocr(label: str, pk: int, field: str = "file") -> str:
    """The text inside one scanned upload (core.ocr): its searchable copy stored, its text indexed."""
    from dangvu.core import ocr as engine

    copy = engine.process(label, pk, field)
    return copy.state if copy else "gone"
