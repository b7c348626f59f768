"""A unit's members: adding an existing user, changing a role."""

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.models import Membership


class MembershipAddForm(forms.Form):
    email = forms.CharField(
        label=_("อีเมลหรือชื่อผู้ใช้"),
        max_length=254,
        error_messages={"required": _("กรุณาระบุอีเมลหรือชื่อผู้ใช้")},
    )
    role = forms.ChoiceField(label=_("บทบาท"), choices=Membership.Role.choices)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("บทบาท"), choices=Membership.Role.choices)
