"""The services the visits page works with, handed in together by ``ui/main.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.attachments import AttachmentService
    from app.services.chains import ChainService
    from app.services.tasks import TaskService
    from app.services.trips import TripService
    from app.services.visit_choices import VisitChoices
    from app.services.visit_drafts import VisitDraftStore
    from app.services.visits import VisitService
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class VisitServices:
    visits: VisitService
    choices: VisitChoices
    trips: TripService
    tasks: TaskService
    attachments: AttachmentService
    drafts: VisitDraftStore
    chains: ChainService
    """The link choices of the visit's 产业链环节 field."""

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> VisitServices:
        """All of them over one workspace (the app and the tests build them the same way)."""
        from app.services.attachments import AttachmentService
        from app.services.chains import ChainService
        from app.services.tasks import TaskService
        from app.services.trips import TripService
        from app.services.visit_choices import VisitChoices
        from app.services.visit_drafts import VisitDraftStore
        from app.services.visits import VisitService

        return cls(
            visits=VisitService(workspace),
            choices=VisitChoices(workspace),
            trips=TripService(workspace),
            tasks=TaskService(workspace),
            attachments=AttachmentService(workspace),
            drafts=VisitDraftStore(workspace.data_dir),
            chains=ChainService(workspace),
        )
