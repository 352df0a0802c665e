"""The workbench page (工作台)."""
