"""Sync moments on screen: "3 分钟前" for the status bar, the exact local time for tooltips."""

from __future__ import annotations

import datetime as dt

from app.i18n import tr
from ui.formatting import format_date


def local_time(moment: dt.datetime) -> dt.datetime:
    """Stored times are UTC (naive ones too); shown in the machine's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def exact_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = local_time(moment)
    return tr("{date} {time}", date=format_date(local.date()), time=local.strftime("%H:%M:%S"))


def short_time(moment: dt.datetime | None) -> str:
    """Date and minute, for "who, when" lines."""
    if moment is None:
        return ""
    local = local_time(moment)
    return tr("{date} {time}", date=format_date(local.date()), time=local.strftime("%H:%M"))


def relative_time(moment: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if moment is None:
        return ""
    now = now or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return tr("刚刚")
    if seconds < 3600:
        return tr("{minutes} 分钟前", minutes=int(seconds // 60))
    if seconds < 86400:
        return tr("{hours} 小时前", hours=int(seconds // 3600))
    if seconds < 7 * 86400:
        return tr("{days} 天前", days=int(seconds // 86400))
    return format_date(local_time(moment).date())
