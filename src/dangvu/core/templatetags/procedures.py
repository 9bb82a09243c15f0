from django import template
from django.utils.safestring import mark_safe

from dangvu.core import procedures

register = template.Library()


@register.simple_tag
def procedure(slug: str, org=None):
    """`{% procedure "hop-nhat-sap-nhap" org %}`: the link to the procedure's page in the handbook the organisation
    reads (or nothing)."""
    return mark_safe(procedures.link(slug, org))  # noqa: S308  (the resolver escapes with format_html)
