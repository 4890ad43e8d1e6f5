"""Forms of the processing desk: hand the dossier on to the next step (optionally to a named
officer), send it back one step with a reason."""

from __future__ import annotations

from django import forms

from cchc.orgs.models import User

from .forms import HandoverForm


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}{' — ' + obj.position if obj.position else ''}"


class AssignHandoverForm(HandoverForm):
    """The hand-over with the officer who will hold the next step (empty: the unit)."""

    to_user = UserChoiceField(
        label="Giao cho cán bộ",
        queryset=User.objects.none(),
        required=False,
        empty_label="— Không giao đích danh (cả đơn vị) —",
        help_text="Người được giao phải có vai trò bước tiếp theo yêu cầu (lãnh đạo cho bước ký duyệt).",
    )

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["to_user"].queryset = users


class SendBackForm(forms.Form):
    reason = forms.CharField(label="Lý do trả lại", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
