"""The reports page (报表): 一周一快报."""
