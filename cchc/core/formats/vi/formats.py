"""Dates as Vietnamese offices write them in tables and forms: 07/12/2026, 14:30 07/12/2026.

Django's own `vi` formats spell a date out ("Ngày 07 tháng 12 năm 2026") and shorten it with
dashes (07-12-2026); a bare `{{ date }}` in a template now gives dd/mm/yyyy everywhere. Numbers
keep Django's Vietnamese separators (1.993; 30,0 MB). Input formats are not changed: widgets
name theirs (cchc.core.widgets)."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
