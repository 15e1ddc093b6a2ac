from __future__ import annotations

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="文件(.xlsx 或 .csv)")
    dry_run = forms.BooleanField(label="只校验,不写入(试运行)", required=False)
