"""{% expired_licence_of enterprise as warning %}: the 证照已过期 flag of one enterprise (``enterprises.duties.expiry``)."""

from django import template

from enterprises.duties.expiry import enterprise_expired_licence

register = template.Library()


@register.simple_tag
def expired_licence_of(enterprise):
    return enterprise_expired_licence(enterprise if getattr(enterprise, "pk", None) else None)
