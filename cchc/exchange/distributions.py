"""The numbers behind the synthetic dossiers of `generate` — every share, spread and weight,
each explained in docs/dossier-generator.md (change both together). Plain constants: the
generator reads them when it builds its state, so a test or a bench may tune them there."""

SUPPLEMENTS = ((0, 0.909), (1, 0.082), (2, 0.007), (3, 0.002))  # so_lan_bo_sung
RESULT_SHARES = (("chap_thuan", 0.93), ("tu_choi", 0.035), ("dung", 0.02), ("rut", 0.015))
STUCK_SHARE = 0.0025  # open for good (forgotten in a drawer), whatever the receipt date
NOT_COLLECTED = 0.02  # granted/refused but never handed back
RATED = {"truc_tuyen": 0.5, "truc_tiep": 0.3, "buu_chinh": 0.2}
RATINGS_ON_TIME = (
    ("rat_hai_long", 0.55),
    ("hai_long", 0.35),
    ("binh_thuong", 0.07),
    ("khong_hai_long", 0.03),
)
RATINGS_LATE = (("rat_hai_long", 0.2), ("hai_long", 0.35), ("binh_thuong", 0.25), ("khong_hai_long", 0.2))
PAID_ONLINE = {"truc_tuyen": 0.75, "truc_tiep": 0.2, "buu_chinh": 0.1}
E_RESULT = {"truc_tuyen": 0.85, "truc_tiep": 0.4, "buu_chinh": 0.3}
DIGITISED = {"truc_tuyen": 1.2, "truc_tiep": 1.0, "buu_chinh": 0.8}
REUSED = {"truc_tuyen": 1.3, "truc_tiep": 0.9, "buu_chinh": 0.8}
FEE_EXEMPT = 0.08  # a procedure that charges: share of its dossiers exempted

# unit profiles: (mean, spread, low, high) of a clipped normal, drawn once per unit
UNIT_ONLINE = (0.45, 0.12, 0.15, 0.85)
UNIT_POST = (0.05, 0.02, 0.01, 0.12)
UNIT_LATE = (0.045, 0.4, 0.015, 0.12)  # lognormal: median, sigma, low, high
UNIT_APOLOGY = (0.6, 0.15, 0.2, 0.95)
UNIT_DIGITISE = (0.7, 0.12, 0.3, 0.97)
UNIT_REUSE = (0.3, 0.1, 0.05, 0.7)
COMMUNE_SHARE = 0.7  # of all dossiers, when the tree has communes and agencies
COMMUNE_SIZE_SIGMA = 0.6  # lognormal spread of commune volumes; wards (phường) × 1.5
AGENCY_VOLUME = {
    "TTPVHCC": 10,
    "SNNMT": 9,
    "SXD": 4,
    "STC": 3,
    "STP": 1.5,
    "SCT": 1.5,
    "SYT": 1.5,
    "SNV": 1.5,
    "SGDDT": 1.2,
    "SVHTTDL": 0.8,
    "SKHCN": 0.6,
    "BQLKCN": 0.5,
    "SDTTG": 0.2,
    "TTR": 0.1,
}

# procedures: Zipf popularity within each unit's pool, plus pinned heavy procedures (share of pool)
ZIPF_S = 1.1
PINNED = {
    "1.001193": 0.20,  # Đăng ký khai sinh
    "2.000635": 0.12,  # Cấp bản sao trích lục hộ tịch
    "1.004873": 0.10,  # Cấp giấy xác nhận tình trạng hôn nhân
    "2.001035": 0.08,  # Chứng thực giao dịch về quyền sử dụng đất, nhà ở
    "1.014034": 0.05,  # Đăng ký hộ kinh doanh (cập nhật thông tin)
    "1.014027": 0.03,  # Trợ cấp hưu trí xã hội
    "1.007277": 0.25,  # Khai lệ phí trước bạ nhà, đất
    "1.001978": 0.15,  # Giải quyết trợ cấp thất nghiệp
    "1.004222": 0.10,  # Đăng ký thường trú
    "1.011022": 0.08,  # Khai thuế hộ kinh doanh
    "2.000986": 0.08,  # Liên thông khai sinh, thường trú, thẻ BHYT trẻ dưới 6 tuổi
    "1.011441": 0.30,  # Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất
    "1.011443": 0.15,  # Xóa đăng ký biện pháp bảo đảm
    "1.012793": 0.10,  # Đăng ký biến động đất đai
    "2.002083": 0.25,  # Đăng ký doanh nghiệp
    "1.000703": 0.15,  # Giấy phép kinh doanh vận tải bằng xe ô tô
    "1.001777": 0.05,  # Giấy phép đào tạo lái xe
}
FIELD_DAYS = {  # processing time in working days: (days, weight)
    "Hộ tịch": ((1, 6), (3, 2), (5, 1)),
    "Chứng thực": ((1, 1),),
    "Cư trú": ((3, 3), (7, 1)),
    "Đất đai": ((10, 3), (15, 2), (20, 2), (30, 1)),
    "Hoạt động xây dựng": ((10, 2), (15, 2), (20, 2)),
    "Quy hoạch, kiến trúc": ((15, 2), (20, 2)),
    "Đường bộ": ((2, 2), (3, 3), (5, 3), (7, 1)),
    "Thuế": ((3, 2), (5, 2), (6, 1)),
    "Hộ kinh doanh, tổ hợp tác": ((3, 1),),
    "Thành lập và hoạt động doanh nghiệp": ((3, 2), (5, 1)),
    "Bảo hiểm xã hội": ((5, 1), (10, 1)),
    "Bảo trợ xã hội": ((5, 1), (10, 1), (15, 1)),
}
DEFAULT_DAYS = ((3, 2), (5, 4), (7, 3), (10, 4), (15, 4), (20, 2), (30, 1))
FIELD_FEE = {  # share of procedures that charge a fee
    "Hộ tịch": 0.15,
    "Chứng thực": 0.9,
    "Đường bộ": 0.6,
    "Đường thủy nội địa": 0.5,
    "Hoạt động xây dựng": 0.5,
    "Đất đai": 0.7,
    "Thuế": 0.3,
    "Cư trú": 0.3,
    "Lý lịch tư pháp": 1.0,
    "Hộ kinh doanh, tổ hợp tác": 0.8,
    "Thành lập và hoạt động doanh nghiệp": 0.8,
}
DEFAULT_FEE = 0.25
FIELD_ONLINE = {  # multiplies the unit's online share
    "Đất đai": 0.5,
    "Hoạt động xây dựng": 0.6,
    "Quy hoạch, kiến trúc": 0.7,
    "Chứng thực": 0.6,
    "Hộ tịch": 1.25,
    "Thuế": 1.6,
    "Cư trú": 1.4,
    "Thành lập và hoạt động doanh nghiệp": 1.6,
}

# receipts: working days from 1 December of the year before to 31 December; month weights
MONTH_WEIGHT = {
    1: 1.15,
    2: 0.75,
    3: 1.05,
    4: 0.95,
    5: 1.0,
    6: 1.0,
    7: 1.05,
    8: 1.0,
    9: 0.95,
    10: 1.0,
    11: 1.05,
    12: 1.1,
}
WEEKDAY_WEIGHT = (1.15, 1.05, 1.0, 1.0, 0.95, 0.5, 0.5)  # Monday … Sunday (worked weekend days)
LATE_MEAN_DAYS = 2.5  # working days past the due date, for the late ones (1 + exponential)
NEW_DUE_DAYS = (2, 10)  # an apology's new date: this many working days after the old one
PAUSE_DAYS_MEAN = 3.0  # calendar days waiting for a supplement (1 + exponential, at most 30)

WORK_START, WORK_END = 7 * 3600 + 30 * 60, 17 * 3600
MORNING = 4 * 3600  # 07:30–11:30
AFTERNOON_START = 13 * 3600
CUTOFF = 15 * 3600
