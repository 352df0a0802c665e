"""Reports that leave the app: 拜访纪要, pre-trip briefs, 一周一快报 / 一月一调度 / 一季一评比.

Builders read the database into a ``document.ReportDocument``; ``pdf`` prints it on A4 with the
shipped CJK font embedded, ``xlsx`` writes its tables to a workbook. No Qt here.
"""
