from django.db import models


class Role(models.TextChoices):
    OFFICE = "office", "联席会议办公室"
    SUPERVISOR = "supervisor", "执法监督(县司法局)"
    RANDOM_COORDINATOR = "random_coordinator", "双随机牵头(县市场监管局)"
    DEPT_ADMIN = "dept_admin", "部门管理员"
    INSPECTOR = "inspector", "执法人员"
    ENTERPRISE = "enterprise", "企业用户"
    DISCIPLINE = "discipline", "纪检监察"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"


# Roles that see every department's records of a registry. Not the discipline role: it reads the
# referrals approved for it (纪检监察移送) and their evidence packets, nothing else.
COUNTY_WIDE = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.RANDOM_COORDINATOR, Role.SYSADMIN})
# Roles whose users belong to one department.
DEPARTMENT_ROLES = frozenset({Role.DEPT_ADMIN, Role.INSPECTOR, Role.OFFICE, Role.SUPERVISOR, Role.RANDOM_COORDINATOR})
# The three separated admin duties (等保 三员分立): no person holds two of them.
ADMIN_DUTIES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# Roles that must sign in with a TOTP second factor.
TWO_FACTOR_ROLES = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
# Roles whose users may (but need not) belong to a department; every other staff role needs one.
DEPARTMENT_OPTIONAL = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR, Role.DISCIPLINE})
# The three county bodies that oversee plans, filings and alerts across departments (mechanisms 1–3).
OVERSEERS = frozenset({Role.OFFICE, Role.SUPERVISOR, Role.RANDOM_COORDINATOR})
