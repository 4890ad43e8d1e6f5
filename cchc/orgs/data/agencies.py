"""The agencies of a provincial People's Committee after the 2025 reorganisation
(Nghị định 45/2025/NĐ-CP), with the former agencies each one absorbed.

(code suffix, name, short name, aliases, former agencies merged into it on 1/3/2025)
Former agencies become historical units with this agency as their successor, so that plans
written before 2025 ("Sở Thông tin và Truyền thông") resolve to today's unit.
"""

AGENCIES_REORGANISED_ON = "2025-03-01"

PROVINCIAL_AGENCIES: list[tuple[str, str, str, list[str], list[str]]] = [
    ("VP", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng UBND tỉnh", ["VP UBND tỉnh", "Văn phòng UBND"], []),
    ("SNV", "Sở Nội vụ", "Sở Nội vụ", ["SNV"], ["Sở Lao động - Thương binh và Xã hội"]),
    ("STP", "Sở Tư pháp", "Sở Tư pháp", ["STP"], []),
    ("STC", "Sở Tài chính", "Sở Tài chính", ["STC"], ["Sở Kế hoạch và Đầu tư"]),
    ("SXD", "Sở Xây dựng", "Sở Xây dựng", ["SXD"], ["Sở Giao thông vận tải"]),
    ("SCT", "Sở Công Thương", "Sở Công Thương", ["SCT"], []),
    (
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        "Sở Nông nghiệp và Môi trường",
        ["Sở NN&MT"],
        ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường"],
    ),
    (
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        "Sở Khoa học và Công nghệ",
        ["Sở KH&CN"],
        ["Sở Thông tin và Truyền thông"],
    ),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Sở Giáo dục và Đào tạo", ["Sở GD&ĐT"], []),
    ("SYT", "Sở Y tế", "Sở Y tế", ["SYT"], []),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Văn hóa, Thể thao và Du lịch",
        ["Sở VHTTDL", "Sở VH-TT-DL"],
        [],
    ),
    ("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở Dân tộc và Tôn giáo", ["Ban Dân tộc"], ["Ban Dân tộc tỉnh"]),
    ("TTR", "Thanh tra tỉnh", "Thanh tra tỉnh", ["Thanh tra"], []),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp", "Ban Quản lý các KCN", ["Ban Quản lý Khu kinh tế"], []),
]

# Units under an agency: (parent suffix, code suffix, name, aliases)
AGENCY_SUBUNITS: list[tuple[str, str, str, list[str]]] = [
    (
        "VP",
        "TTPVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh",
        ["Trung tâm Phục vụ hành chính công", "TTPVHCC"],
    ),
    ("SNV", "SNV.CCHC", "Phòng Cải cách hành chính", []),
]

# Provincial bodies that are not specialised agencies but lead plan tasks.
OTHER_BODIES: list[tuple[str, str, list[str]]] = [
    ("TRCT", "Trường Chính trị tỉnh", ["Trường Chính trị"]),
    (
        "BAO",
        "Báo và Phát thanh, Truyền hình tỉnh",
        ["Đài Phát thanh - Truyền hình", "Đài Phát thanh và Truyền hình", "Báo", "Báo tỉnh"],
    ),
    ("BDT", "Bưu điện tỉnh", ["Bưu điện"]),
]
