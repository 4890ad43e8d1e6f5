from django import template

from cchc.core.audit_labels import action_label

register = template.Library()


@register.filter(name="audit_action")
def audit_action(code: str) -> str:
    return action_label(code)
