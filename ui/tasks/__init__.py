"""The tasks page (任务)."""
