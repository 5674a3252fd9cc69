from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BreakglassConfig(AppConfig):
    name = "liaison.breakglass"
    label = "breakglass"
    verbose_name = _("Break-glass access")
