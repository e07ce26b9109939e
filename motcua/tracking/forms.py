from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import RatingValue


class TrackingForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        help_text=_("In trên giấy tiếp nhận hồ sơ, ví dụ 000.00.06.H99-260213-0001."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
    )
    pin = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        help_text=_("6 ký tự in cạnh mã QR trên giấy tiếp nhận."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={"required": _("Vui lòng nhập mã tra cứu.")},
    )
    # Asked only while the code is protected after many wrong PINs (core.lookup_guard).
    xac_minh = forms.CharField(
        label=_("4 chữ số cuối số điện thoại hoặc số CCCD"),
        required=False,
        max_length=20,
        help_text=_("Số điện thoại hoặc số CCCD/định danh đã khai khi nộp hồ sơ."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    needs_second_factor = False


class RatingForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Mức độ hài lòng"),
        choices=RatingValue.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Ý kiến góp ý (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CitizenRatingForm(RatingForm):
    """The rating sent from the tracking page: carries the code and PIN again, since the
    citizen has no session; they are checked (and rate-limited) like a lookup."""

    ma = forms.CharField(widget=forms.HiddenInput, max_length=40)
    pin = forms.CharField(widget=forms.HiddenInput, max_length=20)
    xac_minh = forms.CharField(widget=forms.HiddenInput, max_length=20, required=False)
