from django.db import models


class IndicatorGroup(models.TextChoices):
    LAWFUL = "lawful", "合法经营"
    RISK = "risk", "风险管控"
    TECHNOLOGY = "technology", "科技水平"
    CONTRIBUTION = "contribution", "社会贡献"


class ListStatus(models.TextChoices):
    DRAFT = "draft", "草案"
    APPROVED = "approved", "已审定(待生效)"
    IN_FORCE = "in_force", "执行中"
    SUPERSEDED = "superseded", "已被新清单取代"


class CreditRating(models.TextChoices):
    A = "A", "A级(诚信)"
    B = "B", "B级(良好)"
    C = "C", "C级(警示)"
    D = "D", "D级(失信)"


class TaxRating(models.TextChoices):
    A = "A", "A级"
    B = "B", "B级"
    M = "M", "M级"
    C = "C", "C级"
    D = "D", "D级"
