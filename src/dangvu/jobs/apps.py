from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dangvu.jobs"
    label = "jobs"
    verbose_name = "Việc chạy nền"

    def ready(self) -> None:
        # each capability's runners, in its own `jobs.py` (this layer imports none of them)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")

        # a rule set edited or removed: the stored verdicts it affects are judged again by the worker
        from django.db.models.signals import post_delete, post_save

        from dangvu.core.models import RuleSet

        post_save.connect(_rules_changed, sender=RuleSet, dispatch_uid="jobs.rules_changed")
        post_delete.connect(_rules_changed, sender=RuleSet, dispatch_uid="jobs.rules_deleted")


def _rules_changed(sender, instance, **kwargs) -> None:
    from django.db import transaction

    from dangvu.core.recompute import affected_by

    domains = affected_by(instance.domain)
    if domains:
        transaction.on_commit(lambda: enqueue_recompute(domains))


def enqueue_recompute(domains: list[str]) -> None:
    """One waiting task per set of domains: a catalogue imported type by type queues one recomputation."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import recompute

    args = sorted(domains)
    waiting = DBTaskResult.objects.ready().filter(task_path=recompute.module_path).values_list("args_kwargs", flat=True)
    if any(a.get("args") == [args] for a in waiting):
        return
    recompute.enqueue(args)
