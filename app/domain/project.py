"""Projects: which stage moves are allowed (线索 → … → 投产, exits 解约 / 暂缓)."""

from __future__ import annotations

import datetime as dt

from app.domain.errors import ValidationError
from app.domain.vocabulary import PIPELINE, ProjectStage
from app.i18n import tr


def allowed_moves(current: ProjectStage) -> tuple[ProjectStage, ...]:
    """Forward along the pipeline (skipping is allowed: a signing may be reported late),
    out to 解约/暂缓 from any live stage, and from 暂缓 back to any stage up to where it was."""
    if current is ProjectStage.TERMINATED:
        return ()
    if current is ProjectStage.SUSPENDED:
        return (*PIPELINE, ProjectStage.TERMINATED)
    later = PIPELINE[current.order + 1 :]
    if current is ProjectStage.PRODUCING:
        return ()
    return (*later, ProjectStage.TERMINATED, ProjectStage.SUSPENDED)


def check_move(
    current: ProjectStage, target: ProjectStage, on: dt.date, last_change_on: dt.date | None
) -> None:
    """Raise ``ValidationError`` naming why ``current → target`` on ``on`` is not allowed."""
    if target not in allowed_moves(current):
        raise ValidationError(
            "stage",
            tr("项目不能从“{current}”转到“{target}”", current=current.label, target=target.label),
        )
    if last_change_on is not None and on < last_change_on:
        raise ValidationError(
            "changed_on",
            tr("阶段变更日期不能早于上一次变更（{date}）", date=last_change_on.isoformat()),
        )
