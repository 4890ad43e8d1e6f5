"""Infer a procedure's field (lĩnh vực), competent agency and level from words in its name.

Used by the demo catalogue (`cchc.procedures.demo`), which has only codes and names. Rules are
tried in order and the first whose words appear in the folded name (`cchc.core.text.fold`)
wins; the order matters where words overlap ("đào tạo lái xe" is transport before "đào tạo"
is education). Agencies are the post-2025 provincial agencies (`cchc.orgs.data.agencies`):
transport went to Sở Xây dựng, labour and people with merit to Sở Nội vụ, social protection and
children to Sở Y tế, press and publishing to Sở Văn hóa, Thể thao và Du lịch. The table is in
docs/procedures.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cchc.core.text import nfc

PROVINCE, COMMUNE, CENTRAL_LOCAL = "province", "commune", "central_local"
# Central procedures received at the province's Public Administration Service Centre.
RECEIVING_CENTRE = "TTPVHCC"


@dataclass(frozen=True)
class FieldRule:
    field: str
    agency: str  # code suffix under the province ("STP" → "P75.STP")
    level: str
    words: tuple[str, ...]


# "hoá", "thuỷ" (old tone placement) → "hóa", "thủy": a tone on the last vowel of a final
# "oa", "oe", "uy" moves to the first.
_OLD_TONE = re.compile(r"([ou])(a|e|y)([\u0300\u0301\u0303\u0309\u0323])(?!\w)")


def _modern_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_TONE.sub(lambda m: m[1] + m[3] + m[2], decomposed))


def words_of(text: str) -> str:
    """Lower-case NFC text with the modern tone placement ("hoá" → "hóa"), punctuation turned
    into spaces (commas kept as " , "), padded with spaces for whole-word matching."""
    text = _modern_tones(nfc(text).lower())
    text = re.sub(r"[^\w,]+", " ", text).replace(",", " , ")
    return f" {' '.join(text.split())} "


def _words(spec: str) -> tuple[str, ...]:
    return tuple(words_of(w) for w in spec.split("|") if w.strip())


def _rule(field: str, agency: str, level: str, words: str) -> FieldRule:
    return FieldRule(field, agency, level, _words(words))


# Ministry-only procedures (decided and received in Hà Nội): not in a provincial catalogue.
CENTRAL_ONLY = (
    "thẩm quyền của bộ | cấp trung ương | ở trung ương | cấp bộ | cấp cục | cấp quốc gia | thẩm quyền cấp của bộ | "
    "quản lý của bộ | của bộ công thương | xuất xứ hàng hóa | ngân hàng nhà nước | thống đốc | tàu bay | "
    "giải thưởng nhà nước | giải thưởng hồ chí minh | chương trình ưu đãi thuế | hải quan | "
    "đầu mối kinh doanh xăng dầu | thương nhân phân phối xăng dầu | tên miền | gtld | h2h | băng tần | "
    "đài phát thanh quốc gia | mã , số viễn thông | hạn ngạch | kimberly | cảng hàng không | "
    "tổng công trình sư | kiến trúc sư trưởng | sản phẩm quốc gia | liên bang nga | quốc phòng | "
    "lực lượng vũ trang nước ngoài | chữ ký điện tử chuyên dùng | kinh doanh hàng miễn thuế | "
    "hợp đồng dầu khí | viện trợ | hiệp định thuế | ngoại giao | nhà thầu nước ngoài | "
    "chuyên gia đánh giá | tàu biển | cổ vật không thuộc sở hữu nhà nước | đa phương thức quốc tế | cạnh tranh | tập trung kinh tế | lưu hành tự do"
)
CENTRAL_ONLY_WORDS = _words(CENTRAL_ONLY)

FIELD_RULES: list[FieldRule] = [
    # received locally, decided by central agencies
    _rule(
        "Thuế",
        RECEIVING_CENTRE,
        CENTRAL_LOCAL,
        "thuế | lệ phí trước bạ | đối tượng cư trú | giảm trừ gia cảnh | tiền thuê đất | tiền sử dụng đất | phí bảo vệ môi trường | mã số đơn vị có quan hệ",
    ),
    _rule("Thi hành án dân sự", RECEIVING_CENTRE, CENTRAL_LOCAL, "thi hành án | chấp hành viên"),
    _rule(
        "Bảo hiểm xã hội", RECEIVING_CENTRE, CENTRAL_LOCAL, "thai sản | trợ cấp thất nghiệp | bảo hiểm xã hội"
    ),
    _rule(
        "Xuất nhập cảnh",
        RECEIVING_CENTRE,
        CENTRAL_LOCAL,
        "hộ chiếu | nhập cảnh | thông hành | xuất nhập cảnh",
    ),
    _rule("An ninh trật tự", RECEIVING_CENTRE, CENTRAL_LOCAL, "antt | an ninh , trật tự"),
    _rule(
        "Ngân hàng",
        RECEIVING_CENTRE,
        CENTRAL_LOCAL,
        "ngoại tệ | ngoại hối | tổ chức tín dụng | tài chính vi mô | quỹ tín dụng | trung gian thanh toán | dịch vụ thanh toán | vay ra nước ngoài | trái phiếu | vàng miếng",
    ),
    _rule("Cư trú", RECEIVING_CENTRE, CENTRAL_LOCAL, "thường trú | tách hộ"),
    # justice
    _rule(
        "Chứng thực",
        "STP",
        COMMUNE,
        "chứng thực văn bản | chứng thực di chúc | chứng thực giao dịch | chứng thực việc | chứng thực bản sao | chứng thực chữ ký",
    ),
    _rule(
        "Hộ tịch",
        "STP",
        COMMUNE,
        "khai sinh | kết hôn | khai tử | hộ tịch | nhận cha , mẹ , con | giám hộ | tình trạng hôn nhân | xác định lại dân tộc",
    ),
    _rule("Nuôi con nuôi", "STP", PROVINCE, "con nuôi"),
    _rule("Quốc tịch", "STP", PROVINCE, "quốc tịch"),
    _rule("Lý lịch tư pháp", "STP", PROVINCE, "lý lịch tư pháp"),
    _rule("Trợ giúp pháp lý", "STP", PROVINCE, "trợ giúp pháp lý | tư vấn pháp luật"),
    _rule("Hòa giải ở cơ sở", "STP", COMMUNE, "hòa giải"),
    _rule("Bồi thường nhà nước", "STP", PROVINCE, "yêu cầu bồi thường"),
    _rule("Giám định tư pháp", "SXD", PROVINCE, "tư pháp xây dựng"),
    _rule(
        "Bổ trợ tư pháp",
        "STP",
        PROVINCE,
        "công chứng | giám định viên | giám định tư pháp | luật sư | thừa phát lại | quản tài viên | quản lý , thanh lý tài sản | pháp y",
    ),
    # inspection, complaints
    _rule(
        "Tiếp công dân, khiếu nại, tố cáo", "TTR", PROVINCE, "tiếp công dân | khiếu nại | tố cáo | xử lý đơn"
    ),
    _rule("Phòng, chống tham nhũng", "TTR", PROVINCE, "tham nhũng | giải trình | tài sản , thu nhập"),
    # land, environment, agriculture
    _rule(
        "Đất đai",
        "SNNMT",
        PROVINCE,
        "đất đai | quyền sử dụng đất | giao đất | thu hồi đất | biến động | đính chính giấy chứng nhận | tài sản gắn liền với đất | tái định cư | nhà đất",
    ),
    _rule("Thủy lợi, đê điều", "SNNMT", PROVINCE, "thủy lợi | đê điều | tài liệu an toàn"),
    _rule("Lâm nghiệp", "SNNMT", PROVINCE, "rừng | lâm nghiệp | lâm sản"),
    _rule("Thú y", "SNNMT", PROVINCE, "thú y | kiểm dịch động vật | sản phẩm động vật"),
    _rule(
        "Trồng trọt, bảo vệ thực vật",
        "SNNMT",
        PROVINCE,
        "kiểm dịch thực vật | giống cây | trồng trọt | phân bón | bảo vệ thực vật",
    ),
    _rule("Thủy sản", "SNNMT", PROVINCE, "tàu cá | thủy sản | nuôi trồng"),
    _rule("Chăn nuôi, nông nghiệp", "SNNMT", PROVINCE, "chăn nuôi | nông nghiệp | dược liệu"),
    _rule("Khoáng sản", "SNNMT", PROVINCE, "khoáng sản | thăm dò"),
    _rule("Tài nguyên nước", "SNNMT", PROVINCE, "sử dụng nước | tài nguyên nước | nước thải | xả thải"),
    _rule(
        "Khí tượng thủy văn, đo đạc",
        "SNNMT",
        PROVINCE,
        "khí tượng | thời tiết | biến đổi khí hậu | đo đạc | bản đồ",
    ),
    _rule("Môi trường", "SNNMT", PROVINCE, "môi trường | chất thải | nạo vét"),
    # transport (Sở Xây dựng since 2025)
    _rule(
        "Đường bộ",
        "SXD",
        PROVINCE,
        "đường bộ | xe ô tô | lái xe | bến xe | xe bốn bánh | xe cơ giới | xe máy chuyên dùng | xe mô tô | nút giao | quốc lộ | phù hiệu | lòng đường | đăng kiểm | bảo dưỡng ô tô",
    ),
    _rule(
        "Đường thủy nội địa",
        "SXD",
        PROVINCE,
        "đường thủy | bến thủy | cảng thủy | phương tiện thủy | thủy nội địa | khu neo đậu | thuyền viên | bến khách ngang sông | phương tiện | vui chơi , giải trí dưới nước | vận tải thủy | từ bờ ra đảo",
    ),
    _rule("Đường sắt", "SXD", PROVINCE, "đường ngang | đường sắt"),
    _rule("Đường bộ", "SXD", PROVINCE, "vận tải | liên vận | xe tập lái"),
    # industry and trade
    _rule("An toàn thực phẩm", "SYT", PROVINCE, "bộ y tế | kiểm nghiệm | dịch vụ ăn uống"),
    _rule("An toàn thực phẩm", "SNNMT", PROVINCE, "nông , lâm , thủy sản"),
    _rule(
        "Lưu thông hàng hóa",
        "SCT",
        PROVINCE,
        "thuốc lá | rượu | bán lẻ | bán buôn | chợ biên giới | thương mại biên giới | bán hàng đa cấp | hội chợ | triển lãm thương mại | giám định thương mại | khuyến mại | thương mại điện tử",
    ),
    _rule("Kinh doanh khí, xăng dầu", "SCT", PROVINCE, "xăng dầu | lpg | cng | lng"),
    _rule("Hóa chất, vật liệu nổ", "SCT", PROVINCE, "hóa chất | vật liệu nổ | thuốc nổ | nổ mìn"),
    _rule(
        "Điện",
        "SCT",
        PROVINCE,
        "điện lực | phát điện | phân phối điện | điện áp | bán lẻ điện | truyền tải điện | lưới điện | chuyên ngành điện | công trình điện",
    ),
    _rule("An toàn thực phẩm", "SCT", PROVINCE, "an toàn thực phẩm | thực phẩm"),
    _rule(
        "Công nghiệp",
        "SCT",
        PROVINCE,
        "công nghiệp nông thôn | khuyến công | công nghiệp hỗ trợ | lắp ráp ô tô | công nghiệp",
    ),
    _rule("Xuất nhập khẩu", "SCT", PROVINCE, "tạm nhập | tái xuất | chuyển khẩu | quá cảnh | thương nhân"),
    # construction
    _rule("Quy hoạch, kiến trúc", "SXD", PROVINCE, "quy hoạch | kiến trúc"),
    _rule("Nhà ở, bất động sản", "SXD", PROVINCE, "nhà ở | nhà chung cư | bất động sản | công sở"),
    _rule("Vật liệu xây dựng", "SXD", PROVINCE, "vật liệu xây dựng"),
    _rule(
        "Hạ tầng kỹ thuật",
        "SXD",
        PROVINCE,
        "cây xanh | chiếu sáng | cấp nước | thoát nước | hạ tầng kỹ thuật",
    ),
    _rule("Hoạt động xây dựng", "SXD", PROVINCE, "xây dựng | công trình | nghiệm thu | phòng cháy"),
    # religion and ethnic affairs
    _rule("Tôn giáo, tín ngưỡng", "SDTTG", PROVINCE, "tôn giáo | tín ngưỡng | chức sắc | chức việc"),
    # education and training
    _rule(
        "Giáo dục và Đào tạo",
        "SGDDT",
        PROVINCE,
        "trường | giáo dục | học sinh | sinh viên | học bổng | tuyển sinh | học phí | văn bằng | ngoại ngữ | du học | mầm non | mẫu giáo | đại học | cao đẳng | trung cấp | đào tạo | nghề nghiệp | học tập | cử tuyển | ăn trưa | nội trú | học",
    ),
    # health, social protection, children (Sở Y tế since 2025)
    _rule(
        "Bảo trợ xã hội",
        "SYT",
        PROVINCE,
        "bảo trợ xã hội | trợ giúp xã hội | khuyết tật | hưu trí xã hội | chăm sóc thay thế | công tác xã hội",
    ),
    _rule("Trẻ em", "SYT", PROVINCE, "trẻ em"),
    _rule("Phòng, chống tệ nạn xã hội", "SYT", PROVINCE, "cai nghiện | ma túy | nạn nhân | tệ nạn"),
    _rule("Dân số", "SYT", COMMUNE, "dân số | sinh con"),
    _rule(
        "Y tế",
        "SYT",
        PROVINCE,
        "y tế | khám bệnh | chữa bệnh | dược | thuốc cổ truyền | mỹ phẩm | bệnh viện | tiêm chủng | dịch bệnh | diệt côn trùng",
    ),
    # labour, people with merit, home affairs (Sở Nội vụ)
    _rule(
        "Người có công",
        "SNV",
        PROVINCE,
        "người có công | liệt sĩ | thương binh | bệnh binh | kháng chiến | cách mạng | chất độc hóa học | bà mẹ việt nam anh hùng | cựu chiến binh | dân công hỏa tuyến | chuyên gia sang giúp | mai táng phí",
    ),
    _rule("Lao động, việc làm", "SNV", PROVINCE, "lao động | việc làm"),
    _rule("Thanh niên", "SNV", PROVINCE, "thanh niên"),
    _rule("Công chức, viên chức", "SNV", PROVINCE, "công chức | viên chức | tuyển chọn chuyên gia"),
    _rule("Văn thư, lưu trữ", "SNV", PROVINCE, "lưu trữ"),
    # culture, sport, tourism, press and publishing
    _rule("Du lịch", "SVHTTDL", PROVINCE, "du lịch | lữ hành"),
    _rule("Thể dục, thể thao", "SVHTTDL", PROVINCE, "thể thao | thể dục"),
    _rule(
        "Báo chí, xuất bản, thông tin",
        "SVHTTDL",
        PROVINCE,
        "báo chí | xuất bản | bản tin | họp báo | đặc san | trò chơi điện tử | mạng xã hội | trang thông tin điện tử | thiết bị in | cơ sở in | hoạt động in | nghe nhìn | thông tin cơ sở",
    ),
    _rule("Di sản văn hóa", "SVHTTDL", PROVINCE, "di sản | di tích | bảo tàng | bảo vật | cổ vật | di vật"),
    _rule(
        "Văn hóa, nghệ thuật",
        "SVHTTDL",
        PROVINCE,
        "văn hóa | nghệ thuật | mỹ thuật | nhiếp ảnh | triển lãm | lễ hội | quảng cáo | karaoke | nghệ nhân | nghệ sĩ | biểu diễn | người đẹp | người mẫu | điêu khắc | điều khắc | gia đình | thư viện | quyền tác giả | quyền liên quan",
    ),
    _rule("Thi đua, khen thưởng", "SNV", PROVINCE, "thi đua | khen thưởng | xét tặng | danh hiệu"),
    # science, technology, telecommunications
    _rule("Năng lượng nguyên tử", "SKHCN", PROVINCE, "bức xạ | năng lượng nguyên tử"),
    _rule(
        "Tiêu chuẩn, đo lường, chất lượng",
        "SKHCN",
        PROVINCE,
        "tiêu chuẩn | đo lường | hợp chuẩn | hợp quy | mã vạch | giải thưởng chất lượng | thử nghiệm | kiểm định",
    ),
    _rule("Sở hữu trí tuệ", "SKHCN", PROVINCE, "sở hữu công nghiệp | sở hữu trí tuệ | giống cây trồng"),
    _rule(
        "Bưu chính, viễn thông",
        "SKHCN",
        PROVINCE,
        "bưu chính | viễn thông | tần số | vô tuyến điện | internet | thuê bao | hợp đồng điện tử | dịch vụ tin cậy | chữ ký điện tử | mật mã | công nghệ thông tin",
    ),
    _rule(
        "Khoa học, công nghệ và đổi mới sáng tạo",
        "SKHCN",
        PROVINCE,
        "khoa học | công nghệ | khởi nghiệp | đổi mới sáng tạo | voucher | lãi suất vay",
    ),
    # planning and investment, finance (Sở Tài chính)
    _rule("Hộ kinh doanh, tổ hợp tác", "STC", COMMUNE, "hộ kinh doanh | tổ hợp tác"),
    _rule("Hợp tác xã", "STC", PROVINCE, "hợp tác xã"),
    _rule("Đầu tư", "STC", PROVINCE, "đầu tư | ppp | nhà đầu tư | bcc"),
    _rule(
        "Thành lập và hoạt động doanh nghiệp",
        "STC",
        PROVINCE,
        "doanh nghiệp | công ty | đăng ký kinh doanh | chi nhánh | văn phòng đại diện",
    ),
    _rule(
        "Tài chính, giá, tài sản công",
        "STC",
        PROVINCE,
        "giá hàng hóa | tài sản công | tài sản kết cấu | ngân sách | kế toán | kiểm toán | đại lý bảo hiểm | sở hữu toàn dân | đấu thầu | xổ số",
    ),
    _rule("Quân sự địa phương", "TTR", COMMUNE, "nghĩa vụ quân sự"),
    _rule("Khu công nghiệp", "BQLKCN", PROVINCE, "khu công nghiệp | khu kinh tế | khu chế xuất"),
    _rule("Xuất nhập khẩu", "SCT", PROVINCE, "xuất khẩu | nhập khẩu | gia công hàng hóa"),
]
# Done by the commune's People's Committee whatever the field says (after 1/7/2025).
COMMUNE_HINTS = _words(
    "cấp xã | lễ hội | tuyển sinh trung học cơ sở | chuyển trường | trường mầm non | trường mẫu giáo | "
    "nhà trẻ | trường tiểu học | trường trung học cơ sở | trung tâm học tập cộng đồng | giáo dục mầm non độc lập | "
    "ăn trưa | mức độ khuyết tật | xác nhận khuyết tật | hưu trí xã hội | mai táng phí | "
    "thanh niên xung phong hoàn thành | dân công hỏa tuyến | người có công giúp đỡ"
)
PROVINCE_HINTS = _words("cấp tỉnh | ủy ban nhân dân tỉnh | ủy ban nhân dân cấp tỉnh | uỷ ban nhân dân tỉnh")


@dataclass(frozen=True)
class Classified:
    field: str
    agency: str
    level: str


def is_central_only(name: str) -> bool:
    if "(trung ương)" in nfc(name).lower():
        return True
    text = words_of(name).replace(" không thuộc thẩm quyền của bộ ", " ")
    return any(w in text for w in CENTRAL_ONLY_WORDS)


def classify(name: str, source_field: str = "") -> Classified | None:
    """Field, agency suffix and level for a procedure name, or None when no rule applies. The
    field the source table gave (`source_field`, e.g. "Đường bộ") is used when the name alone
    says nothing."""
    found = _classify(name)
    if found is None and source_field:
        found = _classify(source_field)
    return found


def _classify(name: str) -> Classified | None:
    text = words_of(name)
    for rule in FIELD_RULES:
        if any(w in text for w in rule.words):
            level = rule.level
            if level == PROVINCE and any(h in text for h in COMMUNE_HINTS):
                level = COMMUNE
            if (
                level == COMMUNE
                and rule.agency != RECEIVING_CENTRE
                and any(h in text for h in PROVINCE_HINTS)
            ):
                level = PROVINCE
            return Classified(rule.field, rule.agency, level)
    return None
