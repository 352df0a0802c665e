"""The app's one version number: ``version`` in ``pyproject.toml``.

Read from the installed package's metadata (a pip install, an editable install, or a PyInstaller
bundle that carries the metadata); a source checkout that was never installed reads
``pyproject.toml`` itself. Shown in the About box, sent to the server with every sync request,
served by the server's ``/healthz``, and written into each data dir that opens (so a data dir
from a newer app can say which version it needs).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "squaddesk"
UNKNOWN = "0.0.0+unknown"


@lru_cache(maxsize=1)
def app_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, tomllib.TOMLDecodeError):
            return UNKNOWN
        found = project.get("version")
        return found if isinstance(found, str) and found else UNKNOWN
