"""Stored judgments never go stale. Each capability that stores a verdict computed from dated rules (a meeting's
quality, a dossier's completeness, a transfer's deadlines) registers a *recomputer* here, with the rule domains
it depends on. `dangvu recompute [--domain …] [--dry-run]` runs them by hand and prints what changed; saving or
deleting a `RuleSet` (or a catalogue, through the capability) has the job worker run the ones it affects
(`jobs.apps`). Recomputers judge each record by the rules in force on its own date, as the services do, and
write only the rows whose stored verdict differs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Change:
    what: str  # "Chi bộ thôn Nà Lộc, 10/03/2026" — the record, for a person
    field: str
    old: object
    new: object

    def __str__(self) -> str:
        return f"{self.what}: {self.field} {self.old!r} → {self.new!r}"


@dataclass
class Result:
    domain: str
    checked: int = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def changed_records(self) -> int:
        return len({c.what for c in self.changes})


@dataclass(frozen=True)
class Recomputer:
    domain: str
    label: str
    run: Callable[..., Result]  # run(dry_run: bool) -> Result
    rule_domains: frozenset[str]
    after: frozenset[str] = frozenset()  # recomputers whose verdicts this one reads: they run first


REGISTRY: dict[str, Recomputer] = {}


def register(domain: str, label: str, *, rules: set[str] | frozenset[str] = frozenset(),
             after: set[str] | frozenset[str] = frozenset()):  # fmt: skip
    """`rules`: the rule domains (RuleSet.domain, or a capability's own such as "dossiers.catalogue") whose change
    makes this recomputer's verdicts stale; `after`: the recomputers it reads the verdicts of."""

    def wrap(fn):
        REGISTRY[domain] = Recomputer(domain, label, fn, frozenset(rules), frozenset(after))
        return fn

    return wrap


def batches(qs, size: int = 200):
    """The rows of `qs` in small batches, each read and written in a transaction of its own: no read stays open
    while rows are written (SQLite refuses that), a row is re-read under the write lock (no edit made meanwhile
    is overwritten with an older state), and web requests are never held up for long."""
    from django.db import transaction

    pks = list(qs.values_list("pk", flat=True))  # in the order of `qs`, kept batch by batch
    for i in range(0, len(pks), size):
        chunk = pks[i : i + size]
        with transaction.atomic():
            rows = {r.pk: r for r in qs.model._default_manager.select_for_update().filter(pk__in=chunk)}
            yield [rows[pk] for pk in chunk if pk in rows]


def affected_by(rule_domain: str) -> list[str]:
    """The recomputers a change of `rule_domain` makes stale, and those that read their verdicts."""
    out = {r.domain for r in REGISTRY.values() if rule_domain in r.rule_domains}
    while grown := {r.domain for r in REGISTRY.values() if r.after & out} - out:
        out |= grown
    return sorted(out)


def ordered(domains: list[str] | None = None) -> list[str]:
    """The domains (all when None) in an order where each runs after those it reads."""
    left = sorted(domains or REGISTRY)
    out: list[str] = []
    while left:
        ready = [d for d in left if not (REGISTRY[d].after & set(left))] or left[:1]  # a cycle: name order
        out += ready
        left = [d for d in left if d not in ready]
    return out


def run(domains: list[str] | None = None, *, dry_run: bool = False) -> list[Result]:
    return [REGISTRY[d].run(dry_run=dry_run) for d in ordered(domains)]
