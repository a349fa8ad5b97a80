"""factory_boy factories for the registry; other apps' factories build on these."""

import factory
from django.contrib.auth.hashers import make_password

from enterprises.choices import EnterpriseStatus, LicenceKind, Role, SubdistrictKind, UnitKind
from enterprises.models import Enterprise, Licence, Subdistrict, Tag, Unit, User
from enterprises.validators import credit_code_check_char

TEST_PASSWORD = "pw-test-12345"
_HASHED_TEST_PASSWORD = make_password(TEST_PASSWORD)


def make_credit_code(n: int, region: str = "330302") -> str:
    """A valid 统一社会信用代码 for serial ``n`` (9 = 工商, 1 = 企业)."""
    body = f"91{region}{n:09d}"[:17]
    body = body.replace("I", "1")
    return body + credit_code_check_char(body)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试第{n}市场监管所")
    short_name = factory.LazyAttribute(lambda o: o.name.replace("市场监管所", "所"))
    kind = UnitKind.STATION
    code = factory.Sequence(lambda n: f"U{n:04d}")
    sort_order = factory.Sequence(lambda n: n)


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict

    name = factory.Sequence(lambda n: f"测试{n}街道")
    kind = SubdistrictKind.STREET
    code = factory.Sequence(lambda n: f"330302{n:06d}")
    unit = factory.SubFactory(UnitFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"检查员{n}")
    password = _HASHED_TEST_PASSWORD
    unit = factory.SubFactory(UnitFactory)
    role = Role.STATION_STAFF
    enforcement_cert_no = factory.Sequence(lambda n: f"浙执{330300 + n:08d}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.Sequence(lambda n: f"标签{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"温州测试医疗器械有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1))
    subdistrict = factory.SubFactory(SubdistrictFactory)
    owning_unit = factory.LazyAttribute(lambda o: o.subdistrict.unit)
    status = EnterpriseStatus.ACTIVE
    is_operator = True
    legal_representative = "张三"
    phone = "0577-88880000"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = LicenceKind.OPERATION_FILING
    number = factory.Sequence(lambda n: f"浙温药监械经营备{20240000 + n}号")
    issuer = "温州市市场监督管理局"


# ---------------------------------------------------------------- warehouses: 委托生产 pairs, 异地设库 (issue 12)


class PairFactory(factory.django.DjangoModelFactory):
    """A pair; pass ``registrant=``/``manufacturer=`` (registry entries) or leave one out for an outside side."""

    class Meta:
        model = "enterprises.ContractManufacturing"

    registrant = None
    manufacturer = None
    registrant_name = factory.LazyAttribute(lambda o: o.registrant.name if o.registrant else "上海某医疗科技有限公司")
    manufacturer_name = factory.LazyAttribute(lambda o: o.manufacturer.name if o.manufacturer else "苏州某医疗器械有限公司")
    product = factory.Sequence(lambda n: f"一次性使用无菌注射器{n}")
    registration_number = factory.Sequence(lambda n: f"浙械注准2023214{n:04d}")
    cross_region = factory.LazyAttribute(lambda o: o.registrant is None or o.manufacturer is None)
    other_region = factory.LazyAttribute(lambda o: "" if o.registrant and o.manufacturer else "江苏省苏州市")


class WarehouseFactory(factory.django.DjangoModelFactory):
    """An 异地设库 warehouse in ``subdistrict``, supervised daily by that 街道's 所."""

    class Meta:
        model = "enterprises.Warehouse"

    subdistrict = factory.SubFactory(SubdistrictFactory)
    enterprise = factory.SubFactory(EnterpriseFactory, subdistrict=factory.SelfAttribute("..subdistrict"),
                                    is_remote_warehouse=True, name=factory.Sequence(lambda n: f"某医药物流温州仓库{n}"))
    home_name = "杭州某医药有限公司"
    home_licence_no = "浙杭药监械经营许20190001号"
    home_bureau = "杭州市市场监督管理局"
    address = factory.Sequence(lambda n: f"温州市鹿城区某路{n}号")
    daily_unit = factory.LazyAttribute(lambda o: o.subdistrict.unit)
