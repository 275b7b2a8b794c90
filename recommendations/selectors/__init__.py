"""Reads, split by concern: a force's answers and their states (answers), an answer's versions and
their differences (versions), a round's figures and their cache (figures), and what staff pages and
exports list beside the figures (staff). Writes live in services.py, analysis.py and snapshots.py.

Callers use `selectors.<name>`; each name is defined in one of the modules below.
"""

from .answers import (
    AnswerRow,
    answer_row,
    force_answer_rows,
    force_answer_rows_by_round,
    round_recommendations,
    rounds_for_force,
    submitted_answer,
)
from .figures import (
    FIGURES_CACHE_SECONDS,
    ChaseForce,
    ForceStatuses,
    MatrixCell,
    MatrixRow,
    PreviousRound,
    RoundFigures,
    chase_list,
    dashboard_rounds,
    default_dashboard_round,
    matrix_rows,
    previous_round,
    round_figures,
    round_figures_key,
    round_matrix,
    round_rollup,
    submitted_answer_records,
)
from .staff import (
    CodedAnswer,
    coded_answers,
    force_submitted_answers,
    recommendation_answers,
    recommendation_answers_page_of,
    round_answers_for_export,
    round_practice,
    round_snapshots,
    round_theme_names,
)
from .versions import Change, answer_history, version_comparison

__all__ = [
    "FIGURES_CACHE_SECONDS",
    "AnswerRow",
    "Change",
    "ChaseForce",
    "CodedAnswer",
    "ForceStatuses",
    "MatrixCell",
    "MatrixRow",
    "PreviousRound",
    "RoundFigures",
    "answer_history",
    "answer_row",
    "chase_list",
    "coded_answers",
    "dashboard_rounds",
    "default_dashboard_round",
    "force_answer_rows",
    "force_answer_rows_by_round",
    "force_submitted_answers",
    "matrix_rows",
    "previous_round",
    "recommendation_answers",
    "recommendation_answers_page_of",
    "round_answers_for_export",
    "round_figures",
    "round_figures_key",
    "round_matrix",
    "round_practice",
    "round_recommendations",
    "round_rollup",
    "round_snapshots",
    "round_theme_names",
    "rounds_for_force",
    "submitted_answer",
    "submitted_answer_records",
    "version_comparison",
]
