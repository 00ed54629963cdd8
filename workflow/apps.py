from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Quy trình và nhật ký")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from workflow.rights import signals  # noqa: F401  (deploy checks; guardian grants follow people)
        from workflow.rights.permissions import forget_permission_ids
        from workflow.services import certificates  # noqa: F401  (certsign: a code when an award is in force)
        from workflow.web import checks  # noqa: F401  (deploy checks; guardian grants follow people)

        post_migrate.connect(forget_permission_ids, dispatch_uid="workflow.forget_permission_ids")
