"""Demo district for ``manage.py seed_demo``: a 鹿城区-like bureau, its units, people and enterprises.

Deterministic for a given seed. ``ctx.scale == 0`` builds the everyday demo (about 1,500 enterprises,
one demo login per role); ``ctx.scale == N`` builds N synthetic 所 with about 2,000 enterprises each
for benchmarks. Names and numbers are invented but follow the real formats: credit codes pass the
GB 32100 check, licence numbers follow the Zhejiang pattern (domain.md §2.2).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from simple_history.utils import bulk_create_with_history

from enterprises.choices import (
    DeviceClass,
    EnterpriseStatus,
    HospitalGrade,
    InstitutionType,
    LicenceKind,
    LicenceStatus,
    OperationMode,
    OwnerRuleRole,
    OwnerTarget,
    Role,
    SubdistrictKind,
    UnitKind,
)
from enterprises.models import (
    Enterprise,
    EnterpriseStatusChange,
    Licence,
    OwnershipRule,
    Subdistrict,
    Tag,
    Unit,
    User,
)
from enterprises.ownership import resolve_owning_unit
from enterprises.validators import CREDIT_CODE_CHARSET, credit_code_check_char

DEMO_PASSWORD = "demo12345"
REGION = "330302"  # 温州市鹿城区
BATCH = 5000

# 12 街道 + 2 镇 of 鹿城区, grouped into the 所 that supervise them (所 names are invented).
STATIONS: list[tuple[str, str, str, list[tuple[str, str, int]]]] = [
    ("wuma", "五马市场监管所", "五马所", [("五马街道", SubdistrictKind.STREET, 62000), ("松台街道", SubdistrictKind.STREET, 58000)]),
    ("danan", "大南市场监管所", "大南所", [("大南街道", SubdistrictKind.STREET, 71000), ("南郊街道", SubdistrictKind.STREET, 83000)]),
    ("nanhui", "南汇市场监管所", "南汇所", [("南汇街道", SubdistrictKind.STREET, 96000), ("滨江街道", SubdistrictKind.STREET, 88000)]),
    ("guanghua", "广化市场监管所", "广化所", [("广化街道", SubdistrictKind.STREET, 67000), ("蒲鞋市街道", SubdistrictKind.STREET, 74000)]),
    ("shuangyu", "双屿市场监管所", "双屿所", [("双屿街道", SubdistrictKind.STREET, 131000), ("仰义街道", SubdistrictKind.STREET, 52000), ("丰门街道", SubdistrictKind.STREET, 69000)]),
    ("qidu", "七都市场监管所", "七都所", [("七都街道", SubdistrictKind.STREET, 21000)]),
    ("tengqiao", "藤桥市场监管所", "藤桥所", [("藤桥镇", SubdistrictKind.TOWN, 56000), ("山福镇", SubdistrictKind.TOWN, 18000)]),
]
ROADS = ["人民路", "解放路", "飞霞南路", "学院中路", "车站大道", "锦绣路", "黎明西路", "瓯江路", "蒲鞋市路",
         "双屿大道", "仰义路", "广化路", "江滨路", "新田园路", "府前街", "五马街", "信河街", "划龙桥路",
         "勤奋路", "上陡门路", "汤家桥路", "将军桥路", "牛山北路", "鹿城路", "葡萄棚路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海燕晓东云飞俊杰慧琳浩然子涵"
TRADE = ["康宁", "仁和", "百信", "华康", "益民", "惠众", "瓯江", "鹿城", "永康", "博爱", "安泰", "恒瑞", "嘉和",
         "瑞丰", "天和", "同心", "信达", "德仁", "众生", "金瓯", "东瓯", "江心", "华东", "海诚", "明视", "晶亮",
         "视康", "目明", "亮睛", "睿美", "颜悦", "美姿", "植德", "齿康", "瑞齿", "康迈", "迈瑞", "博医", "安诺",
         "泰和", "诚信", "温康", "佳禾", "鑫源", "汇丰", "聚康", "宝康", "福寿", "长生", "百草"]
TRADE_SUFFIX = "堂源泰德福春安盛达鑫祥瑞"


@dataclass
class Kind:
    """One kind of demo enterprise and how many of it the district has."""

    key: str
    count: int
    name: str  # format with {trade} {street}
    flags: dict = field(default_factory=dict)
    tags: list[list[str]] = field(default_factory=list)  # candidate tag sets, picked at random
    tag_chance: float = 1.0
    licences: list[str] = field(default_factory=list)


KINDS: list[Kind] = [
    Kind("pharmacy", 760, "温州{trade}大药房有限公司{street}店",
         {"is_operator": True, "operation_mode": OperationMode.RETAIL, "operates_class2": True},
         [[], [], ["epidemic"], ["epidemic", "covid-reagent", "covid-antigen"], ["condom"], ["ivd"],
          ["myopia"], ["epidemic", "mask", "oximeter"]], 1.0, [LicenceKind.OPERATION_FILING]),
    Kind("optical", 175, "温州{trade}眼镜有限公司{street}店",
         {"is_operator": True, "operation_mode": OperationMode.RETAIL, "operates_class2": True,
          "operates_class3": True, "max_device_class": DeviceClass.CLASS_3},
         [["contact-lens", "myopia"], ["contact-lens", "colored-contact-lens", "myopia"], ["contact-lens"]],
         1.0, [LicenceKind.OPERATION_LICENCE, LicenceKind.OPERATION_FILING]),
    Kind("wholesale", 120, "温州{trade}医疗器械有限公司",
         {"is_operator": True, "operation_mode": OperationMode.WHOLESALE, "operates_class2": True,
          "operates_class3": True, "max_device_class": DeviceClass.CLASS_3},
         [["sterile", "implant", "vbp"], ["ivd", "cold-chain", "covid-reagent", "covid-nucleic"],
          ["sterile"], ["epidemic", "protective", "mask"], ["aesthetic", "aesthetic-ha-gel"],
          ["aesthetic", "aesthetic-rf", "aesthetic-other"], ["assisted-reproduction", "sterile"],
          ["ivd", "covid-reagent", "covid-antibody", "covid-antigen"], ["implant", "vbp", "key-catalogue"],
          ["contact-lens", "colored-contact-lens", "myopia"], []],
         1.0, [LicenceKind.OPERATION_LICENCE, LicenceKind.OPERATION_FILING]),
    Kind("online", 30, "温州{trade}电子商务有限公司",
         {"is_operator": True, "operation_mode": OperationMode.RETAIL, "operates_class2": True,
          "is_online_seller": True},
         [["epidemic", "mask"], ["contact-lens", "colored-contact-lens", "myopia"], ["aesthetic", "aesthetic-other"],
          ["myopia"], ["condom"]], 1.0, [LicenceKind.OPERATION_FILING, LicenceKind.ONLINE_SALES_FILING]),
    Kind("platform", 2, "温州{trade}网络科技有限公司", {"is_platform": True}, [[]], 1.0,
         [LicenceKind.INTERNET_INFO]),
    Kind("remote_wh", 5, "{trade}医药物流有限公司温州鹿城仓库",
         {"is_operator": True, "operation_mode": OperationMode.WHOLESALE, "operates_class3": True,
          "is_remote_warehouse": True, "provides_logistics": True},
         [["cold-chain", "ivd"], ["sterile", "vbp"]], 1.0, []),
    Kind("manufacturer", 30, "温州{trade}医疗器械科技有限公司",
         {"is_manufacturer": True, "is_registrant": True},
         [["epidemic", "mask", "protective"], ["sterile"], ["sterile", "implant", "vbp"],
          ["ivd", "covid-reagent", "covid-nucleic"], ["ivd", "covid-reagent", "covid-antigen", "covid-antibody"],
          ["epidemic", "oxygen-concentrator"], ["epidemic", "oximeter"], ["epidemic", "ventilator"],
          ["epidemic", "ecmo", "innovative"], ["aesthetic", "aesthetic-rf"], ["aesthetic", "aesthetic-ha-gel"],
          ["aesthetic", "aesthetic-other"], ["myopia", "contact-lens"], ["contact-lens", "colored-contact-lens"],
          ["assisted-reproduction"], ["innovative", "implant"], ["condom"]],
         1.0, [LicenceKind.PRODUCTION_LICENCE]),
    Kind("denture", 9, "温州{trade}义齿有限公司", {"is_manufacturer": True, "is_registrant": True,
                                               "max_device_class": DeviceClass.CLASS_2},
         [["custom-denture"]], 1.0, [LicenceKind.PRODUCTION_LICENCE]),
    Kind("class1", 8, "温州{trade}医用器材厂", {"is_manufacturer": True, "is_registrant": True,
                                             "max_device_class": DeviceClass.CLASS_1},
         [["protective"], []], 1.0, [LicenceKind.PRODUCTION_FILING]),
    Kind("entrusting", 6, "浙江{trade}医疗科技有限公司",
         {"is_registrant": True, "entrusts_production": True, "max_device_class": DeviceClass.CLASS_2},
         [["sterile"], ["innovative"], ["ivd", "covid-reagent", "covid-antigen"], ["aesthetic", "aesthetic-ha-gel"]],
         1.0, []),
    Kind("contract", 5, "温州{trade}精密医疗器械有限公司",
         {"is_manufacturer": True, "is_contract_manufacturer": True, "max_device_class": DeviceClass.CLASS_2},
         [["sterile"], ["ivd", "covid-reagent"], ["aesthetic", "aesthetic-ha-gel"]], 1.0,
         [LicenceKind.PRODUCTION_LICENCE]),
    Kind("hospital", 30, "温州市{trade}医院", {"is_user_unit": True, "institution_type": InstitutionType.HOSPITAL},
         [["sterile", "implant", "ivd", "vbp"], ["sterile", "ivd"], ["sterile", "implant", "vbp", "assisted-reproduction"],
          ["sterile", "ivd", "covid-reagent", "covid-nucleic", "aesthetic"]], 1.0, []),
    Kind("clinic", 165, "鹿城{trade}诊所", {"is_user_unit": True, "institution_type": InstitutionType.CLINIC},
         [["sterile"], ["sterile", "ivd"], ["sterile", "covid-reagent", "covid-antigen"]], 1.0, []),
    Kind("aesthetic", 40, "温州{trade}医疗美容门诊部", {"is_user_unit": True,
                                                  "institution_type": InstitutionType.AESTHETIC},
         [["aesthetic", "aesthetic-ha-gel"], ["aesthetic", "aesthetic-rf"], ["aesthetic", "aesthetic-other"],
          ["aesthetic", "aesthetic-ha-gel", "aesthetic-rf", "sterile"]], 1.0, []),
    Kind("dental", 50, "温州{trade}口腔门诊部", {"is_user_unit": True, "institution_type": InstitutionType.DENTAL},
         [["sterile", "implant"], ["sterile", "custom-denture"]], 1.0, []),
    Kind("health_centre", 40, "鹿城区{street}社区卫生服务中心{trade}站",
         {"is_user_unit": True, "institution_type": InstitutionType.HEALTH_CENTRE},
         [["sterile", "ivd"], ["sterile", "vbp"], ["sterile", "covid-reagent", "covid-antibody"]], 1.0, []),
    Kind("other_inst", 20, "温州{trade}护理院", {"is_user_unit": True, "institution_type": InstitutionType.OTHER},
         [["sterile"], ["assisted-reproduction"]], 1.0, []),
]
HOSPITAL_GRADES = [HospitalGrade.GRADE_3A] * 3 + [HospitalGrade.GRADE_3] * 4 + [HospitalGrade.GRADE_2] * 8 + \
    [HospitalGrade.GRADE_1] * 9 + [HospitalGrade.UNGRADED] * 6

OWNERSHIP_RULES = [  # (role, target, fixed unit key or None, basis)
    (OwnerRuleRole.STOPPED_MANUFACTURER, OwnerTarget.SUBDISTRICT_STATION, None,
     "鹿城计划三(一)：停产期间的生产企业由所在街道/镇的监管所负责检查，复产后回归药械科"),
    (OwnerRuleRole.MANUFACTURER, OwnerTarget.FIXED_UNIT, "section", "鹿城计划三(一)：药械科负责医疗器械生产企业"),
    (OwnerRuleRole.HOSPITAL, OwnerTarget.FIXED_UNIT, "section", "鹿城计划三(一)：药械科负责医院类医疗机构"),
    (OwnerRuleRole.REMOTE_WAREHOUSE, OwnerTarget.SUBDISTRICT_STATION, None, "各所负责跨区域设库企业日常监管"),
    (OwnerRuleRole.OPERATOR, OwnerTarget.SUBDISTRICT_STATION, None, "各所负责经营（含网络销售）企业"),
    (OwnerRuleRole.NON_HOSPITAL_INSTITUTION, OwnerTarget.SUBDISTRICT_STATION, None, "各所负责非医院类医疗机构"),
    (OwnerRuleRole.ONLINE_SELLER, OwnerTarget.SUBDISTRICT_STATION, None, "各所负责网络销售企业"),
    (OwnerRuleRole.PLATFORM, OwnerTarget.FIXED_UNIT, "section", "第三方平台由药械科负责"),
    (OwnerRuleRole.ANY, OwnerTarget.SUBDISTRICT_STATION, None, "其他：所在街道/镇的监管所"),
]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def credit_code(rng: random.Random, used: set[str]) -> str:
    while True:
        body = f"91{REGION}" + "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(9))
        code = body + credit_code_check_char(body)
        if code not in used:
            used.add(code)
            return code


def build_org(ctx) -> dict:
    """Units, 街道/镇, ownership rules and users. Returns lookups for the enterprise step."""
    bureau = Unit.objects.create(name="温州市鹿城区市场监督管理局", short_name="区局", kind=UnitKind.BUREAU,
                                 code="LC", phone="0577-88300000", sort_order=0)
    section = Unit.objects.create(name="药械科", short_name="药械科", kind=UnitKind.SECTION, parent=bureau,
                                  code="LC-YX", phone="0577-88300101", sort_order=10)
    enforcement = Unit.objects.create(name="区市场监管综合行政执法队", short_name="执法队",
                                      kind=UnitKind.ENFORCEMENT, parent=bureau, code="LC-ZF",
                                      phone="0577-88300201", sort_order=20)
    stations: list[tuple[str, Unit]] = []
    subdistricts: list[Subdistrict] = []
    if ctx.scale:
        plan = [(f"s{i:03d}", f"第{i}市场监管所", f"第{i}所",
                 [(f"第{i}-{j}街道", SubdistrictKind.STREET, 40000) for j in (1, 2)])
                for i in range(1, ctx.scale + 1)]
    else:
        plan = STATIONS
    sd_code = 1
    for order, (key, name, short, areas) in enumerate(plan, start=1):
        unit = Unit.objects.create(name=name, short_name=short, kind=UnitKind.STATION, parent=bureau,
                                   code=f"LC-{key.upper()}", phone=f"0577-8831{order:04d}",
                                   sort_order=100 + order)
        stations.append((key, unit))
        for area, kind, population in areas:
            subdistricts.append(Subdistrict.objects.create(
                name=area, kind=kind, code=f"{REGION}{sd_code:06d}", unit=unit, population=population))
            sd_code += 1
    fixed = {"section": section}
    for priority, (role, target, unit_key, note) in enumerate(OWNERSHIP_RULES, start=1):
        OwnershipRule.objects.create(priority=priority * 10, role=role, target=target,
                                     unit=fixed.get(unit_key) if unit_key else None, note=note)
    build_users(ctx, bureau, section, enforcement, stations)
    return {"section": section, "stations": stations, "subdistricts": subdistricts}


def build_users(ctx, bureau, section, enforcement, stations) -> None:
    rng = ctx.rng("users")
    password = make_password(DEMO_PASSWORD)
    cert = iter(range(1, 100000))
    users: list[User] = []

    def add(username: str, unit: Unit, role: str, *, staff: bool = False, superuser: bool = False,
            cert_kind: str = "enforcement") -> None:
        n = next(cert)
        users.append(User(
            username=username, full_name=person(rng), unit=unit, role=role, password=password,
            is_staff=staff or superuser, is_superuser=superuser, phone=f"1385770{n:04d}",
            enforcement_cert_no=f"33030200{n:04d}" if cert_kind == "enforcement" else "",
            inspector_cert_no=f"浙械检{n:05d}" if cert_kind == "inspector" else "",
        ))

    add("admin", bureau, Role.ADMIN, superuser=True)
    add("juzhang", bureau, Role.LEADER)
    add("kezhang", section, Role.LEADER)
    for i in range(1, 5):
        add(f"yaoxie{i}", section, Role.SECTION_STAFF, cert_kind="inspector" if i == 4 else "enforcement")
    add("zhifa1", enforcement, Role.STATION_STAFF)
    add("zhifa2", enforcement, Role.STATION_STAFF)
    add("shenji", bureau, Role.AUDITOR)
    per_station = 2 if ctx.scale else 4
    for key, unit in stations:
        for i in range(1, per_station + 1):
            add(f"{key}{i}", unit, Role.STATION_STAFF)
    User.objects.bulk_create(users, batch_size=BATCH)


def build_enterprises(ctx, org: dict) -> list[Enterprise]:
    rng = ctx.rng("enterprises")
    tags = {t.code: t for t in Tag.objects.all()}
    rules = list(OwnershipRule.objects.select_related("unit").order_by("priority"))
    subdistricts = org["subdistricts"]
    unit_by_sd = {sd.pk: sd.unit for sd in Subdistrict.objects.select_related("unit")}
    factor = max(1, ctx.scale * 2000 // 1500) if ctx.scale else 1
    used_codes: set[str] = set()
    used_names: set[str] = set()
    enterprises: list[Enterprise] = []
    tag_sets: list[list[str]] = []
    kinds: list[Kind] = []
    hospital_no = 0
    for kind in KINDS:
        count = kind.count * factor if kind.key != "platform" else max(2, kind.count * (ctx.scale or 1))
        for i in range(count):
            sd = subdistricts[(i * 7 + rng.randrange(len(subdistricts))) % len(subdistricts)]
            for attempt in range(200):
                trade = rng.choice(TRADE)
                street = sd.name.replace("街道", "").replace("镇", "")
                if attempt >= 3:  # chains open several stores: name them by road, firms get a suffix
                    street = rng.choice(ROADS).removesuffix("路").removesuffix("街").removesuffix("大道")
                    trade += rng.choice(TRADE_SUFFIX) if "{street}" not in kind.name else ""
                name = kind.name.format(trade=trade, street=street)
                if ctx.scale:
                    name = f"{name}{len(enterprises) + 1}"
                if name not in used_names:
                    break
            used_names.add(name)
            est = dt.date(rng.randint(1998, ctx.year - 1), rng.randint(1, 12), rng.randint(1, 28))
            ent = Enterprise(
                name=name, credit_code=credit_code(rng, used_codes), subdistrict=sd,
                legal_representative=person(rng), person_in_charge=person(rng),
                quality_manager=person(rng), phone=f"0577-88{rng.randint(100000, 999999)}",
                registered_address=f"温州市鹿城区{sd.name}{rng.choice(ROADS)}{rng.randint(1, 688)}号",
                established_on=est, **kind.flags,
            )
            ent.business_address = ent.registered_address
            if ent.is_operator and kind.key in {"wholesale", "remote_wh"}:
                ent.warehouse_address = f"温州市鹿城区{sd.name}{rng.choice(ROADS)}{rng.randint(1, 688)}号仓库"
            if kind.key == "remote_wh":
                ent.home_licence_info = f"杭州市 浙杭药监械经营许{rng.randint(2019, ctx.year - 1)}{rng.randint(1, 999):04d}号"
            if kind.key == "hospital":
                ent.hospital_grade = HOSPITAL_GRADES[hospital_no % len(HOSPITAL_GRADES)]
                hospital_no += 1
            if kind.key == "wholesale" and rng.random() < 0.2:
                ent.is_online_seller = True
            if kind.key == "pharmacy" and rng.random() < 0.06:
                ent.is_online_seller = True
            if kind.key in {"manufacturer", "contract"} and not ent.max_device_class:
                ent.max_device_class = rng.choice([DeviceClass.CLASS_2, DeviceClass.CLASS_2, DeviceClass.CLASS_3])
            if i < len(kind.tags):  # every tag set of a kind appears at least once (report rows need them)
                chosen = kind.tags[i]
            else:
                chosen = rng.choice(kind.tags) if kind.tags and rng.random() < kind.tag_chance else []
            if kind.key == "wholesale" and "vbp" in chosen:
                ent.is_vbp_distributor = True
            if kind.key == "wholesale" and rng.random() < 0.05:
                ent.provides_logistics = True
            roll = rng.random()
            if roll < 0.02:
                ent.status = EnterpriseStatus.CANCELLED
            elif roll < 0.035:
                ent.status = EnterpriseStatus.BUSINESS_SUSPENDED
            elif roll < 0.045:
                ent.status = EnterpriseStatus.ABNORMAL
            elif roll < 0.05 and ent.is_manufacturer:
                ent.status = EnterpriseStatus.PRODUCTION_STOPPED
            ent.owning_unit = resolve_owning_unit_fast(ent, rules, unit_by_sd)
            enterprises.append(ent)
            tag_sets.append(chosen)
            kinds.append(kind)
    # every entrusting registrant names a contract manufacturer in the district: mark one per registrant
    if ctx.scale:
        Enterprise.objects.bulk_create(enterprises, batch_size=BATCH)
    else:
        bulk_create_with_history(enterprises, Enterprise, batch_size=BATCH)
    saved = {e.credit_code: e.pk for e in Enterprise.objects.only("pk", "credit_code")}
    through = Enterprise.tags.through
    links = [through(enterprise_id=saved[e.credit_code], tag_id=tags[code].pk)
             for e, codes in zip(enterprises, tag_sets, strict=True) for code in codes]
    through.objects.bulk_create(links, batch_size=BATCH)
    for e in enterprises:
        e.pk = saved[e.credit_code]
    build_licences(ctx, enterprises, kinds)
    build_status_history(ctx, enterprises)
    return enterprises


def resolve_owning_unit_fast(ent: Enterprise, rules, unit_by_sd) -> Unit:
    """resolve_owning_unit without a query per enterprise (the subdistrict's unit is pre-loaded)."""
    ent.subdistrict.unit = unit_by_sd[ent.subdistrict.pk]
    unit, _rule = resolve_owning_unit(ent, rules)
    return unit


LICENCE_PATTERNS = {
    LicenceKind.PRODUCTION_LICENCE: ("浙药监械生产许{year}{serial:04d}号", "浙江省药品监督管理局", 5),
    LicenceKind.PRODUCTION_FILING: ("浙温药监械生产备{year}{serial:04d}号", "温州市市场监督管理局", None),
    LicenceKind.OPERATION_LICENCE: ("浙温药监械经营许{year}{serial:04d}号", "温州市市场监督管理局", 5),
    LicenceKind.OPERATION_FILING: ("浙温药监械经营备{year}{serial:04d}号", "温州市市场监督管理局", None),
    LicenceKind.ONLINE_SALES_FILING: ("浙温药监械网备{year}{serial:04d}号", "温州市市场监督管理局", None),
    LicenceKind.INTERNET_INFO: ("（浙）-经营性-{year}-{serial:04d}", "浙江省药品监督管理局", 5),
}
SCOPES = {
    LicenceKind.PRODUCTION_LICENCE: "Ⅱ类：14-01注射、穿刺器械；Ⅲ类：14-02血管内输液器械",
    LicenceKind.PRODUCTION_FILING: "Ⅰ类：14-10护理防护用品",
    LicenceKind.OPERATION_LICENCE: "2017年分类目录：Ⅲ类 06,07,08,10,12,13,14,16,22；6840体外诊断试剂（冷链）",
    LicenceKind.OPERATION_FILING: "2017年分类目录：Ⅱ类医疗器械（除6840体外诊断试剂外）",
    LicenceKind.ONLINE_SALES_FILING: "通过自建网站及第三方平台销售第二类医疗器械",
    LicenceKind.INTERNET_INFO: "互联网药品信息服务（经营性）",
}


def build_licences(ctx, enterprises: list[Enterprise], kinds: list[Kind]) -> None:
    rng = ctx.rng("licences")
    serials: dict[tuple[str, int], int] = {}
    licences: list[Licence] = []
    for ent, kind in zip(enterprises, kinds, strict=True):
        for lk in kind.licences:
            if lk == LicenceKind.OPERATION_LICENCE and not ent.operates_class3:
                continue
            pattern, issuer, years = LICENCE_PATTERNS[lk]
            issued = dt.date(rng.randint(max(2019, ent.established_on.year), max(2019, ctx.year - 1)),
                                              rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < 0.06 and years:  # a share expires within the next months
                issued = ctx.today.replace(day=1) - dt.timedelta(days=365 * years - rng.randint(10, 85))
            serial = serials[(lk, issued.year)] = serials.get((lk, issued.year), 0) + 1
            number = pattern.format(year=issued.year, serial=serial)
            expires = None
            if years:
                try:
                    expires = issued.replace(year=issued.year + years) - dt.timedelta(days=1)
                except ValueError:
                    expires = issued.replace(year=issued.year + years, day=28)
            while expires and expires < ctx.today and ent.status != EnterpriseStatus.CANCELLED:
                issued = expires + dt.timedelta(days=1)  # 延续: a trading enterprise renewed its licence
                try:
                    expires = issued.replace(year=issued.year + years) - dt.timedelta(days=1)
                except ValueError:  # issued on 2月29日
                    expires = issued.replace(year=issued.year + years, day=28)
            status = LicenceStatus.VALID
            if ent.status == EnterpriseStatus.CANCELLED:
                status = LicenceStatus.CANCELLED
            elif expires and expires < ctx.today:
                status = LicenceStatus.EXPIRED
            licences.append(Licence(
                enterprise=ent, kind=lk, number=number,
                issuer=issuer, issued_on=issued, expires_on=expires, scope=SCOPES[lk], status=status,
            ))
    if ctx.scale:
        Licence.objects.bulk_create(licences, batch_size=BATCH)
    else:
        bulk_create_with_history(licences, Licence, batch_size=BATCH)


STATUS_REASONS = {
    EnterpriseStatus.CANCELLED: "企业申请注销经营备案",
    EnterpriseStatus.BUSINESS_SUSPENDED: "企业书面报告停业装修",
    EnterpriseStatus.ABNORMAL: "年度自查报告未提交，现场核查无法联系",
    EnterpriseStatus.PRODUCTION_STOPPED: "企业报告停产，生产线改造",
}


def build_status_history(ctx, enterprises: list[Enterprise]) -> None:
    rng = ctx.rng("status")
    changes = []
    for ent in enterprises:
        if ent.status == EnterpriseStatus.ACTIVE:
            continue
        effective = ctx.today - dt.timedelta(days=rng.randint(20, 500))
        changes.append(EnterpriseStatusChange(
            enterprise=ent, from_status=EnterpriseStatus.ACTIVE, to_status=ent.status,
            effective_on=effective, reason=STATUS_REASONS[ent.status],
        ))
    EnterpriseStatusChange.objects.bulk_create(changes, batch_size=BATCH)
    by_pk = {c.enterprise.pk: c.effective_on for c in changes}
    updates = [Enterprise(pk=pk, status_since=day) for pk, day in by_pk.items()]
    Enterprise.objects.bulk_update(updates, ["status_since"], batch_size=BATCH)


def seed(ctx) -> str:
    org = build_org(ctx)
    enterprises = build_enterprises(ctx, org)
    from enterprises.duties.warehouses_demo import seed as seed_contracts_warehouses  # 委托生产, 异地设库

    duties = seed_contracts_warehouses(ctx)
    return (f"{Unit.objects.count()} 个监管单位，{Subdistrict.objects.count()} 个街道/镇，"
            f"{User.objects.count()} 个用户，{len(enterprises)} 家企业，{Licence.objects.count()} 张证照；{duties}")
