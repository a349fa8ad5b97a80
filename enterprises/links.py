"""The supply-chain links (生产/经营/配送/使用 …) as enterprise filters — defined once.

Report rows, grading criteria and plan targets select enterprises by a link plus product tags;
they all call ``link_q`` so a link means the same everywhere.
"""

from django.db.models import Q

from enterprises.choices import Link

LINK_FILTERS: dict[str, Q] = {
    Link.MANUFACTURE: Q(is_manufacturer=True),
    Link.OPERATION: Q(is_operator=True),
    # 集采中选产品配送单位: operating enterprises that deliver centrally procured products.
    Link.DELIVERY: Q(is_operator=True, is_vbp_distributor=True),
    Link.USE: Q(is_user_unit=True),
    # 医疗器械注册人委托生产 / 注册人: registrants that entrust production to others.
    Link.REGISTRANT: Q(is_registrant=True, entrusts_production=True),
    Link.CONTRACT_MANUFACTURER: Q(is_contract_manufacturer=True),
    Link.ONLINE_SALES: Q(is_online_seller=True),
    Link.PLATFORM: Q(is_platform=True),
}


def link_q(link: str | None, prefix: str = "") -> Q:
    """Filter for enterprises in ``link``; ``prefix`` (e.g. "enterprise__") for related models.

    An empty link selects every enterprise.
    """
    if not link:
        return Q()
    base = LINK_FILTERS[Link(link)]
    if not prefix:
        return base
    return Q(**{f"{prefix}{key}": value for key, value in base.children})
