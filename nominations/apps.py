from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = _("Thi đua, khen thưởng")

    def ready(self) -> None:
        from nominations.access import watch_rights

        watch_rights()
