"""The 63 → 34 provincial merger of 1 July 2025 (Nghị quyết 202/2025/QH15).

Each former province absorbed into another: its GSO code, name, and the post-2025 code of the
successor province (codes were reassigned: the new Lào Cai carries 15, the former Yên Bái's).
The `vietnam-provinces` package carries only the current 34 provinces, so the table is kept here.
"""

MERGED_ON = "2025-07-01"

FORMER_PROVINCES: list[tuple[str, str, str]] = [
    ("02", "Hà Giang", "08"),
    ("06", "Bắc Kạn", "19"),
    ("15", "Yên Bái", "15"),
    ("17", "Hòa Bình", "25"),
    ("26", "Vĩnh Phúc", "25"),
    ("24", "Bắc Giang", "24"),
    ("30", "Hải Dương", "31"),
    ("34", "Thái Bình", "33"),
    ("35", "Hà Nam", "37"),
    ("36", "Nam Định", "37"),
    ("44", "Quảng Bình", "44"),
    ("49", "Quảng Nam", "48"),
    ("62", "Kon Tum", "51"),
    ("52", "Bình Định", "52"),
    ("58", "Ninh Thuận", "56"),
    ("67", "Đắk Nông", "68"),
    ("60", "Bình Thuận", "68"),
    ("54", "Phú Yên", "66"),
    ("74", "Bình Dương", "79"),
    ("77", "Bà Rịa - Vũng Tàu", "79"),
    ("70", "Bình Phước", "75"),
    ("80", "Long An", "80"),
    ("94", "Sóc Trăng", "92"),
    ("93", "Hậu Giang", "92"),
    ("83", "Bến Tre", "86"),
    ("84", "Trà Vinh", "86"),
    ("82", "Tiền Giang", "82"),
    ("95", "Bạc Liêu", "96"),
    ("91", "Kiên Giang", "91"),
]
