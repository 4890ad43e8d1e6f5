"""Live indicator aggregates: the measures of `definitions.MEASURES` per handling unit and period.

One row per (unit that handles dossiers, live period key) holds the integers the indicators are
derived from — never rates, so that rows add up: a unit's figure is the sum of the rows of its
subtree (`Unit.path` prefix), computed when it is read. Rows are kept current by
`cchc.indicators.live` in the same transaction as each dossier event (a delta on the few periods
that contain the dossier's receipt and end), and rebuilt from the dossiers by
`cchc indicators rebuild`.
"""

from django.db import models

from cchc.orgs.models import Unit

from .definitions import MEASURE_CODES

# Field names are the measure codes in lower case; `F_thoi_gian_ns` is held in microseconds
# (`f_thoi_gian_us`): nanosecond sums of a big agency's year would overflow a 64-bit integer.
FIELD_OF = {code: ("f_thoi_gian_us" if code == "F_thoi_gian_ns" else code.lower()) for code in MEASURE_CODES}
FIELDS = [FIELD_OF[code] for code in MEASURE_CODES]  # the counter columns, in measure order
NS_PER_US = 1000  # F_thoi_gian_ns is stored in microseconds (f_thoi_gian_us)


class MeasureTotal(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị giải quyết"
    )
    period = models.CharField("kỳ", max_length=16)
    # one 64-bit counter per measure, named as FIELD_OF says (the class body is a plain namespace)
    locals().update({name: models.BigIntegerField(default=0) for name in FIELD_OF.values()})

    class Meta:
        verbose_name = "tổng hợp chỉ số theo đơn vị và kỳ"
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="measure_total_unit_period")]
        indexes = [models.Index(fields=["period", "unit"], name="measure_total_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"
