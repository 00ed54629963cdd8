"""Forms of the nomination pages: a new nomination, its edit, a dossier file, a transition's input.

They validate what a person typed; the services decide what is allowed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from nominations.models import Award, Campaign, CouncilSession, DossierFile, Person, Rating
from workflow.base.inputs import InputForm, ObjectChoiceField
from workflow.process.transitions import TransitionSpec
from workflow.views.uploads import check_upload, file_input_attrs
from workflow.web.dates import DayMonthYearField

FILE_KINDS = [k for k in DossierFile.Kind if k != DossierFile.Kind.OTHER]


def _initiatives(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class NominationEditForm(InputForm):
    """What a draft's dossier says of the nominee: the summary, the rating, the initiatives (one a line).
    Creating a nomination asks the same, after whom and for what (`NominationForm`)."""

    summary = forms.CharField(label=_("Tóm tắt thành tích"), widget=forms.Textarea(attrs={"rows": 5}))
    rating = forms.ChoiceField(
        label=_("Xếp loại hoàn thành nhiệm vụ"), choices=[("", "—"), *Rating.choices], required=False
    )
    initiatives = forms.CharField(
        label=_("Sáng kiến, đề tài được công nhận (mỗi dòng một tên)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def initiative_titles(self) -> list[str]:
        return _initiatives(self.cleaned_data.get("initiatives") or "")


class NominationForm(NominationEditForm):
    """Creating a nomination: the nominee of my unit, the award, the campaign, the dossier files."""

    campaign = ObjectChoiceField(queryset=Campaign.objects.none(), label=_("Phong trào thi đua"))
    award = ObjectChoiceField(queryset=Award.objects.all(), label=_("Danh hiệu, hình thức khen thưởng"))
    nominee = forms.ChoiceField(label=_("Đối tượng được đề nghị"))
    # A subclass's own fields come after its base's: whom and for what come first on the page.
    field_order = ["campaign", "award", "nominee", "summary", "rating", "initiatives"]

    def __init__(self, *args: Any, user: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = user.unit
        campaigns = Campaign.objects.all()
        if unit is not None:
            campaigns = campaigns.filter(Q(units=unit) | Q(units__isnull=True)).distinct()
        campaign_field = self.fields["campaign"]
        assert isinstance(campaign_field, forms.ModelChoiceField)
        campaign_field.queryset = campaigns.order_by("-ends_on", "kind", "name")
        # People first: most awards are individual, so the first choice (the default) is a person; the
        # unit itself is its own group below them.
        choices: list[Any] = []
        if unit is not None:
            people = [
                (f"person:{p.pk}", p.get_full_name())
                for p in Person.objects.filter(unit=unit, is_active=True).order_by("full_name")
            ]
            if people:
                choices.append((_("Cá nhân"), people))
            choices.append(
                (_("Tập thể"), [(f"unit:{unit.pk}", _("Tập thể: %(unit)s") % {"unit": unit.name})])
            )
        nominee_field = self.fields["nominee"]
        assert isinstance(nominee_field, forms.ChoiceField)
        nominee_field.choices = choices
        for kind in FILE_KINDS:
            self.fields[f"file_{kind}"] = forms.FileField(
                label=DossierFile.Kind(kind).label,
                required=False,
                widget=forms.ClearableFileInput(attrs=file_input_attrs()),
            )
        self.user = user

    def file_fields(self) -> list[Any]:
        return [self[f"file_{kind}"] for kind in FILE_KINDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in FILE_KINDS:
            upload = data.get(f"file_{kind}")
            if upload:
                try:
                    check_upload(upload)
                except forms.ValidationError as error:
                    self.add_error(f"file_{kind}", error)
        return data

    def nominee_kwargs(self) -> dict[str, Any]:
        kind, _sep, pk = self.cleaned_data["nominee"].partition(":")
        if kind == "unit":
            return {"nominee_unit": self.user.unit, "nominee_person": None}
        return {"nominee_person": Person.objects.get(pk=int(pk)), "nominee_unit": None}

    def uploads(self) -> list[tuple[str, UploadedFile]]:
        return [(k, self.cleaned_data[f"file_{k}"]) for k in FILE_KINDS if self.cleaned_data.get(f"file_{k}")]


class DossierFileForm(InputForm):
    kind = forms.ChoiceField(label=_("Loại tài liệu"), choices=DossierFile.Kind.choices)
    file = forms.FileField(label=_("Tệp"))

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class TransitionForm(InputForm):
    """The input one transition needs: a comment (required when the transition needs a reason) and its fields."""

    comment = forms.CharField(
        label=_("Ý kiến, lý do"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

    def __init__(self, *args: Any, spec: TransitionSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.needs_comment:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Lý do (bắt buộc)")
        for name in spec.fields:
            self.fields[name] = _FIELD_FACTORIES[name]()
        session_field = self.fields.get("session")
        if isinstance(session_field, forms.ModelChoiceField):
            session_field.queryset = open_sessions()

    def params(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if "granted" in data:
            data["granted"] = data["granted"] == "yes"
        return data


def open_sessions() -> QuerySet[CouncilSession]:
    return CouncilSession.objects.exclude(state=CouncilSession.State.CLOSED).order_by("date", "pk")


_FIELD_FACTORIES: dict[str, Any] = {
    "score": lambda: forms.DecimalField(
        label=_("Điểm thẩm định (0–100)"), min_value=0, max_value=100, decimal_places=2, max_digits=5
    ),
    "assessment": lambda: forms.CharField(
        label=_("Ý kiến thẩm định"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    ),
    "session": lambda: ObjectChoiceField(
        queryset=CouncilSession.objects.none(), label=_("Phiên họp Hội đồng")
    ),
    "decision_number": lambda: forms.CharField(label=_("Số quyết định"), max_length=60),
    "decision_date": lambda: DayMonthYearField(label=_("Ngày quyết định"), initial=datetime.date.today),
    "submission_number": lambda: forms.CharField(label=_("Số tờ trình cấp trên"), max_length=60),
    "granted": lambda: forms.ChoiceField(
        label=_("Kết quả của cấp trên"),
        choices=[("yes", _("Được khen thưởng")), ("no", _("Không được khen thưởng"))],
        widget=forms.RadioSelect,
    ),
}
