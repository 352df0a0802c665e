"""The services the projects page works with, handed in together by ``ui/main.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService
    from app.services.project_detail import ProjectDetailService
    from app.services.project_editing import ProjectEditingService
    from app.services.project_funding import ProjectFundingService
    from app.services.project_pipeline import ProjectPipelineService
    from app.services.projects import ProjectService
    from app.services.tasks import TaskService
    from app.services.visit_choices import VisitChoices
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class ProjectServices:
    projects: ProjectService
    detail: ProjectDetailService
    editing: ProjectEditingService
    pipeline: ProjectPipelineService
    funding: ProjectFundingService
    tasks: TaskService
    attachments: AttachmentService
    choices: VisitChoices
    """The enterprise picker of the project editor."""

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> ProjectServices:
        """All of them over one workspace (the app and the tests build them the same way)."""
        from app.services.attachments import AttachmentService
        from app.services.project_detail import ProjectDetailService
        from app.services.project_editing import ProjectEditingService
        from app.services.project_funding import ProjectFundingService
        from app.services.project_pipeline import ProjectPipelineService
        from app.services.projects import ProjectService
        from app.services.tasks import TaskService
        from app.services.visit_choices import VisitChoices

        attachments = AttachmentService(workspace)
        return cls(
            projects=ProjectService(workspace),
            detail=ProjectDetailService(workspace),
            editing=ProjectEditingService(workspace),
            pipeline=ProjectPipelineService(workspace, attachments=attachments),
            funding=ProjectFundingService(workspace),
            tasks=TaskService(workspace),
            attachments=attachments,
            choices=VisitChoices(workspace),
        )
