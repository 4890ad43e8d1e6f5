"""Template helpers of the targets app, usable by other apps' templates (the plan's target form
shows the suggested indicator with a confirm button)."""

from django import template

from cchc.core.indicator_sources import source_of
from cchc.orgs.access import Access

from ..models import binding_of
from ..suggest import suggest_target

register = template.Library()


@register.inclusion_tag("targets/_target_suggestion.html", takes_context=True)
def target_suggestion(context, target):
    """What measures ``target``: its confirmed indicator, else the system's suggestion."""
    request = context.get("request")
    user = getattr(request, "user", None)
    binding = binding_of(target)
    suggestion = suggest_target(target)
    return {
        "target": target,
        "binding": binding,
        "bound": source_of(binding.indicator, binding.measured_unit or target.plan.issuer)
        if binding.indicator
        else None,
        "suggestion": suggestion,
        "suggested": source_of(suggestion.code) if suggestion.code else None,
        "can_bind": user is not None and Access.for_user(user).can_manage_unit(target.plan.issuer),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
    }
