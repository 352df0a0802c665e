#!/bin/sh
# One backup of the SquadDesk server, old ones removed, optionally copied off the machine.
# Settings come from the environment (/etc/squaddesk/server.env through the systemd unit):
#   SQUADDESK_DATABASE_URL, SQUADDESK_SERVER_DATA_DIR   what to back up
#   SQUADDESK_BACKUP_DIR        where archives go (default /var/backups/squaddesk)
#   SQUADDESK_BACKUP_KEEP_DAYS  archives older than this are deleted (default 14)
#   SQUADDESK_BACKUP_COPY_TO    optional rsync destination for an off-machine copy
# Exits non-zero when the backup or the copy failed (systemd then marks the unit failed).
set -eu

SERVER=${SQUADDESK_SERVER_BIN:-/opt/squaddesk/venv/bin/squaddesk-server}
DIR=${SQUADDESK_BACKUP_DIR:-/var/backups/squaddesk}
KEEP_DAYS=${SQUADDESK_BACKUP_KEEP_DAYS:-14}

mkdir -p "$DIR"
# `backup --out DIR` names the archive squaddesk-backup-YYYYmmdd-HHMMSS.tar; it is written as
# .partial and renamed only when complete, so a half-written file never looks like a backup.
"$SERVER" backup --out "$DIR"

find "$DIR" -maxdepth 1 -name 'squaddesk-backup-*.tar' -mtime +"$KEEP_DAYS" -print -delete
find "$DIR" -maxdepth 1 -name 'squaddesk-backup-*.tar.partial' -mmin +1440 -delete

if [ -n "${SQUADDESK_BACKUP_COPY_TO:-}" ]; then
    rsync -a --include 'squaddesk-backup-*.tar' --exclude '*' \
        "$DIR"/ "$SQUADDESK_BACKUP_COPY_TO"
fi
