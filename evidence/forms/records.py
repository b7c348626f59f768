"""Forms for a unit's records: meetings and their agenda, people and target
groups, KM activities, knowledge topics and their renames.

Every picker offers only the unit's own rows; a forged id of another unit's
row fails the form with a Thai message rather than reaching the database.
"""

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from evidence.forms.fields import OwnRowsField
from evidence.models import (
    Activity,
    Document,
    EvidenceItem,
    KnowledgeTopic,
    Meeting,
    Person,
    TargetGroup,
)
from indicators.formfields import ThaiDateField
from indicators.models import Cycle, Unit
from indicators.versioning import VersionedFormMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NOT_OUR_DOCUMENT = _("เลือกได้เฉพาะเอกสารในคลังเอกสารของหน่วยงานนี้")
NOT_OUR_PERSON = _("เลือกได้เฉพาะบุคลากรของหน่วยงานนี้")
NOT_OUR_MEETING = _("เลือกได้เฉพาะการประชุมของหน่วยงานนี้")
NOT_OUR_ACTIVITY = _("เลือกได้เฉพาะกิจกรรมของหน่วยงานนี้")
NOT_OUR_TOPIC = _("เลือกได้เฉพาะประเด็นความรู้ของหน่วยงานนี้")
NOT_OUR_GROUP = _("เลือกได้เฉพาะกลุ่มเป้าหมายของหน่วยงานนี้")

# Staff type meeting numbers in Thai digits too (๑/๒๕๖๓); store Arabic digits.
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
MEETING_NUMBER = re.compile(r"^([0-9]+)/([0-9]{4})$")


def _limit(field: forms.Field, queryset: models.QuerySet[Any], message: "StrOrPromise") -> None:
    """A picker of the unit's own rows: another id fails the form with the message."""
    assert isinstance(field, forms.ModelChoiceField), field  # the form's model picker
    field.queryset = queryset
    field.error_messages["invalid_choice"] = message
    field.error_messages["invalid_pk_value"] = message


def _clean_text(value: str) -> str:
    """Trims and folds runs of spaces, so 'same name' cannot hide behind a space."""
    return " ".join(value.split())


class UnitRecordForm(VersionedFormMixin, forms.ModelForm):
    """A record of one unit: the unit comes from the URL, never from the form."""

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.instance.unit = unit

    def _taken(self, **lookup: Any) -> bool:
        """Whether another row of the unit has these values (the unit-wide unique checks,
        which Django skips because the unit is not a field of the form)."""
        others = type(self.instance)._default_manager.filter(unit=self.unit, **lookup)
        return others.exclude(pk=self.instance.pk).exists()

    def make_read_only(self) -> None:
        for field in self.fields.values():
            field.disabled = True


class CycleChoiceMixin:
    """Groups and topics belong to a cycle: the current one unless chosen."""

    fields: dict[str, forms.Field]
    instance: models.Model

    def _setup_cycle(self) -> None:
        field = self.fields["cycle"]
        assert isinstance(field, forms.ModelChoiceField), field  # the ModelForm's picker
        field.queryset = Cycle.objects.order_by("-start_date")
        if self.instance.pk is None:
            current = Cycle.objects.current()
            field.initial = current.pk if current else None


class MeetingForm(UnitRecordForm):
    class Meta:
        model = Meeting
        fields = ["body", "number", "date", "minutes"]
        widgets = {"body": forms.TextInput()}
        field_classes = {"date": ThaiDateField}
        help_texts = {"number": _("ลำดับ/พ.ศ. เช่น 1/2563")}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        _limit(self.fields["minutes"], Document.objects.filter(unit=unit), NOT_OUR_DOCUMENT)
        self.fields["number"].widget.attrs.update({"placeholder": "1/2563", "inputmode": "text"})

    def clean_body(self) -> str:
        return _clean_text(self.cleaned_data["body"])

    def clean_number(self) -> str:
        raw = "".join(self.cleaned_data["number"].translate(THAI_DIGITS).split())
        match = MEETING_NUMBER.match(raw)
        if not match:
            raise forms.ValidationError(_("ครั้งที่ต้องอยู่ในรูป ลำดับ/พ.ศ. เช่น 1/2563"), code="format")
        order, year = int(match[1]), int(match[2])
        if order < 1:
            raise forms.ValidationError(_("ลำดับการประชุมต้องเริ่มที่ 1"), code="order")
        if not 2400 <= year <= 2700:
            raise forms.ValidationError(_("ปีในครั้งที่ต้องเป็นปีพุทธศักราช (พ.ศ.) เช่น 1/2563"), code="year")
        return f"{order}/{year}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        body, number = data.get("body"), data.get("number")
        if body and number and self._taken(body=body, number=number):
            self.add_error(
                "number",
                _("มีการประชุมของ %(body)s ครั้งที่ %(number)s อยู่แล้ว") % {"body": body, "number": number},
            )
        return data


class PersonForm(UnitRecordForm):
    class Meta:
        model = Person
        fields = ["name", "position", "section"]

    def clean_name(self) -> str:
        name = _clean_text(self.cleaned_data["name"])
        if self._taken(name=name):
            raise forms.ValidationError(_("มีบุคลากรชื่อนี้ในหน่วยงานแล้ว"), code="unique")
        return name


class TargetGroupForm(CycleChoiceMixin, UnitRecordForm):
    class Meta:
        model = TargetGroup
        fields = ["cycle", "name", "headcount", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}
        field_classes = {"members": OwnRowsField}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        self._setup_cycle()
        _limit(self.fields["members"], Person.objects.filter(unit=unit), NOT_OUR_PERSON)
        self.fields["members"].error_messages["invalid_choice"] = NOT_OUR_PERSON

    def clean_name(self) -> str:
        return _clean_text(self.cleaned_data["name"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        headcount, members = data.get("headcount"), data.get("members")
        if headcount is not None and members is not None and len(members) > headcount:
            self.add_error(
                "headcount",
                _("จำนวนคน (%(headcount)s) ต้องไม่น้อยกว่าจำนวนรายชื่อที่เลือก (%(members)s)")
                % {"headcount": headcount, "members": len(members)},
            )
        name, cycle = data.get("name"), data.get("cycle")
        if name and cycle and self._taken(name=name, cycle=cycle):
            self.add_error("name", _("มีกลุ่มเป้าหมายชื่อนี้ในรอบปีเดียวกันแล้ว"))
        return data


class ActivityForm(UnitRecordForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "date",
            "place",
            "speakers",
            "attendance",
            "attendees",
            "satisfaction_percent",
            "topic",
            "notes",
        ]
        widgets = {
            "title": forms.TextInput(),
            "speakers": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.CheckboxSelectMultiple,
        }
        help_texts = {"speakers": _("หนึ่งคนต่อหนึ่งบรรทัด")}
        field_classes = {"date": ThaiDateField, "attendees": OwnRowsField}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        _limit(self.fields["attendees"], Person.objects.filter(unit=unit), NOT_OUR_PERSON)
        _limit(
            self.fields["topic"],
            KnowledgeTopic.objects.filter(unit=unit).order_by("-cycle__start_date", "title"),
            NOT_OUR_TOPIC,
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        attendance, attendees = data.get("attendance"), data.get("attendees")
        if attendance is not None and attendees is not None and len(attendees) > attendance:
            self.add_error(
                "attendance",
                _("จำนวนผู้เข้าร่วม (%(attendance)s) ต้องไม่น้อยกว่าจำนวนรายชื่อที่เลือก (%(named)s)")
                % {"attendance": attendance, "named": len(attendees)},
            )
        return data


class KnowledgeTopicForm(CycleChoiceMixin, UnitRecordForm):
    """The title is typed once; later changes go through the rename form."""

    class Meta:
        model = KnowledgeTopic
        fields = ["cycle", "title", "strategic_alignment", "target_group", "good_practice"]
        widgets = {
            "title": forms.TextInput(),
            "strategic_alignment": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, unit=unit, **kwargs)
        self._setup_cycle()
        if self.instance.pk is not None:
            self.fields["title"].disabled = True
            self.fields["title"].help_text = _("เปลี่ยนชื่อด้วยปุ่ม “เปลี่ยนชื่อ” เพื่อบันทึกชื่อเดิมไว้")
        _limit(
            self.fields["target_group"],
            TargetGroup.objects.filter(unit=unit).select_related("cycle"),
            NOT_OUR_GROUP,
        )
        _limit(self.fields["good_practice"], Document.objects.filter(unit=unit), NOT_OUR_DOCUMENT)

    def clean_title(self) -> str:
        return _clean_text(self.cleaned_data["title"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        cycle, group = data.get("cycle"), data.get("target_group")
        if cycle and group and group.cycle_id != cycle.pk:
            self.add_error("target_group", _("กลุ่มเป้าหมายต้องอยู่ในรอบปีเดียวกับประเด็นความรู้"))
        title = data.get("title")
        if title and cycle and self._taken(title=title, cycle=cycle):
            self.add_error("title", _("มีประเด็นความรู้ชื่อนี้ในรอบปีเดียวกันแล้ว"))
        return data


class TopicRenameForm(forms.Form):
    new_title = forms.CharField(label=_("ชื่อใหม่"), max_length=500)
    renamed_on = ThaiDateField(label=_("เปลี่ยนชื่อเมื่อ"))
    meeting = forms.ModelChoiceField(
        label=_("ตามมติการประชุม"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, topic: KnowledgeTopic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topic = topic
        _limit(
            self.fields["meeting"],
            Meeting.objects.filter(unit_id=topic.unit_id).order_by("-date", "pk"),
            NOT_OUR_MEETING,
        )

    def clean_new_title(self) -> str:
        title = _clean_text(self.cleaned_data["new_title"])
        if title == self.topic.title:
            raise forms.ValidationError(_("ชื่อใหม่ต้องไม่ซ้ำกับชื่อปัจจุบัน"), code="same")
        return title


class ItemLinksForm(VersionedFormMixin, forms.ModelForm):
    """Which meeting or activity an evidence item documents."""

    class Meta:
        model = EvidenceItem
        fields = ["meeting", "activity"]

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The choices, also listed by the page beside the pickers.
        self.meetings = Meeting.objects.filter(unit=unit)
        self.activities = Activity.objects.filter(unit=unit)
        _limit(self.fields["meeting"], self.meetings, NOT_OUR_MEETING)
        _limit(self.fields["activity"], self.activities, NOT_OUR_ACTIVITY)
