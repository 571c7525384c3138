"""Integration forms: SCIM token name, HR file upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.core.forms import reject_nul


class ScimTokenForm(forms.Form):
    """A name for a new SCIM token."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Which identity provider uses it, e.g. “Entra ID production”."),
    )

    def clean_name(self) -> str:
        return reject_nul(self.cleaned_data["name"])


class HrImportForm(forms.Form):
    """The HR file to check, then apply."""

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with ; or , between columns (Excel: “CSV UTF-8”). 5 MB at most."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
