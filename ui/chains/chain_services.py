"""The services the chains page works with, handed in together by ``ui/main.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.chain_editing import ChainEditingService
    from app.services.chains import ChainService
    from app.services.visit_choices import VisitChoices
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class ChainServices:
    chains: ChainService
    """The map, each link's targets."""
    editing: ChainEditingService
    """Chains, links and targets written; who may write them."""
    choices: VisitChoices
    """The enterprise picker of 添加目标企业 (the visit form's)."""

    @classmethod
    def for_workspace(cls, workspace: Workspace) -> ChainServices:
        from app.services.chain_editing import ChainEditingService
        from app.services.chains import ChainService
        from app.services.visit_choices import VisitChoices

        return cls(ChainService(workspace), ChainEditingService(workspace), VisitChoices(workspace))
