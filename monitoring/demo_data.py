"""Invented but realistic material for the AE demo (``monitoring.demo``) and the sample export.

Products are the kinds of device that fill a district's AE reports (syringes, infusion sets, masks,
glucose meters, contact lenses …) with their class, their classification-catalogue code (2017 目录:
07 诊察监护, 08 呼吸麻醉急救, 13 无源植入, 14 注输护理防护, 16 眼科, 17 口腔, 18 妇产科, 22 临床检验) and
short 事件陈述 in the wording of real reports. Registrant names outside the district are invented
(no real company is named). Registration numbers follow the certificate shape (domain.md §2.2):
``国械注准`` + year + class + catalogue code + serial for class III and imports (``国械注进``),
``浙械注准``/``苏械注准``… for class II, ``浙温械备…号`` for a class I filing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .choices import EventOutcome

# Reporter categories a product is reported by (derived from the registry, see demo.reporter_category).
HOSPITAL = "hospital"
PRIMARY = "primary"  # clinics, health centres, nursing homes
AESTHETIC = "aesthetic"
DENTAL = "dental"
PHARMACY = "pharmacy"
OPTICAL = "optical"
WHOLESALE = "wholesale"
PERSON = "person"
CARE = frozenset({HOSPITAL, PRIMARY})


@dataclass(frozen=True)
class Product:
    """A device kind that turns up in AE reports."""

    key: str
    name: str
    device_class: int
    catalogue: str  # 2017 classification-catalogue code (two digits)
    specs: tuple[str, ...]
    who: frozenset[str]  # reporter categories
    weight: float
    events: tuple[tuple[str, str], ...]  # (outcome, 事件陈述)
    makers: tuple[tuple[str, str], ...]  # registrants outside the district: (name, province abbreviation or "进")
    local_tags: frozenset[str] = field(default_factory=frozenset)  # a local registrant with one of these makes it


OTHER, SERIOUS = EventOutcome.OTHER, EventOutcome.SERIOUS

PRODUCTS: tuple[Product, ...] = (
    Product(
        "syringe", "一次性使用无菌注射器 带针", 3, "14",
        ("1ml 0.45×16RWLB", "5ml 0.7×32TWLB", "10ml 0.8×38TWLB", "20ml 1.2×38TWLB"), CARE, 14,
        ((OTHER, "护士配药时发现注射器针头与针座连接处松动，推注时药液自连接处渗出，立即更换注射器，未对患者造成伤害。"),
         (OTHER, "使用前检查发现单包装内注射器芯杆胶塞脱落，活塞无法回抽，该支未使用，同批次产品暂停使用并封存。"),
         (OTHER, "注射时针尖有毛刺，患者诉进针疼痛明显，局部少量渗血，按压后止血，患者无其他不适。"),
         (SERIOUS, "患者肌注过程中针头自针座处折断，约1cm针体残留于臀部肌层，经外科切开取出，伤口缝合后观察3天出院。")),
        (("江西康泰医疗器械有限公司", "赣"), ("山东瑞安医用制品有限公司", "鲁"), ("江苏华宁医疗器械有限公司", "苏")),
        frozenset({"sterile"}),
    ),
    Product(
        "infusion", "一次性使用输液器 带针", 3, "14", ("0.55×20TWLB", "0.7×25TWLB 精密过滤"), CARE, 14,
        ((OTHER, "输液约20分钟后患者出现寒战、发热（体温38.6℃），立即停止输液，更换输液器及药液，给予对症处理后症状缓解。"),
         (OTHER, "输液过程中发现滴斗与导管连接处渗漏，及时更换输液器，未对患者造成伤害。"),
         (OTHER, "流量调节器失灵，无法控制滴速，发现后立即更换输液器，患者未诉不适。"),
         (SERIOUS, "患儿输液约15分钟后出现寒战、高热（39.8℃）、呼吸急促，立即停止输液并抢救，收住院治疗3天后好转出院。")),
        (("河南佳康卫材有限公司", "豫"), ("江西康泰医疗器械有限公司", "赣"), ("山东瑞安医用制品有限公司", "鲁")),
        frozenset({"sterile"}),
    ),
    Product(
        "cannula", "一次性使用静脉留置针", 3, "14", ("22G 0.9×25mm", "24G 0.7×19mm"), CARE, 8,
        ((OTHER, "留置针置入后第2天穿刺部位出现红肿、疼痛，拔除后局部湿热敷，3天后消退。"),
         (OTHER, "穿刺时导管尖端卷边无法送入血管，更换留置针后穿刺成功，患者无不适。"),
         (SERIOUS, "拔除留置针时发现导管断裂，约2cm导管残留于前臂静脉内，经血管外科手术取出。")),
        (("江苏华宁医疗器械有限公司", "苏"), ("广东康舒医疗用品有限公司", "粤")),
        frozenset({"sterile"}),
    ),
    Product(
        "catheter", "一次性使用无菌导尿管", 2, "14", ("双腔 F16", "双腔 F18"), CARE, 3,
        ((OTHER, "留置导尿第3天球囊无法抽瘪，导尿管无法拔出，经泌尿外科剪断充盈管后拔出，尿道少量出血。"),
         (OTHER, "插管后发现导尿管侧孔处有毛边，患者诉尿道刺痛，更换导尿管后缓解。")),
        (("广东康舒医疗用品有限公司", "粤"), ("江苏华宁医疗器械有限公司", "苏")),
        frozenset({"sterile"}),
    ),
    Product(
        "iv_dressing", "医用输液贴", 2, "14", ("6cm×7cm", "4.5cm×6cm"), CARE, 3,
        ((OTHER, "患者粘贴输液贴约6小时后局部皮肤出现水疱、瘙痒，停用后外涂药膏好转。"),),
        (("浙江瓯康医疗器械有限公司", "浙"),),
        frozenset({"sterile", "protective"}),
    ),
    Product(
        "suction", "一次性使用吸痰管", 2, "08", ("F12", "F14"), frozenset({HOSPITAL}), 2,
        ((OTHER, "吸痰管侧孔边缘粗糙，吸痰后患者痰中带血丝，更换其他批次后未再出现。"),),
        (("江苏华宁医疗器械有限公司", "苏"),),
        frozenset({"sterile"}),
    ),
    Product(
        "surgical_mask", "医用外科口罩", 2, "14", ("17.5cm×9.5cm 挂耳式", "灭菌型 平面型"),
        frozenset({HOSPITAL, PRIMARY, PHARMACY, WHOLESALE, PERSON}), 8,
        ((OTHER, "佩戴约2小时后面部与口罩接触部位出现红疹、瘙痒，停止佩戴并外用炉甘石洗剂后消退。"),
         (OTHER, "使用中发现口罩耳带与口罩体焊接处脱落，更换后正常使用，未造成伤害。")),
        (("湖北仙润防护用品有限公司", "鄂"), ("浙江永安医用防护用品有限公司", "浙")),
        frozenset({"mask", "protective"}),
    ),
    Product(
        "gloves", "一次性使用医用橡胶检查手套", 2, "14", ("中号（M） 无粉", "小号（S） 有粉"),
        frozenset({HOSPITAL, PRIMARY, DENTAL}), 5,
        ((OTHER, "医务人员佩戴后双手出现红斑、瘙痒，停用后2日好转。"),
         (OTHER, "佩戴时手套指端多处破裂，更换其他批次后正常。")),
        (("山东蓝泰防护用品有限公司", "鲁"),),
        frozenset({"protective"}),
    ),
    Product(
        "glucose_meter", "血糖仪", 2, "22", ("GM-550 家用型", "GA-3型"),
        frozenset({PHARMACY, WHOLESALE, PRIMARY, PERSON}), 7,
        ((OTHER, "顾客反映血糖仪测量值与医院静脉血检测结果相差约30%，门店用质控液复测结果超出范围，已停止销售该批次。"),
         (OTHER, "开机后屏幕显示“E-3”错误代码，更换电池后仍无法使用，已为顾客退换。")),
        (("江苏瑞糖生物科技有限公司", "苏"), ("湖南康测医疗科技有限公司", "湘")),
        frozenset({"ivd"}),
    ),
    Product(
        "glucose_strip", "血糖试条（葡萄糖氧化酶法）", 2, "22", ("50条/盒",), frozenset({PHARMACY, PRIMARY, PERSON}), 4,
        ((OTHER, "同一血样两次测量结果相差3.2mmol/L，更换同型号其他批次试条后结果一致。"),),
        (("江苏瑞糖生物科技有限公司", "苏"),),
        frozenset({"ivd"}),
    ),
    Product(
        "bp_monitor", "电子血压计", 2, "07", ("上臂式 BP-860", "腕式 BP-W12"),
        frozenset({PHARMACY, WHOLESALE, PRIMARY, PERSON}), 5,
        ((OTHER, "患者使用该血压计测得收缩压182mmHg，门诊水银血压计复测为146mmHg，偏差较大，已停用。"),
         (OTHER, "袖带充气后无法自动放气，患者手臂麻木，手动拔下气管后缓解。")),
        (("广东康柏电子医疗有限公司", "粤"), ("江苏益寿医疗器械有限公司", "苏")),
    ),
    Product(
        "thermometer", "医用电子体温计", 2, "07", ("笔式 MT-101",), frozenset({PHARMACY, PRIMARY, PERSON}), 3,
        ((OTHER, "测温读数较水银体温计低1.2℃，家长未及时发现患儿发热，复测后就诊，未造成严重后果。"),),
        (("深圳康温电子科技有限公司", "粤"),),
    ),
    Product(
        "oximeter", "脉搏血氧仪", 2, "07", ("指夹式 PO-30",), frozenset({PHARMACY, PRIMARY, PERSON}), 2,
        ((OTHER, "指夹式血氧仪测得血氧饱和度85%，医院复测为97%，读数偏差大，已退货。"),),
        (("深圳康测医疗电子有限公司", "粤"),),
        frozenset({"oximeter"}),
    ),
    Product(
        "oxygen", "医用分子筛制氧机", 2, "08", ("3L/min", "5L/min"), frozenset({PHARMACY, WHOLESALE, PERSON}), 2,
        ((OTHER, "制氧机使用中氧浓度报警，实测出氧浓度约60%，患者感胸闷，改用氧气瓶后缓解。"),),
        (("江苏康氧医疗设备有限公司", "苏"),),
        frozenset({"oxygen-concentrator"}),
    ),
    Product(
        "soft_lens", "软性亲水接触镜", 3, "16", ("月抛 -3.00D", "日抛 -4.50D", "彩色 年抛 -2.00D"),
        frozenset({OPTICAL, HOSPITAL, PERSON}), 6,
        ((OTHER, "顾客佩戴约一周后出现双眼发红、异物感，到医院诊断为结膜炎，停戴并滴用抗生素眼液后好转。"),
         (OTHER, "镜片取出时发现边缘破损，顾客诉佩戴时眼部刺痛，停戴后缓解。"),
         (SERIOUS, "患者佩戴彩色接触镜过夜后右眼剧痛、视物模糊，诊断为细菌性角膜炎，住院治疗10天，右眼视力下降。")),
        (("上海晶瞳光学有限公司", "国"), ("江苏明眸视光科技有限公司", "国"), ("瑞视光学（新加坡）有限公司", "进")),
        frozenset({"contact-lens"}),
    ),
    Product(
        "ortho_k", "角膜塑形用硬性透气接触镜", 3, "16", ("VST设计 -3.50D", "VST设计 -2.75D"),
        frozenset({HOSPITAL, OPTICAL}), 3,
        ((OTHER, "患儿戴镜后晨起角膜荧光素染色见点状着染，停戴3天后恢复，重新验配。"),
         (SERIOUS, "患儿戴镜期间出现右眼红痛、畏光，诊断为角膜溃疡，住院治疗两周，遗留角膜薄翳。")),
        (("浙江视界光学科技有限公司", "国"),),
        frozenset({"myopia"}),
    ),
    Product(
        "ha_gel", "注射用修饰透明质酸钠凝胶", 3, "13", ("1.0ml/支",), frozenset({AESTHETIC}), 2,
        ((OTHER, "注射后次日填充部位红肿、硬结，给予透明质酸酶溶解及抗过敏治疗后消退。"),
         (SERIOUS, "鼻部注射后即刻出现局部皮肤发白、疼痛，考虑血管栓塞，立即注射透明质酸酶并转诊上级医院治疗，局部遗留瘢痕。")),
        (("上海美颐生物科技有限公司", "国"),),
        frozenset({"aesthetic-ha-gel"}),
    ),
    Product(
        "denture", "定制式固定义齿", 2, "17", ("烤瓷冠", "全瓷冠"), frozenset({DENTAL}), 2,
        ((OTHER, "戴牙一周后烤瓷冠唇侧崩瓷，患者无疼痛，已重新制作。"),
         (OTHER, "患者戴牙后牙龈红肿、咬合不适，调磨后症状缓解。")),
        (("浙江瓯齿义齿有限公司", "浙"),),
        frozenset({"custom-denture"}),
    ),
    Product(
        "condom", "天然胶乳橡胶避孕套", 2, "18", ("52mm 光面",), frozenset({PHARMACY, PERSON}), 1,
        ((OTHER, "消费者反映使用中避孕套破裂，已退货并告知其采取补救措施。"),),
        (("青岛双安乳胶制品有限公司", "鲁"),),
        frozenset({"condom"}),
    ),
    Product(
        "swab", "医用棉签", 1, "14", ("10cm 50支/包",), frozenset({PRIMARY, PHARMACY}), 1,
        ((OTHER, "使用时棉签头脱落残留于外耳道，经耳鼻喉科门诊取出，未造成损伤。"),),
        (("温州康洁卫生材料有限公司", "浙温"),),
        frozenset({"protective"}),
    ),
    Product(
        "cap", "一次性使用医用帽", 1, "14", ("圆帽 均码",), frozenset({HOSPITAL, PRIMARY}), 1,
        ((OTHER, "帽体松紧带处缝合开裂，佩戴中脱落，更换后未影响操作。"),),
        (("浙江永安医用防护用品有限公司", "浙温"),),
        frozenset({"protective"}),
    ),
)
PRODUCT_BY_KEY = {p.key: p for p in PRODUCTS}

# The one death of the demo year: a ventilator failure in an ICU (never drawn at random).
VENTILATOR = Product(
    "ventilator", "有创呼吸机", 3, "08", ("ICU型 V60",), frozenset(), 0,
    ((EventOutcome.DEATH,
      "患者因重症肺炎入住ICU行有创机械通气，使用中呼吸机突发“气源压力低”报警并停止送气，医护人员立即改用简易"
      "呼吸器人工通气，患者血氧饱和度持续下降，经抢救无效死亡。涉事设备已封存，通知注册人到场调查。"),),
    (("广东瑞康生命科技有限公司", "国"),),
)

# The cluster: the classic pyrogen-like reaction to one batch of infusion sets.
CLUSTER_TEXT = "输液约{minutes}分钟后患者出现寒战、发热（体温{temp}℃），立即停止输液，更换输液器及药液，对症处理后缓解。"

# 评价 of serious reports already closed (opinion, causality, measures), drawn in turn.
CLOSED_OPINIONS = (
    ("经调查，使用单位按说明书操作，留样产品送检结果符合标准；结合临床表现，不排除与产品有关，属个例。", "possible",
     "督促注册人开展原因分析并加强出厂检验；使用单位加强使用前检查。"),
    ("患者未按要求清洁护理镜片、护理液过期使用，产品检验合格，同批次无同类报告，不良后果与使用不当关系更大。",
     "unlikely", "督促验配机构加强佩戴者护理指导，企业补充风险提示。"),
    ("事件表现与产品已知风险一致，同批次另有1例类似报告，产品与事件很可能有关。", "probable",
     "约谈注册人，要求对该批次产品开展风险评估并主动召回；跟踪召回进展。"),
)

# Reporting units the registry does not know (the unmatched queue); one more is a near-miss of a hospital.
UNKNOWN_REPORTERS = (  # (name, 街道/镇 in the export, reporter kind, reporter category)
    ("温州鹿城滨江社区卫生服务站", "滨江街道", "use", PRIMARY),
    ("温州市鹿城区南郊街道卫生院", "南郊街道", "use", PRIMARY),
    ("温州瓯康药店", "", "operation", PHARMACY),
)

# Training courses of the demo year (month, day, topic, location, who attends).
TRAININGS = (
    (3, 26, "医疗器械注册人不良事件监测主体责任培训", "区市场监督管理局三楼会议室", "registrants"),
    (9, 17, "医疗机构可疑医疗器械不良事件报告业务培训", "温州市鹿城区卫生健康局报告厅", "care"),
)
