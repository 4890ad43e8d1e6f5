"""Dates as Vietnamese offices write them in tables and forms: 07/12/2026, 14:30 07/12/2026.

Django's own `vi` formats spell a date out ("Ngày 07 tháng 12 năm 2026") and shorten it with
dashes (07-12-2026); a bare `{{ date }}` in a template now gives dd/mm/yyyy everywhere. Numbers
keep Django's Vietnamese separators (96,5; 30,0 MB); a count is grouped where it is made into text
(`core.numbers.format_number`, `format_count`: 1.993). Input formats are not changed: widgets name
theirs (cchc.core.widgets)."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
# No grouping of the integers a template prints: identifiers are integers too, and a unit's key
# in <option value="{{ u.pk }}">, an anchor id or a link's ?trang= would become "3.241" once keys
# pass 999. Counts are grouped where they are made into text (core.numbers.format_number,
# format_count: 1.993). Input still reads "1.234" as 1234 (USE_THOUSAND_SEPARATOR in settings).
NUMBER_GROUPING = 0
