"""The rules that decide what the desktop bundle ships (``packaging/``), checked without building:
the files the code reads at run time are all listed, the Qt parts left out take only what nothing
else needs (on the library names of every platform), and the icon is drawn for each platform."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from PIL import Image

sys.path.append(str(Path(__file__).resolve().parents[2] / "packaging"))  # after the project

from app_icons import render_icons
from bundle_contents import ROOT, migration_imports, resource_datas
from qt_trim import TocEntry, is_unused_qt_translation, trim_qt

# A small Linux bundle: what links what (by file name), as PyInstaller's get_imports reports it.
LINKS = {
    "/qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so": [
        "libQt6VirtualKeyboard.so.6",
        "libQt6Quick.so.6",
        "libQt6Gui.so.6",
    ],
    "/qt/lib/libQt6VirtualKeyboard.so.6": ["libQt6Quick.so.6", "libQt6OpenGL.so.6"],
    "/qt/lib/libQt6Quick.so.6": ["libQt6Qml.so.6", "libQt6OpenGL.so.6", "libQt6Gui.so.6"],
    "/qt/lib/libQt6Qml.so.6": ["libQt6Core.so.6"],
    "/qt/lib/libQt6OpenGL.so.6": ["libQt6Gui.so.6"],
    "/qt/lib/libQt6Charts.so.6": ["libQt6OpenGL.so.6", "libQt6Gui.so.6"],
    "/qt/lib/libQt6Gui.so.6": ["libQt6Core.so.6"],
    "/qt/lib/libQt6Core.so.6": [],
    "/qt/plugins/platforms/libqxcb.so": ["libQt6Gui.so.6"],
    "/site/PySide6/QtCharts.abi3.so": ["libQt6Charts.so.6"],
}


def imports_of(source: str) -> Iterable[str]:
    return LINKS[source]


def toc(source: str, kind: str = "BINARY") -> TocEntry:
    destination = source.replace("/qt/", "PySide6/Qt/").replace("/site/", "")
    return (destination, source, kind)


def names(entries: Iterable[TocEntry]) -> set[str]:
    return {entry[0].rsplit("/", 1)[-1] for entry in entries}


def test_leaving_out_the_on_screen_keyboard_takes_qml_and_quick_but_not_what_charts_needs() -> None:
    binaries = [
        toc(source, "EXTENSION" if source.endswith(".abi3.so") else "BINARY") for source in LINKS
    ]

    kept, _ = trim_qt(binaries, [], imports_of)

    assert names(kept) == {
        "libQt6OpenGL.so.6",  # the keyboard linked it, and so does QtCharts
        "libQt6Charts.so.6",
        "libQt6Gui.so.6",
        "libQt6Core.so.6",
        "libqxcb.so",
        "QtCharts.abi3.so",
    }


def test_links_to_left_out_libraries_go_and_framework_links_stay() -> None:
    binaries = [toc(source) for source in LINKS if "QtCharts" not in source]
    datas = [
        ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        # macOS: a framework's Versions/Current points at a folder, never at a binary
        ("PySide6/Qt/lib/QtQuick.framework/Versions/Current", "A", "SYMLINK"),
    ]

    _, kept = trim_qt(binaries, datas, imports_of)

    assert [entry[0] for entry in kept] == [
        "libQt6Gui.so.6",
        "PySide6/Qt/lib/QtQuick.framework/Versions/Current",
    ]


def test_the_rules_read_windows_and_macos_names_too() -> None:
    keyboard = r"PySide6\plugins\platforminputcontexts\qtvirtualkeyboardplugin.dll"
    eglfs = "PySide6/Qt/plugins/platforms/libqeglfs.dylib"
    links = {
        keyboard: ["Qt6Quick.dll", "Qt6Gui.dll"],
        r"PySide6\Qt6Quick.dll": ["Qt6Gui.dll"],
        r"PySide6\Qt6Gui.dll": [],
        r"PySide6\QtGui.pyd": ["Qt6Gui.dll"],
        eglfs: ["@rpath/QtOpenGL.framework/Versions/A/QtOpenGL"],
        "PySide6/Qt/lib/QtOpenGL.framework/Versions/A/QtOpenGL": [],
    }
    binaries = [(name, name, "EXTENSION" if name.endswith(".pyd") else "BINARY") for name in links]

    kept, _ = trim_qt(binaries, [], lambda source: links[source])

    assert [entry[0] for entry in kept] == [r"PySide6\Qt6Gui.dll", r"PySide6\QtGui.pyd"]


def test_qt_translations_are_kept_for_chinese_only() -> None:
    assert not is_unused_qt_translation("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not is_unused_qt_translation(r"PySide6\translations\qt_zh_CN.qm")
    assert is_unused_qt_translation("PySide6/Qt/translations/qtbase_de.qm")
    assert is_unused_qt_translation("PySide6/Qt/translations/qt_help_zh_TW.qm")
    assert not is_unused_qt_translation("resources/translations/en.json")


def test_every_file_the_code_reads_at_run_time_is_shipped_beside_its_package() -> None:
    shipped = {
        f"{destination}/{Path(source).name}": Path(source)
        for source, destination in resource_datas()
    }

    for wanted in (
        "resources/fonts/DroidSansFallbackFull.ttf",
        "resources/fonts/LICENSE-Apache-2.0.txt",
        "resources/translations/en.json",
        "resources/data/gb2260/regions.tsv",
        "resources/data/gb4754/industries.tsv",
        "resources/icons/squaddesk.svg",
        "app/database/migrations/env.py",
        "app/database/migrations/script.py.mako",
    ):
        assert wanted in shipped, wanted
        assert shipped[wanted] == ROOT / wanted
    revisions = sorted((ROOT / "app" / "database" / "migrations" / "versions").glob("*.py"))
    assert revisions
    assert all(f"app/database/migrations/versions/{path.name}" in shipped for path in revisions)
    assert not any("__pycache__" in key for key in shipped)


def test_what_the_migration_scripts_import_is_bundled_as_code() -> None:
    modules = migration_imports()

    assert {"alembic.op", "sqlalchemy", "app.database.tables"} <= set(modules)
    assert "typing.Any" not in modules  # a name imported from a module, not a module
    assert "__future__" not in modules


def test_the_icon_is_drawn_for_every_platform(tmp_path: Path) -> None:
    icons = render_icons(ROOT / "resources" / "icons" / "squaddesk.svg", tmp_path)

    with Image.open(icons.png) as png:
        assert png.size == (256, 256)
        tile = png.convert("RGBA").getpixel((30, 128))  # inside the blue rounded square
    assert isinstance(tile, tuple)
    red, green, blue, alpha = tile
    assert alpha == 255 and blue > red and blue > green
    with Image.open(icons.ico) as ico:
        assert {(16, 16), (32, 32), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(icons.icns) as icns:
        assert icns.format == "ICNS"
