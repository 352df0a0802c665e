"""Laptops (devices) known to the server: whose they are and the last device seq applied.

A device id belongs to the user who first signed in or pushed with it; another user using it
(a copied data dir) gets 409 ``device_reused`` and the client takes a new id.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from app.database.types import utc_now
from app.i18n import tr
from app.sync.protocol import ErrorCode
from server.database.tables import devices
from server.errors import ApiError


@dataclass(frozen=True, slots=True)
class ClientVersions:
    """What the client said it runs (``X-SquadDesk-App`` / ``X-SquadDesk-Schema``)."""

    app_version: str
    schema_version: str


def device_of_another_user(device_id: str) -> ApiError:
    return ApiError(
        409,
        ErrorCode.DEVICE_REUSED,
        tr("设备标识 {device} 已属于另一位用户；请换用新的设备标识", device=device_id),
    )


def register_device(
    connection: Connection, user_id: str, device_id: str, name: str, client: ClientVersions
) -> None:
    now = utc_now()
    connection.execute(
        insert(devices).values(
            device_id=device_id,
            user_id=user_id,
            name=name[:100],
            last_device_seq=0,
            app_version=client.app_version[:40],
            schema_version=client.schema_version[:10],
            created_at=now,
            last_seen_at=now,
        )
    )


def bind_device(
    connection: Connection, user_id: str, device_id: str, name: str, client: ClientVersions
) -> None:
    """At sign-in: register the device for the user, or refresh it; 409 if someone else's."""
    owner = connection.scalar(select(devices.c.user_id).where(devices.c.device_id == device_id))
    if owner is None:
        register_device(connection, user_id, device_id, name, client)
    elif owner != user_id:
        raise device_of_another_user(device_id)
    else:
        _seen(connection, device_id, client, name=name)


def last_device_seq(
    connection: Connection, user_id: str, device_id: str, client: ClientVersions, *, lock: bool
) -> int:
    """The device's last applied seq (0 for a new device, registered now)."""
    query = select(devices.c.user_id, devices.c.last_device_seq).where(
        devices.c.device_id == device_id
    )
    row = connection.execute(query.with_for_update() if lock else query).first()
    if row is None:
        register_device(connection, user_id, device_id, "", client)
        return 0
    if row.user_id != user_id:
        raise device_of_another_user(device_id)
    return int(row.last_device_seq)


def save_last_device_seq(
    connection: Connection, device_id: str, seq: int, client: ClientVersions
) -> None:
    _seen(connection, device_id, client, last_device_seq=seq)


def _seen(
    connection: Connection,
    device_id: str,
    client: ClientVersions,
    *,
    name: str | None = None,
    last_device_seq: int | None = None,
) -> None:
    values: dict[str, object] = {
        "app_version": client.app_version[:40],
        "schema_version": client.schema_version[:10],
        "last_seen_at": utc_now(),
    }
    if name is not None:
        values["name"] = name[:100]
    if last_device_seq is not None:
        values["last_device_seq"] = last_device_seq
    connection.execute(update(devices).where(devices.c.device_id == device_id).values(**values))
