"""The projects page (项目)."""
