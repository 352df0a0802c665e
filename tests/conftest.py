"""Shared test set-up: Qt runs offscreen; every test gets real SQLite files in tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SQUADDESK_LANG", "zh_CN")
