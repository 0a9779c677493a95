# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Dunning: what to do about an unpaid invoice, day by day after its due date.

A policy is a list of steps, each ``days_after_due`` and an action. The rules:
* a paid invoice gets no step, ever (whatever else happened meanwhile);
* a step is done at most once;
* catching up (the run did not happen for a few days): every overdue reminder,
  SMS and late fee is returned in order, but at most one of suspend and
  terminate per run, suspend first, so that a customer is never terminated
  without having been suspended first.
"""

from dataclasses import dataclass

ACTIONS = ("reminder_email", "sms", "late_fee", "suspend", "terminate")
DISCONNECTING = ("suspend", "terminate")


@dataclass(frozen=True, order=True)
class Step:
    days_after_due: int
    action: str


def validate_policy(steps):
    """The steps, sorted, or ValueError saying what is wrong."""
    steps = sorted(steps)
    seen = set()
    for step in steps:
        if step.action not in ACTIONS:
            raise ValueError(f"unknown dunning action {step.action!r}")
        if step.days_after_due < 0:
            raise ValueError("a dunning step cannot come before the due date")
        if step in seen:
            raise ValueError(f"the step {step.action} on day {step.days_after_due} is there twice")
        seen.add(step)
    actions = [s.action for s in steps]
    for once in DISCONNECTING:
        if actions.count(once) > 1:
            raise ValueError(f"a policy can {once} only once")
    if "terminate" in actions and (
        "suspend" not in actions or actions.index("terminate") < actions.index("suspend")
    ):
        raise ValueError("termination must come after a suspension")
    return steps


def steps_due(steps, due_date, today, done=(), paid=False):
    """The steps to carry out today, in order (see the module's rules)."""
    if paid:
        return []
    overdue_days = (today - due_date).days
    result = []
    for step in validate_policy(steps):
        if step in done or step.days_after_due > overdue_days:
            continue
        if step.action in DISCONNECTING:
            if any(s.action in DISCONNECTING for s in result):
                continue
            if step.action == "terminate" and not any(s.action == "suspend" for s in done):
                continue
        result.append(step)
    return result
