#!/bin/sh
# Install (or upgrade, or remove) the SquadDesk bundle this script sits in.
#
#   ./install.sh                 for this user: ~/.local/opt/squaddesk, ~/.local/bin, menu entry
#   sudo ./install.sh --system   for everyone:  /opt/squaddesk, /usr/local/bin, menu entry
#   ./install.sh --uninstall     (add --system for a system-wide install)
#
# An upgrade is the same command run from the newer bundle: the program folder is replaced in one
# step. The user's data (~/.local/share/SquadDesk: database, attachments, backups, settings) is
# never touched by installing, upgrading or uninstalling.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
mode=install
scope=user
for argument in "$@"; do
    case "$argument" in
        --system) scope=system ;;
        --user) scope=user ;;
        --uninstall) mode=uninstall ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $argument (try --help)" >&2; exit 2 ;;
    esac
done

if [ "$scope" = system ]; then
    prefix=/opt/squaddesk
    bin_dir=/usr/local/bin
    share_dir=/usr/local/share
else
    prefix="$HOME/.local/opt/squaddesk"
    bin_dir="$HOME/.local/bin"
    share_dir="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
desktop_file="$share_dir/applications/squaddesk.desktop"
png_icon="$share_dir/icons/hicolor/256x256/apps/squaddesk.png"
svg_icon="$share_dir/icons/hicolor/scalable/apps/squaddesk.svg"

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$share_dir/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$share_dir/icons/hicolor" 2>/dev/null || true
}

remove_link() {  # only links that point into our program folder
    if [ -L "$1" ] && case "$(readlink "$1")" in "$prefix"/*) true ;; *) false ;; esac; then
        rm -f "$1"
    fi
}

if [ "$mode" = uninstall ]; then
    remove_link "$bin_dir/squaddesk"
    remove_link "$bin_dir/squaddesk-cli"
    rm -f "$desktop_file" "$png_icon" "$svg_icon"
    rm -rf "$prefix"
    refresh_menus
    echo "SquadDesk removed from $prefix. Your data was left where it is."
    exit 0
fi

if [ ! -x "$here/squaddesk" ] || [ ! -d "$here/_internal" ]; then
    echo "install.sh: run me from the unpacked SquadDesk folder (squaddesk, _internal/)" >&2
    exit 1
fi
if [ "$here" = "$prefix" ]; then
    echo "install.sh: SquadDesk is already installed in $prefix" >&2
    exit 1
fi

# Copy next to the old version, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$prefix")" "$bin_dir" "$share_dir/applications" \
    "$(dirname "$png_icon")" "$(dirname "$svg_icon")"
rm -rf "$prefix.new" "$prefix.old"
cp -a "$here" "$prefix.new"
if [ -e "$prefix" ]; then
    mv "$prefix" "$prefix.old"
fi
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

ln -sf "$prefix/squaddesk" "$bin_dir/squaddesk"
ln -sf "$prefix/squaddesk-cli" "$bin_dir/squaddesk-cli"
cp "$prefix/squaddesk.png" "$png_icon"
cp "$prefix/_internal/resources/icons/squaddesk.svg" "$svg_icon"
sed "s|^Exec=.*|Exec=\"$prefix/squaddesk\"|; s|^TryExec=.*||" \
    "$prefix/squaddesk.desktop" > "$desktop_file"
chmod 644 "$desktop_file" "$png_icon" "$svg_icon"
refresh_menus

echo "SquadDesk installed in $prefix"
echo "  menu entry: $desktop_file"
echo "  commands:   $bin_dir/squaddesk, $bin_dir/squaddesk-cli"
