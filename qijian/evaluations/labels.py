"""Chinese labels of the evaluations app's audit actions (merged into core.views.ACTION_LABELS)."""

# Each domain keeps its own dict; edit only yours.
FOLLOW_UP_LABELS = {
    "evaluations.create_follow_up": "生成回访任务",
}
QUESTIONNAIRE_LABELS: dict[str, str] = {}
COMPLAINT_LABELS: dict[str, str] = {}
SUMMARY_LABELS: dict[str, str] = {}
REFERRAL_LABELS: dict[str, str] = {}

LABELS = FOLLOW_UP_LABELS | QUESTIONNAIRE_LABELS | COMPLAINT_LABELS | SUMMARY_LABELS | REFERRAL_LABELS
