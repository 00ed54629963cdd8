"""Forms of the decisions pages. They check the shape of the input; the services check everything else."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nominations import roles
from nominations.models import DEFAULT_REPORT_RECIPIENTS, Addressee, AwardMethod, Campaign, Person, Role
from workflow.base.inputs import InputForm, ObjectChoiceField
from workflow.web.dates import DayMonthYearField


def signers() -> QuerySet[Person]:
    return (
        Person.objects.filter(is_active=True, groups__name__in=[Role.DIRECTOR, Role.DEPUTY_DIRECTOR])
        .distinct()
        .order_by("username")
    )


class _DocumentForm(InputForm):
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("ví dụ 12/QĐ-CTK")}),
    )
    date = DayMonthYearField(label=_("Ngày ký"), initial=datetime.date.today)
    signer = ObjectChoiceField(label=_("Người ký"), queryset=Person.objects.none())

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = signers()
        if user is not None and user.is_authenticated and not self.is_bound:
            if roles.is_decider(user):
                field.initial = user.pk
            else:
                field.initial = (
                    signers().filter(groups__name=Role.DIRECTOR).values_list("pk", flat=True).first()
                )


class DecisionIssueForm(_DocumentForm):
    # Blank: as the campaign (the annual plan's awards are thường xuyên, a movement's chuyên đề).
    method = forms.ChoiceField(
        label=_("Phương thức khen thưởng"),
        choices=[("", _("Theo phong trào (thường xuyên hoặc chuyên đề)")), *AwardMethod.choices],
        required=False,
    )
    comment = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)


class SubmissionForm(_DocumentForm):
    addressee = forms.ChoiceField(label=_("Kính gửi"), choices=Addressee.choices)
    addressee_name = forms.CharField(
        label=_("Tên cơ quan nhận (để trống: tên mặc định)"), required=False, max_length=200
    )


class ReasonForm(InputForm):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OutcomeForm(InputForm):
    granted = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("true", _("Được khen thưởng")), ("false", _("Không được khen thưởng"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    decision_number = forms.CharField(label=_("Số quyết định / văn bản của cấp trên"), max_length=60)
    decision_date = DayMonthYearField(label=_("Ngày"), required=False)


class ReportForm(_DocumentForm):
    campaign = ObjectChoiceField(label=_("Phong trào, đợt thi đua"), queryset=Campaign.objects.none())
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="\n".join(DEFAULT_REPORT_RECIPIENTS),
        max_length=2000,
    )

    field_order = ["campaign", "number", "date", "signer", "recipients"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Campaign.objects.order_by("kind", "starts_on", "name")
