"""The enterprise page's panel of 委托生产 pairs and 异地设库 warehouses (one include line in the registry page)."""

from django import template

from enterprises.duties.warehouses_selectors import pairs_of_enterprise, warehouses_of_enterprise

register = template.Library()


@register.simple_tag(takes_context=True)
def enterprise_contracts_warehouses(context, enterprise) -> dict:
    """Pairs and warehouses of ``enterprise`` as the signed-in user may see them."""
    user = context["request"].user
    return {"pairs": pairs_of_enterprise(enterprise=enterprise, user=user),
            "warehouses": warehouses_of_enterprise(enterprise=enterprise, user=user)}
