"""Who performs a step of an internal process (B1…Bn): the one-stop desk, a specialist, or a
leader who assigns, reviews or signs. A field of the step (`Step.performer`), filled from the
step's words when a person does not choose it (catalogue loads, the demo, a step saved without
a choice) — the rule the dossier engine read from the words before the field existed, kept so
that existing processes route as before (docs/procedures.md)."""

from __future__ import annotations

from django.db import models

from cchc.core.text import nfc


class Performer(models.TextChoices):
    DESK = "desk", "Bộ phận một cửa"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    LEADER = "leader", "Lãnh đạo (phân công, xem xét, ký duyệt)"


_DESK_WORDS = ("một cửa", "tiếp nhận và trả kết quả", "phục vụ hành chính công")
_LEADER_WORDS = (
    "lãnh đạo",
    "chủ tịch",
    "giám đốc",
    "trưởng phòng",
    "thủ trưởng",
    "người đứng đầu",
    "cục trưởng",
    "trưởng ban",
)


def performer_from_words(actor_role: str) -> str:
    """The performer the step's words name: "Bộ phận một cửa" → desk; "Lãnh đạo phòng",
    "Chủ tịch hoặc Phó Chủ tịch UBND xã", "Giám đốc Sở" → leader; anything else → specialist."""
    text = nfc(actor_role or "").casefold()
    if any(w in text for w in _DESK_WORDS):
        return Performer.DESK.value
    if any(w in text for w in _LEADER_WORDS):
        return Performer.LEADER.value
    return Performer.SPECIALIST.value


def performer_or_words(performer: str | None, actor_role: str) -> str:
    """The chosen performer when it is one, else the one the words name."""
    return performer if performer in Performer.values else performer_from_words(actor_role)
