"""督办与指标: the KPI dashboard and the overdue lists."""
