"""Demo complaints (投诉举报), built through the services after the check-ins demo:

- enterprise1 complains online about an inspection of its enterprise: an inspector hinted that it
  should buy fire equipment from a named supplier (吃拿卡要) — accepted by 司法局, it is the complaint
  the referral demo hands to discipline inspection (``referral_complaint()``);
- the office registers a letter about an over-long inspection: accepted and replied (by mail);
- a 12345 hotline export (three tickets) and a 企业家直通车 export (two tickets) go through the import
  machinery: one ticket replied, one being handled, one never accepted (past both deadlines: overdue),
  one rejected, one replied.

Idempotent: the online and staff complaints are found again by their text; the imported tickets by
their source and 工单编号 (a re-import skips them). Missing demo accounts or departments skip a part.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from qijian.accounts.models import User
from qijian.checkins.models import CheckIn
from qijian.core.calendar import local_today
from qijian.evaluations.choices import ComplaintStatus
from qijian.evaluations.complaint_importing import import_complaints
from qijian.evaluations.models import Complaint
from qijian.evaluations.services import complaints as services
from qijian.org.models import Department

log = logging.getLogger(__name__)

REFERRAL_SUMMARY = (
    "【吃拿卡要】检查人员在检查消防设施时,暗示我公司从其指定的供应商处采购灭火器和应急灯,否则“下次还来查”。"
)
LETTER_SUMMARY = "来信反映:县市场监管局对我厂的一次检查从上午九点持续到晚上七点,期间要求停产配合,影响了订单交付。"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def referral_complaint() -> Complaint | None:
    """The demo complaint that justifies a referral to discipline inspection (for oversight/referral_demo.py)."""
    return Complaint.objects.filter(summary=REFERRAL_SUMMARY).first()


def load_demo() -> None:
    """Build the demo complaints; a second call adds nothing."""
    office, supervisor = _user("office"), _user("supervisor")
    if office is None or supervisor is None:
        log.warning("demo complaints skipped: the office or supervisor account is missing")
        return
    _online(supervisor)
    _letter(office, supervisor)
    _imports(office, supervisor)


def _online(supervisor: User) -> None:
    user = _user("enterprise1")
    if user is None or Complaint.objects.filter(summary=REFERRAL_SUMMARY).exists():
        return
    checkin = CheckIn.objects.filter(enterprise_id=user.enterprise_id).order_by("scanned_at").first()
    if checkin is None:
        log.warning("demo complaints: enterprise1's enterprise has no check-in to complain about")
        return
    complaint = services.submit_complaint(actor=user, summary=REFERRAL_SUMMARY, checkin=checkin)
    services.accept_complaint(actor=supervisor, complaint=complaint, handler=supervisor)


def _letter(office: User, supervisor: User) -> None:
    if Complaint.objects.filter(summary=LETTER_SUMMARY).exists():
        return
    department = Department.objects.filter(code="130921-SCJGJ").first()
    complaint = services.register_complaint(
        actor=office,
        summary=LETTER_SUMMARY,
        complainant="马振华(沧县兴业包装厂)",
        contact="mazhenhua@xingye-baozhuang.example.cn",
        department=department,
    )
    services.accept_complaint(actor=office, complaint=complaint, handler=supervisor)
    services.reply_complaint(
        actor=supervisor,
        complaint=complaint,
        outcome="经核查,该次检查因现场取样需要延长时间,但未事先向企业说明。已责成县市场监管局规范检查时长告知,"
        "今后确需延长的须说明理由并尽量减少对生产的影响。",
    )


# --- the 12345 and 企业家直通车 exports -------------------------------------------------------------------


def _day(days_ago: int, hour: int) -> str:
    return f"{local_today() - dt.timedelta(days=days_ago):%Y-%m-%d} {hour:02d}:{17 + days_ago % 40:02d}"


def _hotline_csv() -> str:
    rows = [
        "工单编号,来电时间,诉求人,联系电话,涉及企业,涉及部门,诉求内容",
        f"CZ12345-DEMO-0101,{_day(30, 9)},刘先生,13931700101,,130921-YJGLJ,"
        "反映应急管理部门执法人员检查时未出示执法证件,也未说明检查依据。",
        f"CZ12345-DEMO-0102,{_day(12, 14)},王女士,wangli@example.cn,,130921-STHJ,"
        "反映环保部门一周内两次到同一企业检查同一事项,属于重复检查。",
        f"CZ12345-DEMO-0103,{_day(4, 10)},陈先生,13803170103,,130921-SCJGJ,"
        "反映市场监管部门检查后迟迟不出具检查结果,企业无法安排整改。",
    ]
    return "\n".join(rows) + "\n"


def _direct_csv() -> str:
    rows = [
        "诉求编号,提交时间,企业家姓名,联系电话,涉及部门,诉求标题,诉求内容",
        f"ZTC-DEMO-0031,{_day(20, 16)},张建国,zhangjianguo@example.cn,130921-YJGLJ,检查频次过高,"
        "今年一季度应急管理部门已三次到公司检查安全生产,希望合并检查、减少打扰。",
        f"ZTC-DEMO-0035,{_day(8, 8)},李秀英,13703170035,,营商环境建议,建议县里统一企业反映问题的渠道。",
    ]
    return "\n".join(rows) + "\n"


def _import(source: str, content: str, office: User) -> None:
    result, _ = import_complaints(
        io.BytesIO(content.encode()), source=source, filename=f"demo-{source}.csv", actor=office
    )
    if not result.ok:
        issues = "; ".join(i.describe() for i in result.issues.items)
        log.warning("demo complaints: the %s export was refused: %s %s", source, result.summary(), issues)


def _ticket(external_id: str) -> Complaint | None:
    return Complaint.objects.filter(external_id=external_id).first()


def _imports(office: User, supervisor: User) -> None:
    if _ticket("CZ12345-DEMO-0101") is not None:
        return
    _import("hotline", _hotline_csv(), office)
    _import("direct", _direct_csv(), office)
    _handle("CZ12345-DEMO-0102", office, supervisor, outcome="经核实,两次检查分属不同事项,已要求今后合并开展联合检查。")
    _handle("CZ12345-DEMO-0103", office, supervisor, outcome="")
    _handle("ZTC-DEMO-0031", office, supervisor, outcome="已将该企业纳入“综合查一次”,二季度起合并检查。")
    ticket = _ticket("ZTC-DEMO-0035")
    if ticket is not None and ticket.status == ComplaintStatus.RECEIVED:
        services.reject_complaint(
            actor=office, complaint=ticket, reason="属于营商环境意见建议,不涉及行政执法检查行为,已转县营商办研究。"
        )
    # CZ12345-DEMO-0101 stays unaccepted: received 30 days ago, it is past both deadlines (overdue).


def _handle(external_id: str, office: User, supervisor: Any, *, outcome: str) -> None:
    ticket = _ticket(external_id)
    if ticket is None or ticket.status != ComplaintStatus.RECEIVED:
        return
    ticket = services.accept_complaint(actor=office, complaint=ticket, handler=supervisor)
    if outcome:
        services.reply_complaint(actor=supervisor, complaint=ticket, outcome=outcome)
