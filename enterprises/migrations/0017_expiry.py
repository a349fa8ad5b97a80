# Slot kept for one piece of issue 12, so that pieces built side by side chain in one order.
# expiry: the 事权划分 role "停产的医疗器械生产企业" (checked by the 所 of its 街道/镇 while stopped), its rule
# in front of the manufacturer rule, and stopped manufacturers moved to their 所.
from django.db import migrations, models
from django.db.models import Q

RULE_NOTE = "鹿城计划三(一)：停产期间的生产企业由所在街道/镇的监管所负责检查，复产后回归药械科"


def add_stopped_manufacturer_rule(apps, schema_editor):
    OwnershipRule = apps.get_model("enterprises", "OwnershipRule")
    Enterprise = apps.get_model("enterprises", "Enterprise")
    rules = list(OwnershipRule.objects.order_by("priority"))
    if not rules or any(r.role == "stopped_manufacturer" for r in rules):
        return  # an empty registry gets its rules from the demo/setup; never twice
    manufacturer = next((r for r in rules if r.role == "manufacturer"), rules[0])
    taken = {r.priority for r in rules}
    free = [p for p in range(manufacturer.priority - 1, 0, -1) if p not in taken]
    if free:
        priority = free[0]
    else:  # no gap in front: make one by moving every rule up by one
        for rule in sorted(rules, key=lambda r: -r.priority):
            if rule.priority >= manufacturer.priority:
                rule.priority += 1
                rule.save(update_fields=["priority"])
        priority = manufacturer.priority
    OwnershipRule.objects.create(priority=priority, role="stopped_manufacturer", target="subdistrict_station",
                                 note=RULE_NOTE)
    stopped = Enterprise.objects.filter(
        Q(is_manufacturer=True) | Q(is_registrant=True) | Q(is_contract_manufacturer=True),
        status="production_stopped", owning_unit_override_reason="", subdistrict__isnull=False,
    ).select_related("subdistrict")
    for enterprise in stopped:
        if enterprise.owning_unit_id != enterprise.subdistrict.unit_id:
            enterprise.owning_unit_id = enterprise.subdistrict.unit_id
            enterprise.save(update_fields=["owning_unit"])


def remove_stopped_manufacturer_rule(apps, schema_editor):
    apps.get_model("enterprises", "OwnershipRule").objects.filter(role="stopped_manufacturer").delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0016_zombies")]

    operations = [
        migrations.AlterField(
            model_name="ownershiprule",
            name="role",
            field=models.CharField(
                choices=[
                    ("stopped_manufacturer", "停产的医疗器械生产企业"),
                    ("manufacturer", "医疗器械生产企业（含注册人、受托生产）"),
                    ("hospital", "医院类医疗机构"),
                    ("remote_warehouse", "异地设库企业"),
                    ("operator", "经营企业"),
                    ("non_hospital_institution", "非医院类医疗机构"),
                    ("online_seller", "网络销售企业"),
                    ("platform", "网络交易服务第三方平台"),
                    ("any", "其他（兜底）"),
                ],
                max_length=30,
                verbose_name="企业类别",
            ),
        ),
        migrations.RunPython(add_stopped_manufacturer_rule, remove_stopped_manufacturer_rule),
    ]
