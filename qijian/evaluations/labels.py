"""Chinese labels of the evaluations app's audit actions (merged into core.views.ACTION_LABELS)."""

# Each domain keeps its own dict; edit only yours.
FOLLOW_UP_LABELS = {
    "evaluations.create_follow_up": "生成回访任务",
    "evaluations.assign_follow_up": "分派回访任务",
    "evaluations.record_follow_up": "登记回访情况",
    "evaluations.remind_follow_up": "发送回访到期提醒",
}
QUESTIONNAIRE_LABELS = {
    "evaluations.create_questionnaire": "新建评价问卷版本",
    "evaluations.add_question": "添加问卷题目",
    "evaluations.update_question": "修改问卷题目",
    "evaluations.remove_question": "删除问卷题目",
    "evaluations.activate_questionnaire": "启用评价问卷版本",
    "evaluations.submit_response": "提交评价答卷",
}
COMPLAINT_LABELS = {
    "evaluations.register_complaint": "登记投诉举报",
    "evaluations.submit_complaint": "企业在线投诉",
    "evaluations.import_complaint": "导入投诉工单",
    "evaluations.accept_complaint": "受理投诉",
    "evaluations.reply_complaint": "办结投诉并反馈",
    "evaluations.reject_complaint": "投诉不予受理",
    "evaluations.complaint_overdue": "投诉超期提醒",
}
SUMMARY_LABELS = {
    "evaluations.export_summary": "导出季度评价汇总",
}
REFERRAL_LABELS: dict[str, str] = {
    "oversight.propose_referral": "提请移送纪检监察",
    "oversight.approve_referral": "审批纪检监察移送",
    "oversight.reject_referral": "不予移送纪检监察",
    "oversight.read_referral_packet": "查阅移送证据材料包",
}

LABELS = FOLLOW_UP_LABELS | QUESTIONNAIRE_LABELS | COMPLAINT_LABELS | SUMMARY_LABELS | REFERRAL_LABELS
