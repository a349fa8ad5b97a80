"""Demo of the 僵尸企业 clean-up: five candidates taken up by their 所 — two worked to 注销, one 规范, one
notified, one being verified — through the same services a user calls (so the registry shows the changes).

Runs after the inspection seeders (premises findings are read from them). The rest of the year's candidates
stay on the candidates page, waiting for their 核查.
"""

from __future__ import annotations

import datetime as dt

from enterprises.choices import Role
from enterprises.duties import zombie_services as services
from enterprises.duties.choices import ClearanceKind, NoticeKind, ZombieReason, ZombieStage
from enterprises.duties.zombie_rules import candidates
from enterprises.models import Enterprise, User, ZombieCase

# Preferred reasons for the five cases, in order, and how far each is worked.
PLAN = [
    (ZombieReason.UNREACHABLE, ZombieStage.CLEARED),
    (ZombieReason.LONG_SUSPENDED, ZombieStage.CLEARED),
    (ZombieReason.LICENCE_EXPIRED, ZombieStage.REGULARISED),
    (ZombieReason.UNREACHABLE, ZombieStage.NOTIFIED),
    (ZombieReason.NO_SELF_REPORT, ZombieStage.VERIFYING),
]
VERIFICATIONS = {
    ZombieReason.UNREACHABLE: "两次到注册地址及经营场所核查，大门紧闭，现场无人员、无经营痕迹；拨打登记电话均无人接听。",
    ZombieReason.LONG_SUSPENDED: "现场核查：经营场所已转租他用，企业负责人电话确认不再经营医疗器械。",
    ZombieReason.LICENCE_EXPIRED: "现场核查：企业仍在经营，许可证已过有效期未办理延续，责令立即停止第三类医疗器械经营活动并限期办理。",
    ZombieReason.NO_SELF_REPORT: "已电话联系企业负责人，约定到场核查。",
    ZombieReason.PREMISES_MISMATCH: "现场核查：企业已搬离备案经营场所，新址未办理变更。",
}


def _officer(unit_id: int) -> User | None:
    return (User.objects.filter(unit_id=unit_id, role=Role.STATION_STAFF, is_active=True).order_by("pk").first()
            or User.objects.filter(role=Role.SECTION_STAFF, is_active=True).order_by("pk").first())


def _pick(found, reason: str, used: set[int]):
    for candidate in found:
        if reason in candidate.reasons and candidate.enterprise.pk not in used:
            return candidate
    for candidate in found:  # any other candidate when the preferred reason does not occur
        if candidate.enterprise.pk not in used:
            return candidate
    return None


def seed(ctx) -> str:
    today = ctx.today
    year = today.year
    found = candidates(year, queryset=Enterprise.objects.select_related("owning_unit"), as_of=today)
    used: set[int] = set()
    done = []
    for i, (reason, target) in enumerate(PLAN):
        candidate = _pick(found, reason, used)
        if candidate is None:
            break
        enterprise = candidate.enterprise
        used.add(enterprise.pk)
        if ZombieCase.objects.filter(enterprise=enterprise, year=year).exists():
            continue
        by = _officer(enterprise.owning_unit_id)
        if by is None:
            continue
        case = services.zombie_case_start(enterprise=enterprise, year=year, by=by)
        # steps spaced back from today so the dates follow each other and none is in the future
        start = today - dt.timedelta(days=60 - 10 * i)
        main = reason if reason in case.reasons else next(r for r in ZombieReason.values if r in case.reasons)
        case = services.zombie_case_verify(case=case, verified_on=start, verification=VERIFICATIONS[main], by=by)
        if target == ZombieStage.VERIFYING:
            done.append(case)
            continue
        if target == ZombieStage.REGULARISED:
            case = services.zombie_case_conclude(
                case=case, outcome=ZombieStage.REGULARISED, decided_on=start + dt.timedelta(days=12), by=by,
                note="企业已停止超范围经营，提交许可延续申请并取得新证，纳入规范一批。")
            done.append(case)
            continue
        case = services.zombie_case_notify(
            case=case, notice_kind=NoticeKind.PUBLIC if i % 2 else NoticeKind.NOTICE,
            notice_on=start + dt.timedelta(days=5), notice_ref=f"鹿市监械告〔{year}〕{i + 11}号", by=by)
        if target == ZombieStage.CLEARED:
            case = services.zombie_case_clear(
                case=case, clearance_kind=ClearanceKind.CANCEL_FILING if i % 2 else ClearanceKind.CANCEL_LICENCE,
                decision_no=f"鹿市监械注〔{year}〕{i + 3}号", by=by,
                decision_on=min(today, max(start + dt.timedelta(days=35), enterprise.status_since or start)))
        done.append(case)
    stages = "、".join(f"{c.enterprise.name}（{c.get_stage_display()}）" for c in done)
    return f"{len(found)} 家僵尸企业候选，{len(done)} 家已发起清理：{stages}"
