"""Form widgets shared by the apps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


class VietnameseDateInput(forms.DateInput):
    """A text field in dd/mm/yyyy whatever the browser's language (a native date picker follows
    the browser's locale and shows mm/dd/yyyy on English systems)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
            "autocomplete": "off",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


class VietnameseDateField(forms.DateField):
    widget = VietnameseDateInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault(
            "error_messages", {"invalid": "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/11/2026."}
        )
        super().__init__(*args, **kwargs)


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in labelled groups, with a filter box and "select all" per group
    (cchc/core/static/cchc/app.js) — usable with a hundred communes, unlike a multi-select."""

    template_name = "core/widgets/grouped_checkboxes.html"
    option_template_name = "django/forms/widgets/checkbox_option.html"


class UnitsField(forms.MultipleChoiceField):
    """Choose units from a queryset, shown grouped by kind; cleans to a list of Unit objects."""

    widget = GroupedCheckboxes

    def set_units(self, units: Iterable[Any], group_of: Callable[[Any], str]) -> None:
        self.units = {str(u.pk): u for u in units}
        groups: dict[str, list[tuple[str, str]]] = {}
        for u in self.units.values():
            groups.setdefault(group_of(u), []).append((str(u.pk), u.body_name))
        self.choices = list(groups.items())

    def clean(self, value: Any) -> list[Any]:
        return [self.units[key] for key in super().clean(value)]

    def prepare_value(self, value: Any) -> list[str]:
        if value is None:
            return []
        return [str(getattr(v, "pk", v)) for v in value]
