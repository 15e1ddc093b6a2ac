from django.db import models


class EnterpriseType(models.TextChoices):
    COMPANY = "company", "公司"
    NON_COMPANY_LEGAL_PERSON = "non_company", "非公司企业法人"
    SOLE_PROPRIETORSHIP = "sole", "个人独资企业"
    PARTNERSHIP = "partnership", "合伙企业"
    BRANCH = "branch", "分支机构"
    FOREIGN = "foreign", "外国公司机构"


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", "存续(在营)"
    SUSPENDED = "suspended", "停业"
    REVOKED = "revoked", "吊销"
    CLOSED = "closed", "注销"


class Grade(models.TextChoices):
    A = "A", "A类"
    B = "B", "B类"
    C = "C", "C类"


class UsccStatus(models.TextChoices):
    VALID = "valid", "校验通过"
    PILOT = "pilot", "早期试点代码(校验未通过)"
