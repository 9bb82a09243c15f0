"""The one task on the queue: run a job. Everything else is in `services.run`."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    from . import services

    services.run(job_id)
