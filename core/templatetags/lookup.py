"""Reading a dictionary by a key the template holds in a variable."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key):
    """`{{ mapping|get:key }}`: the value under key, or "" when there is none."""
    return mapping.get(key, "")
