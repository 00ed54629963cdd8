from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Quy trình và nhật ký")

    def ready(self) -> None:
        from workflow import signals  # noqa: F401  (keeps guardian grants right when people change)
