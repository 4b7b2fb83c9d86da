"""The support plans' front door: opening a person's plans (the one gate), writing them, the
moves of the workflow, reviews, the thread, and the funder officer's desk."""

from __future__ import annotations

from app.plans.access import acting_on, open_plan, plans_for, plans_of, shown_content, version_of
from app.plans.compare import compare
from app.plans.content import PlanContent, budget_check, indicative_budget, working_content
from app.plans.decisions import approve, ask_for_changes, sign, submit
from app.plans.desk import desk, funded_person, set_indicative_budget
from app.plans.policies import actions as actions_for
from app.plans.reviews import ask_early_review, outcomes_to_rate, record_review, update_statuses
from app.plans.thread import post, visible_messages
from app.plans.writing import (
    LineDetails,
    add_line,
    change_line,
    create_plan,
    last_edits,
    plan_line,
    remove_line,
    save_money,
    save_section,
    save_start,
    start_new_version,
)

__all__ = [
    "LineDetails", "PlanContent", "acting_on", "actions_for", "add_line", "approve", "ask_early_review", "ask_for_changes",
    "budget_check", "change_line", "compare", "create_plan", "desk", "funded_person", "indicative_budget",
    "last_edits", "open_plan", "outcomes_to_rate", "plan_line", "plans_for", "plans_of", "post", "record_review", "remove_line",
    "save_money", "save_section", "save_start", "set_indicative_budget", "shown_content", "sign", "start_new_version",
    "submit", "update_statuses", "version_of", "visible_messages", "working_content",
]
