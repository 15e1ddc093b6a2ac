"""Models of the evaluations app (mechanism 4, 事后评价): follow-ups, questionnaires and answers, complaints."""

from qijian.evaluations.models.complaints import Complaint
from qijian.evaluations.models.followups import FollowUp
from qijian.evaluations.models.questionnaires import Answer, Question, Questionnaire, Response

__all__ = ["Answer", "Complaint", "FollowUp", "Question", "Questionnaire", "Response"]
