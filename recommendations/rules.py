"""The business rules, each defined once. Forms, the spreadsheet import, services, reminders, the
roll-up, templates and exports call these; none restates them. Each has its own test in
tests/recommendations/test_rules.py.

Plain functions of plain values (no database access), so the same rule serves a form, a row of an
uploaded spreadsheet and a service call alike.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from .models import NARRATIVE_MAX_LENGTH, REASON_MAX_LENGTH, RecommendationLink, Status, StatusUpdate

# A round accepts changes from forces: it has opened and has not been closed. The same rule as a
# test of one round and as a filter of many; test_rules checks that the two agree.


def round_accepts_changes(*, closed: bool, opens_on: datetime.date, today: datetime.date) -> bool:
    return not closed and opens_on <= today


def rounds_accepting_changes(today: datetime.date) -> Q:
    return Q(closed=False, opens_on__lte=today)


# An answer is complete: a status; a reason when the recommendation does not apply, a progress update
# otherwise; neither over its length.

ANSWER_MESSAGES = {
    "status": "Select the status of this recommendation",
    "not_applicable_reason": "Say why this recommendation does not apply to your force",
    "narrative": "Enter a progress update",
}


def answer_problems(*, status: str | None, narrative: str, not_applicable_reason: str) -> dict[str, str]:
    """What makes an answer incomplete, by field name; empty when it is complete."""
    problems: dict[str, str] = {}
    if status not in Status.values:
        problems["status"] = ANSWER_MESSAGES["status"]
    elif status == Status.NOT_APPLICABLE and not not_applicable_reason.strip():
        problems["not_applicable_reason"] = ANSWER_MESSAGES["not_applicable_reason"]
    elif status != Status.NOT_APPLICABLE and not narrative.strip():
        problems["narrative"] = ANSWER_MESSAGES["narrative"]
    if len(narrative) > NARRATIVE_MAX_LENGTH:
        problems["narrative"] = (
            f"The progress update must be {NARRATIVE_MAX_LENGTH:,} characters or fewer; it has {len(narrative):,}"
        )
    if len(not_applicable_reason) > REASON_MAX_LENGTH:
        problems["not_applicable_reason"] = f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"
    return problems


# An answer can be withdrawn: only the force's submitted answer, not changed since.


def answer_withdrawable(current: StatusUpdate | None) -> bool:
    return current is not None and current.state == StatusUpdate.State.SUBMITTED


# A force has responded to a recommendation when the roll-up counts its answer: its last submitted
# answer, the force asked in the round and the recommendation in its scope. It has responded to the
# round when it has responded to any recommendation. The roll-up (rollup.py) applies this to every
# answer; the chase list and the reminders read the roll-up's result, so they cannot disagree.


def answer_counted(*, force_id: int, recommendation_id: int, forces_asked: set[int], in_scope: set[int]) -> bool:
    return force_id in forces_asked and recommendation_id in in_scope


# "No response" is derived, never stored: a force asked that has no counted answer.

NO_RESPONSE = "no_response"
NO_RESPONSE_LABEL = "No response"


# Coverage is low: fewer than a share of the forces asked answered (seed 001's recommendation 3,
# 15 of 43), and the published figures say so in one sentence.


def coverage_is_low(*, answered: int, asked: int, share: float | None = None) -> bool:
    return answered < asked * (settings.LOW_COVERAGE_SHARE if share is None else share)


def low_coverage_sentence(*, answered: int, asked: int) -> str:
    return (
        f"Not all forces answered this recommendation: {answered} of {asked} did, "
        "so its figures should not be viewed as representative."
    )


# Quoted practice is attributed to "One force" unless staff chose to name the force.

ANONYMOUS_ATTRIBUTION = "One force"


def practice_attribution(*, force_name: str, name_force: bool) -> str:
    return force_name if name_force else ANONYMOUS_ATTRIBUTION


# An answer's review state, as staff see it: of the force's last submitted version (or its withdrawal).
# "Needs review" is a submitted or resubmitted answer no reviewer has returned or accepted. The same
# rule as a value of one answer and as a filter of many; test_rules checks that the two agree.


class ReviewState:
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    NEEDS_REVIEW = "needs_review"  # a filter only: submitted or resubmitted


REVIEW_STATE_LABELS = {
    ReviewState.SUBMITTED: "Needs review",
    ReviewState.RESUBMITTED: "Resubmitted, needs review",
    ReviewState.RETURNED: "Returned to force",
    ReviewState.ACCEPTED: "Accepted",
    ReviewState.WITHDRAWN: "Withdrawn",
}

REVIEW_FILTER_CHOICES = [
    (ReviewState.NEEDS_REVIEW, "Needs review (submitted or resubmitted)"),
    (ReviewState.RESUBMITTED, "Resubmitted"),
    (ReviewState.RETURNED, "Returned to force"),
    (ReviewState.ACCEPTED, "Accepted"),
    (ReviewState.WITHDRAWN, "Withdrawn"),
]


def answer_review_state(*, state: str, review: str, is_resubmission: bool) -> str:
    if state == StatusUpdate.State.WITHDRAWN:
        return ReviewState.WITHDRAWN
    if review == StatusUpdate.Review.RETURNED:
        return ReviewState.RETURNED
    if review == StatusUpdate.Review.ACCEPTED:
        return ReviewState.ACCEPTED
    return ReviewState.RESUBMITTED if is_resubmission else ReviewState.SUBMITTED


def review_state_needs_review(review_state: str) -> bool:
    return review_state in (ReviewState.SUBMITTED, ReviewState.RESUBMITTED)


def answers_in_review_state(review_state: str) -> Q:
    """answer_review_state as a filter of staff-visible versions (last submitted, or withdrawn)."""
    submitted = Q(state=StatusUpdate.State.SUBMITTED)
    return {
        ReviewState.WITHDRAWN: Q(state=StatusUpdate.State.WITHDRAWN),
        ReviewState.RETURNED: submitted & Q(review=StatusUpdate.Review.RETURNED),
        ReviewState.ACCEPTED: submitted & Q(review=StatusUpdate.Review.ACCEPTED),
        ReviewState.RESUBMITTED: submitted & Q(review=StatusUpdate.Review.NONE, is_resubmission=True),
        ReviewState.SUBMITTED: submitted & Q(review=StatusUpdate.Review.NONE, is_resubmission=False),
        ReviewState.NEEDS_REVIEW: submitted & Q(review=StatusUpdate.Review.NONE),
    }[review_state]


# What a reviewer may still do with an answer: return it (with a note) unless it is already returned,
# accept it unless it is already accepted or returned (the force is changing it); neither once it is
# withdrawn or the round is closed (a force could not answer a return). A button for an action that
# no longer applies is not shown, and the service refuses it.

REVIEW_RETURN = "return"
REVIEW_ACCEPT = "accept"


def review_actions(*, review_state: str, round_open: bool) -> frozenset[str]:
    if not round_open or review_state == ReviewState.WITHDRAWN:
        return frozenset()
    actions = set()
    if review_state != ReviewState.RETURNED:
        actions.add(REVIEW_RETURN)
    if review_state in (ReviewState.SUBMITTED, ReviewState.RESUBMITTED):
        actions.add(REVIEW_ACCEPT)
    return frozenset(actions)


# A theme is suggested for an answer when enough of its nearest coded neighbours carry it: at least
# this share of the similarity of the neighbours that resemble the answer at all.

SUGGESTION_NEIGHBOURS = 5
SUGGESTION_MIN_SHARE = 0.4
SUGGESTION_MIN_SIMILARITY = 0.05


def theme_suggested(*, theme_similarity: float, total_similarity: float) -> bool:
    return total_similarity > 0 and theme_similarity / total_similarity >= SUGGESTION_MIN_SHARE


# Who answers a recommendation: the force (its chief constable, through the force lead) answers
# those addressed to chief constables and to national bodies that forces are asked about; the local
# policing body (the commissioner's office) answers those addressed to commissioners. One answer
# machinery serves both (services.status_update_save's `party`); each party sees only its own.


class Party:
    FORCE = "force"
    BODY = "body"


BODY_ADDRESSEES = ("pccs",)


def answering_party(addressee: str) -> str:
    return Party.BODY if addressee in BODY_ADDRESSEES else Party.FORCE


def answered_by(party: str, prefix: str = "") -> Q:
    """answering_party as a filter of recommendations (`prefix` reaches them through a relation)."""
    body = Q(**{f"{prefix}addressee__in": BODY_ADDRESSEES})
    return body if party == Party.BODY else ~body


# A force's latest status on a recommendation (the register): the last answer it submitted in the
# newest round that has one, rounds ordered by opening date and then by when they were made (id).
# The same rule as a choice among answers and as a filter of answers; test_rules checks they agree.


def round_position(*, opens_on: datetime.date, round_id: int) -> tuple[datetime.date, int]:
    """Where a round comes in the order of rounds, oldest first."""
    return (opens_on, round_id)


def latest_submitted_answer(answers):
    """Among one force's submitted answers to one recommendation (each the last it submitted in its
    round), the one that gives its latest status; None if there are none."""
    return max(
        (answer for answer in answers if answer.is_latest_submitted),
        key=lambda answer: round_position(opens_on=answer.round.opens_on, round_id=answer.round_id),
        default=None,
    )


def latest_submitted_answers() -> Q:
    """latest_submitted_answer as a filter of StatusUpdate: submitted last in its round, with no
    answer the force submitted to the same recommendation in a newer round."""
    newer = StatusUpdate.objects.filter(
        Q(round__opens_on__gt=OuterRef("round__opens_on"))
        | Q(round__opens_on=OuterRef("round__opens_on"), round_id__gt=OuterRef("round_id")),
        is_latest_submitted=True,
        force_id=OuterRef("force_id"),
        recommendation_id=OuterRef("recommendation_id"),
    )
    return Q(~Exists(newer), is_latest_submitted=True)


# A report's recommendations: a part ("2a") sits under its parent ("2") in the same report, one
# level deep; a round asks forces for the parts of a recommendation that has them, never for the
# recommendation itself (a lead would see "2." both as a row to answer and as the heading of 2a-2d).


def recommendation_label(recommendation) -> str:
    """A recommendation named with its report, wherever one is chosen from a list of several reports'."""
    return f"{recommendation.name}: {recommendation.title}"


def link_problem(*, source, target, link_id: int | None = None) -> str | None:
    """Why `source` cannot be linked to `target` (RecommendationLink), or None: a link joins two
    answerable recommendations of different reports, once. `link_id` is the link being changed."""
    if source.pk == target.pk:
        return "Choose two different recommendations: a recommendation cannot be linked to itself"
    if source.report_id == target.report_id:
        return f"Choose recommendations in different reports: both are in {source.report.short_title}"
    for item in (source, target):
        if item.parts.exists():
            return f"{item.name} has parts: link one of its parts instead"
    if (
        RecommendationLink.objects.filter(Q(source=source, target=target) | Q(source=target, target=source))
        .exclude(pk=link_id)
        .exists()
    ):
        return f"{source.name} and {target.name} are already linked"
    return None


def link_answers_from(*, kind: str, source_id: int, target_id: int, recommendation_id: int) -> int | None:
    """The recommendation whose answer can stand for an answer to `recommendation_id` through a link,
    or None: the source answers the target it is the same as, covers or partly covers; "same as"
    works both ways."""
    if recommendation_id == target_id:
        return source_id
    if recommendation_id == source_id and kind == RecommendationLink.Kind.SAME_AS:
        return target_id
    return None


def answered_through_sentence(*, kind: str, through_name: str) -> str:
    """What a lead reads beside a recommendation a linked one can answer."""
    if kind == RecommendationLink.Kind.PARTLY_COVERS:
        return f"Partly answered through {through_name}"
    return f"Answered through {through_name}"


PART_OF_ITSELF = "A recommendation cannot be a part of itself"


def part_problem(*, reference: str, parent_reference: str, parent_is_part: bool, has_parts: bool) -> str | None:
    """Why a recommendation cannot be a part of the recommendation `parent_reference` in its own report,
    one level deep, or None. Plain values: the admin's objects (through parent_problem) and the rows
    of an imported file (report_import.py) alike."""
    if reference == parent_reference:
        return PART_OF_ITSELF
    if parent_is_part:
        return f"{parent_reference} is itself a part: choose the recommendation it is a part of"
    if has_parts:
        return f"{reference} has parts of its own, so it cannot be a part"
    return None


def parent_problem(*, recommendation, parent) -> str | None:
    """Why `parent` cannot hold `recommendation` as a part, or None."""
    if parent is None:
        return None
    if recommendation.pk is not None and parent.pk == recommendation.pk:
        return PART_OF_ITSELF
    if parent.report_id != recommendation.report_id:
        return f"Choose a parent from the same report: {parent.reference} is in {parent.report.short_title}"
    if problem := part_problem(
        reference=recommendation.reference,
        parent_reference=parent.reference,
        parent_is_part=parent.parent_id is not None,
        has_parts=recommendation.pk is not None and recommendation.parts.exists(),
    ):
        return problem
    asked = parent.rounds.order_by("-opens_on").first()
    if asked is not None:
        return (
            f"{parent.reference} is asked for in {asked.title}: take it out of that round's scope (and put its "
            "parts in) before giving it parts"
        )
    return None


def scope_problems(recommendations) -> list[str]:
    """Why these recommendations cannot together be a round's scope: one that has parts is there
    itself. `recommendations` is a queryset."""
    with_parts = recommendations.filter(parts__isnull=False).distinct().select_related("report")
    return [
        f"{recommendation_label(item)} has parts: put its parts in the round, not the recommendation itself"
        for item in with_parts
    ]


# Reminders go this many days before a due date: a round's to the leads of forces that have not
# responded, a report's to the offices of bodies that have not published their comments.

REMINDER_DAYS = (14, 7, 1)


# A local policing body must publish its comments on an inspectorate's report within 56 days of the
# report's publication (Police Act 1996, s.55, as amended).

RESPONSE_DAYS = 56


def response_due_on(report_published_on: datetime.date) -> datetime.date:
    return report_published_on + datetime.timedelta(days=RESPONSE_DAYS)


def response_days_left(*, due_on: datetime.date, today: datetime.date) -> int:
    """Days until the response is due: 0 on the day, negative once it is overdue."""
    return (due_on - today).days


class Timeliness:
    ON_TIME = "on_time"
    LATE = "late"
    NOT_YET = "not_yet"
    LABELS = {ON_TIME: "Published on time", LATE: "Published late", NOT_YET: "Not yet published"}


def response_timeliness(*, due_on: datetime.date, published_on: datetime.date | None) -> str:
    """Published on time (on or before the due date), published late, or not yet published."""
    if published_on is None:
        return Timeliness.NOT_YET
    return Timeliness.ON_TIME if published_on <= due_on else Timeliness.LATE


def days_left_sentence(days: int) -> str:
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left"
    if days == 0:
        return "Due today"
    return f"{-days} day{'s' if days != -1 else ''} overdue"


def response_title(*, report_title: str, holder_name: str, holder_title: str) -> str:
    """Seed 000's title: "<report title>: Response from <holder's name>, <title>"."""
    holder = f"{holder_name}, {holder_title}" if holder_name.strip() else holder_title
    return f"{report_title}: Response from {holder}"


# Action plans: a milestone is overdue when its target date has passed and it is not done. A target
# date moves only with a reason, and every earlier date is kept (models.MilestoneMove).

MILESTONE_MESSAGES = {
    "description": "Enter what the milestone is",
    "target_on": "Enter the target date",
    "done_on_future": "The date done must be today or in the past",
    "moved_reason": "Say why the target date moved",
}
# Dates a person means: a year typed as "24" or "20245" is a mistake, not a plan.
MILESTONE_YEARS = (2000, 2100)


def milestone_overdue(*, target_on: datetime.date, done_on: datetime.date | None, today: datetime.date) -> bool:
    return done_on is None and target_on < today


def milestones_overdue(today: datetime.date, prefix: str = "") -> Q:
    """milestone_overdue as a filter (a test checks they agree)."""
    return Q(**{f"{prefix}done_on__isnull": True, f"{prefix}target_on__lt": today})


def milestone_problems(
    *,
    description: str,
    target_on: datetime.date | None,
    done_on: datetime.date | None,
    today: datetime.date,
    previous_target_on: datetime.date | None = None,
    moved_reason: str = "",
) -> dict[str, str]:
    """What is missing or wrong in a milestone as typed, by field: a description, a target date, a
    date done not in the future, and a reason when an existing milestone's target date moves."""
    problems = {}
    if not description.strip():
        problems["description"] = MILESTONE_MESSAGES["description"]
    if target_on is None:
        problems["target_on"] = MILESTONE_MESSAGES["target_on"]
    if done_on is not None and done_on > today:
        problems["done_on"] = MILESTONE_MESSAGES["done_on_future"]
    if target_moved(previous_target_on, target_on) and not moved_reason.strip():
        problems["moved_reason"] = MILESTONE_MESSAGES["moved_reason"]
    return problems


def target_moved(previous: datetime.date | None, target_on: datetime.date | None) -> bool:
    return previous is not None and target_on is not None and previous != target_on


_TIMES = {1: "once", 2: "twice"}


def target_moved_sentence(moves) -> str:
    """ "Target moved twice: first 30 June 2024, then 30 September 2024, now 31 January 2025", from the
    moves oldest first (each with moved_from and moved_to); "" when the target never moved."""
    moves = list(moves)
    if not moves:
        return ""
    dates = [moves[0].moved_from] + [move.moved_to for move in moves]
    times = _TIMES.get(len(moves), f"{len(moves)} times")
    shown = [f"{date.day} {date:%B %Y}" for date in dates]
    middle = "".join(f", then {date}" for date in shown[1:-1])
    return f"Target moved {times}: first {shown[0]}{middle}, now {shown[-1]}"


# Extensions: a force's lead asks for more time on a round, with a reason; national staff grant a new
# due date for that force or refuse with a note. The force's own due date is then the latest date
# granted to it, or the round's; it drives the force's reminders, the chase list and "late".

EXTENSION_MESSAGES = {
    "asked_for": "Enter the date you are asking for",
    "asked_for_after": "The date you ask for must be after {due}, your force's due date now",
    "reason": "Say why your force needs more time",
    "waiting": "Your force has already asked for more time on this round; national staff have not decided yet",
    "decision": "Choose whether to grant more time or refuse it",
    "due_on": "Enter the new due date",
    "due_on_after": "The new due date must be after {due}, the round's due date",
    "note": "Say why more time is refused: the force's lead reads this",
}


def day_text(value: datetime.date) -> str:
    """A date as messages and the audit trail write it: "14 April 2026"."""
    return f"{value.day} {value:%B %Y}"


def force_due_on(*, round_due_on: datetime.date, granted_on: datetime.date | None) -> datetime.date:
    """A force's own due date in a round: the date staff last granted it, or the round's."""
    return granted_on if granted_on is not None else round_due_on


def force_is_late(*, due_on: datetime.date, today: datetime.date, responded: bool) -> bool:
    """A force is late once its own due date has passed without a response."""
    return not responded and today > due_on


def extension_request_problems(
    *, asked_for: datetime.date | None, reason: str, due_on: datetime.date, waiting: bool
) -> dict[str, str]:
    """What is wrong with a request for more time, by field: a date after the force's own due date
    now, a reason, and no other request of the force's waiting on the same round."""
    problems = {}
    if waiting:
        problems["__all__"] = EXTENSION_MESSAGES["waiting"]
    if asked_for is None:
        problems["asked_for"] = EXTENSION_MESSAGES["asked_for"]
    elif asked_for <= due_on:
        problems["asked_for"] = EXTENSION_MESSAGES["asked_for_after"].format(due=day_text(due_on))
    if not reason.strip():
        problems["reason"] = EXTENSION_MESSAGES["reason"]
    return problems


class ExtensionDecision:
    GRANT = "grant"
    REFUSE = "refuse"
    CHOICES = [(GRANT, "Grant more time"), (REFUSE, "Refuse")]


def extension_decision_problems(
    *, decision: str, due_on: datetime.date | None, note: str, round_due_on: datetime.date
) -> dict[str, str]:
    """What is wrong with staff's decision, by field: a grant needs a new due date after the round's;
    a refusal needs a note saying why."""
    if decision == ExtensionDecision.GRANT:
        if due_on is None:
            return {"due_on": EXTENSION_MESSAGES["due_on"]}
        if due_on <= round_due_on:
            return {"due_on": EXTENSION_MESSAGES["due_on_after"].format(due=day_text(round_due_on))}
        return {}
    if decision == ExtensionDecision.REFUSE:
        return {} if note.strip() else {"note": EXTENSION_MESSAGES["note"]}
    return {"decision": EXTENSION_MESSAGES["decision"]}
