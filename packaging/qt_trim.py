"""Leaving out the parts of Qt that PySide6's PyInstaller hooks collect but the desktop never
loads: plugins for embedded devices and the on-screen keyboard (which drags in QML and Quick), the
GTK theme (GTK itself is not bundled), Qt's translations into languages the app does not offer,
and then every library only those plugins needed.

Entries are PyInstaller TOC tuples ``(destination, source, type)``; nothing here imports
PyInstaller, so the rules are plain functions the tests can call.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable

TocEntry = tuple[str, str, str]
ImportsOf = Callable[[str], Iterable[str]]  # source path → names of the libraries it links

# Matched against the destination path in the bundle (same names on all platforms, with ``lib``
# and ``.so`` on Linux, ``.dll`` on Windows, ``.dylib`` on macOS).
UNUSED_QT_PLUGINS = re.compile(
    r"plugins/("
    r"platforminputcontexts/[^/]*virtualkeyboard"  # the on-screen keyboard: pulls QML and Quick
    r"|platforms/(lib)?q(eglfs|linuxfb|minimalegl|vkkhrdisplay|vnc)[^/]*"  # embedded, kiosk
    r"|egldeviceintegrations/"
    r"|generic/"  # evdev and TUIO touch input for embedded platforms
    r"|platformthemes/(lib)?qgtk3"  # needs GTK, which is not bundled: Qt's own look is used
    r")",
    re.IGNORECASE,
)

# Qt's own strings (dialog buttons): the UI languages only; English is Qt's source language.
_QT_TRANSLATION = re.compile(r"(^|/)translations/[^/]+_(?P<language>[a-z]{2,3}(_[A-Z]{2})?)\.qm$")
KEPT_QT_LANGUAGES = frozenset({"zh_CN"})


def trim_qt(
    binaries: Iterable[TocEntry], datas: Iterable[TocEntry], imports_of: ImportsOf
) -> tuple[list[TocEntry], list[TocEntry]]:
    """``(binaries, datas)`` without the unused plugins, the libraries only they linked, links
    pointing at those, and unused Qt translations."""
    all_binaries = list(binaries)
    kept = without_unused_plugins(all_binaries, imports_of)
    removed = {_posix(entry[0]) for entry in all_binaries} - {_posix(entry[0]) for entry in kept}
    kept_datas = [
        entry
        for entry in datas
        if not is_unused_qt_translation(entry[0])
        and not (entry[2] == "SYMLINK" and link_target(entry) in removed)
    ]
    return kept, kept_datas


def is_unused_qt_plugin(destination: str) -> bool:
    return UNUSED_QT_PLUGINS.search(_posix(destination)) is not None


def is_unused_qt_translation(destination: str) -> bool:
    match = _QT_TRANSLATION.search(_posix(destination))
    return match is not None and match["language"] not in KEPT_QT_LANGUAGES


def without_unused_plugins(binaries: Iterable[TocEntry], imports_of: ImportsOf) -> list[TocEntry]:
    """``binaries`` minus the unused Qt plugins and the libraries only they need.

    A library goes only when a dropped plugin links it (directly or through other libraries) and
    no kept plugin, extension module or other library does. Libraries a program opens by name at
    run time (ctypes) are never linked by a plugin, so they stay.
    """
    entries = list(binaries)
    dropped = [entry for entry in entries if is_unused_qt_plugin(entry[0])]
    kept = [entry for entry in entries if not is_unused_qt_plugin(entry[0])]
    by_name = {library_name(entry[0]): entry for entry in kept}

    def linked_from(starts: Iterable[TocEntry]) -> set[str]:
        """Names of the kept libraries ``starts`` link, directly or through each other."""
        seen: set[str] = set()
        todo = list(starts)
        while todo:
            for imported in imports_of(todo.pop()[1]):
                name = library_name(imported)
                if name in by_name and name not in seen:
                    seen.add(name)
                    todo.append(by_name[name])
        return seen

    candidates = linked_from(dropped)
    roots = [
        entry
        for entry in kept
        if library_name(entry[0]) not in candidates or entry[2] == "EXTENSION"
    ]
    orphans = candidates - linked_from(roots) - {library_name(entry[0]) for entry in roots}
    return [entry for entry in kept if library_name(entry[0]) not in orphans]


def library_name(path: str) -> str:
    """How binaries name each other: the file name (``@rpath/QtGui.framework/…/QtGui`` → qtgui)."""
    return _posix(path).rsplit("/", 1)[-1].lower()


def link_target(entry: TocEntry) -> str:
    """Where a SYMLINK entry points (its source is relative to the link's folder)."""
    destination, target, _kind = entry
    return posixpath.normpath(posixpath.join(posixpath.dirname(_posix(destination)), target))


def _posix(path: str) -> str:
    return path.replace("\\", "/")
