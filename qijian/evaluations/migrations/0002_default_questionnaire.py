"""The county default questionnaire (附件3), version 1, active: it must exist in every deployment.

The questions are a frozen copy (a migration must not change when the app's code does); the same
list lives in qijian/evaluations/questionnaire_defaults.py for the services and the tests.
"""

import datetime as dt

from django.db import migrations

SATISFACTION = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
QUESTIONS = [
    ("id_shown", "yes_no", "执法人员是否主动出示执法证件?", ["是", "否"], [], True),
    ("notified", "yes_no", "检查前是否告知检查事项、依据和企业权利(含申请回避)?", ["是", "否"], [], True),
    ("two_inspectors", "yes_no", "现场检查人员是否不少于两人?", ["是", "否"], [], True),
    ("within_scope", "single", "检查内容是否与告知事项一致,有无超范围检查?", ["一致", "超范围"], [], True),
    ("impact", "single", "检查用时及对生产经营的影响", ["无影响", "影响较小", "影响较大"], [], True),
    ("improper_requests", "yes_no", "是否存在吃拿卡要、收受财物、指定服务等行为?", ["否", "是"], ["是"], True),
    ("leniency", "single", "对轻微问题是否采取了指导、提醒等柔性方式?", ["是", "否", "不涉及"], [], True),
    ("repeated", "yes_no", "是否存在重复检查、多头检查?", ["否", "是"], ["是"], True),
    ("satisfaction", "satisfaction", "总体满意度", SATISFACTION, [], True),
    ("suggestions", "text", "意见和建议", [], [], False),
]


def create_default(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Question = apps.get_model("evaluations", "Question")
    if Questionnaire.objects.exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=1, title="沧县涉企执法评价调查问卷", status="active", activated_at=dt.datetime.now(dt.UTC)
    )
    for number, (code, kind, text, options, explain, required) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            questionnaire=questionnaire,
            number=number,
            code=code,
            kind=kind,
            text=text,
            options=options,
            explain_options=explain,
            required=required,
        )


def remove_default(apps, schema_editor):
    Questionnaire = apps.get_model("evaluations", "Questionnaire")
    Questionnaire.objects.filter(version=1, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(create_default, remove_default)]
