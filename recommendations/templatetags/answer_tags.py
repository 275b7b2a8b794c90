"""How answers look: the GOV.UK tag colour of a status and of an answer's state. Presentation only;
the states themselves are decided in selectors.answers and the statuses in models."""

from django import template

from ..models import Status
from ..rules import NO_RESPONSE, ReviewState

register = template.Library()

STATUS_TAGS = {
    Status.COMPLETE: "govuk-tag--green",
    Status.IN_PROGRESS: "govuk-tag--blue",
    Status.PLANNED: "govuk-tag--turquoise",
    Status.NOT_STARTED: "govuk-tag--yellow",
    Status.WILL_NOT_IMPLEMENT: "govuk-tag--red",
    Status.NOT_APPLICABLE: "govuk-tag--purple",
    NO_RESPONSE: "govuk-tag--grey",
}

STATE_TAGS = {
    "Not started": "govuk-tag--grey",
    "Draft": "govuk-tag--yellow",
    "Carried forward": "govuk-tag--orange",
    "Returned for more information": "govuk-tag--red",
    "Accepted": "govuk-tag--green",
    "Submitted": "govuk-tag--blue",
    "Resubmitted": "govuk-tag--turquoise",
    "Withdrawn": "govuk-tag--purple",
}


@register.filter
def status_tag(status: str) -> str:
    """The tag colour modifier for a Status value (or "no response")."""
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def state_tag(state: str) -> str:
    """The tag colour modifier for an answer's state, as selectors.answers.AnswerRow.state names it."""
    return STATE_TAGS.get(state, "govuk-tag--grey")


REVIEW_TAGS = {
    ReviewState.SUBMITTED: "govuk-tag--blue",
    ReviewState.RESUBMITTED: "govuk-tag--turquoise",
    ReviewState.RETURNED: "govuk-tag--red",
    ReviewState.ACCEPTED: "govuk-tag--green",
    ReviewState.WITHDRAWN: "govuk-tag--purple",
}


@register.filter
def review_tag(review_state: str) -> str:
    """The tag colour modifier for a review state (rules.answer_review_state)."""
    return REVIEW_TAGS.get(review_state, "govuk-tag--grey")


@register.filter
def review_label(review_state: str) -> str:
    from ..rules import REVIEW_STATE_LABELS

    return REVIEW_STATE_LABELS.get(review_state, "")


@register.filter
def answer_review_state(answer) -> str:
    """The review state of a staff-visible answer (rules.answer_review_state)."""
    from ..rules import answer_review_state as state

    return state(state=answer.state, review=answer.review, is_resubmission=answer.is_resubmission)
