"""Vietnamese data for the synthetic roster generator: names, places and agency templates.

Everything here is plain data; `planner.generate` decides how it is combined. District names
and the 2023/2025 commune counts follow DOMAIN §4 [C]; per-district commune counts, ward
names outside four central districts, and the provinces' commune counts are approximations
[I] — the rosters are synthetic ("dữ liệu mô phỏng") and must never be read as real data.

Agency templates use `str.format` fields: `{loc}` the locality as written inside a title
("quận Ba Đình", "phường Phúc Xá", "thành phố"), `{pc}` its Party committee ("Quận ủy Ba
Đình", "Đảng ủy phường Phúc Xá", "Thành ủy") and `{sfx}` a suffix naming the province on
city-level department names (empty for the Hanoi-only presets: "Sở Tài chính").
"""

from __future__ import annotations

from typing import NamedTuple

# ---------------------------------------------------------------------------------- people

# Family names with rough national frequencies (per cent); Hanoi-typical rarer ones included.
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 5.0),
    ("Vũ", 3.5),
    ("Phan", 3.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.6),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Đinh", 1.0),
    ("Đào", 0.8),
    ("Trịnh", 0.8),
    ("Lý", 0.5),
    ("Lương", 0.5),
    ("Mai", 0.5),
    ("Đoàn", 0.5),
    ("Hà", 0.5),
    ("Cao", 0.4),
    ("Tạ", 0.3),
    ("Chu", 0.3),
    ("Kiều", 0.3),
    ("Tô", 0.3),
    ("Lưu", 0.3),
    ("Nghiêm", 0.2),
    ("Khuất", 0.2),
    ("Võ", 0.5),
)

MALE_MIDDLE_NAMES: tuple[tuple[str, float], ...] = (
    ("Văn", 30.0),
    ("Đức", 12.0),
    ("Minh", 10.0),
    ("Quang", 8.0),
    ("Hữu", 6.0),
    ("Xuân", 5.0),
    ("Mạnh", 5.0),
    ("Thanh", 5.0),
    ("Công", 5.0),
    ("Đình", 5.0),
    ("Ngọc", 4.0),
    ("Trọng", 4.0),
    ("Việt", 3.0),
    ("Duy", 3.0),
    ("Thế", 3.0),
    ("Tiến", 2.0),
    ("Bá", 2.0),
    ("Hồng", 2.0),
    ("Anh", 2.0),
)

FEMALE_MIDDLE_NAMES: tuple[tuple[str, float], ...] = (
    ("Thị", 40.0),
    ("Thu", 8.0),
    ("Thanh", 8.0),
    ("Ngọc", 6.0),
    ("Minh", 5.0),
    ("Hồng", 5.0),
    ("Kim", 4.0),
    ("Phương", 4.0),
    ("Hải", 3.0),
    ("Bích", 3.0),
    ("Mai", 3.0),
    ("Thùy", 3.0),
    ("Diệu", 2.0),
    ("Quỳnh", 2.0),
    ("Khánh", 2.0),
)

MALE_GIVEN_NAMES: tuple[str, ...] = (
    "Anh", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải",
    "Hiếu", "Hiệp", "Hoàng", "Hòa", "Hùng", "Huy", "Hưng", "Khánh", "Khôi", "Kiên",
    "Lâm", "Long", "Lợi", "Lực", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc",
    "Quang", "Quân", "Sơn", "Tâm", "Thái", "Thắng", "Thành", "Thịnh", "Tiến", "Toàn",
    "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hoan", "Thanh", "Tuân", "Bảo",
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[str, ...] = (
    "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hậu", "Hiền",
    "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai",
    "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm",
    "Thảo", "Thanh", "Thoa", "Thu", "Thúy", "Thủy", "Trang", "Trinh", "Uyên", "Vân",
    "Yến", "Lý", "Hải", "Nhàn", "Tuyết", "Xuân", "Ánh", "Dịu", "Hiên", "Lụa",
)  # fmt: skip

# ---------------------------------------------------------------------------------- places

# Syllables of plausible commune names; two distinct ones make a name ("Phúc Thịnh").
PLACE_SYLLABLES: tuple[str, ...] = (
    "An", "Bình", "Hòa", "Phú", "Thịnh", "Xuân", "Đông", "Tây", "Nam", "Bắc",
    "Trung", "Tân", "Long", "Thành", "Hưng", "Yên", "Phúc", "Lộc", "Thọ", "Khánh",
    "Quang", "Minh", "Hồng", "Vĩnh", "Mỹ", "Đức", "Hải", "Sơn", "Lâm", "Thủy",
    "Kim", "Ngọc", "Thượng", "Liên", "Hiệp", "Nghĩa", "Thái", "Đại", "Cát", "Lạc",
    "Tiến", "Thắng", "Hợp", "Đồng", "Tiên", "Phương", "Vạn", "Cổ", "Hoàng", "Kiều",
    "Tam", "Lương", "Văn", "Châu", "Quảng", "Định", "Thanh", "Phượng", "Dương", "Vân",
)  # fmt: skip


class District(NamedTuple):
    """A district-level unit of Hanoi in 2023 and the communes under it.

    `wards` lists real ward/commune names when given (otherwise names are synthesised);
    `towns` are its thị trấn. Counts are [I] approximations summing to 579.
    """

    name: str
    kind: str  # quan | huyen | thi_xa
    phuong: int
    xa: int
    towns: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    xa_names: tuple[str, ...] = ()


# Order: the 12 quận as listed in DOMAIN §4, thị xã Sơn Tây, then the 17 huyện (D01…D30).
HANOI_DISTRICTS_2023: tuple[District, ...] = (
    District(
        "Ba Đình", "quan", 14, 0,
        wards=("Phúc Xá", "Trúc Bạch", "Vĩnh Phúc", "Cống Vị", "Liễu Giai", "Nguyễn Trung Trực",
               "Quán Thánh", "Ngọc Hà", "Điện Biên", "Đội Cấn", "Ngọc Khánh", "Kim Mã",
               "Giảng Võ", "Thành Công"),
    ),
    District(
        "Hoàn Kiếm", "quan", 18, 0,
        wards=("Hàng Bạc", "Hàng Bồ", "Hàng Bông", "Hàng Buồm", "Hàng Đào", "Hàng Gai",
               "Hàng Mã", "Lý Thái Tổ", "Cửa Đông", "Cửa Nam", "Đồng Xuân", "Chương Dương",
               "Phúc Tân", "Hàng Trống", "Phan Chu Trinh", "Trần Hưng Đạo", "Hàng Bài",
               "Tràng Tiền"),
    ),
    District(
        "Tây Hồ", "quan", 8, 0,
        wards=("Bưởi", "Thụy Khuê", "Yên Phụ", "Tứ Liên", "Nhật Tân", "Quảng An", "Xuân La",
               "Phú Thượng"),
    ),
    District("Long Biên", "quan", 14, 0),
    District("Cầu Giấy", "quan", 8, 0),
    District(
        "Đống Đa", "quan", 21, 0,
        wards=("Cát Linh", "Văn Miếu", "Quốc Tử Giám", "Láng Thượng", "Ô Chợ Dừa", "Văn Chương",
               "Hàng Bột", "Láng Hạ", "Khâm Thiên", "Thổ Quan", "Nam Đồng", "Trung Phụng",
               "Quang Trung", "Trung Liệt", "Phương Liên", "Thịnh Quang", "Trung Tự",
               "Kim Liên", "Phương Mai", "Ngã Tư Sở", "Khương Thượng"),
    ),
    District("Hai Bà Trưng", "quan", 18, 0),
    District("Hoàng Mai", "quan", 14, 0),
    District("Thanh Xuân", "quan", 11, 0),
    District("Nam Từ Liêm", "quan", 10, 0),
    District("Bắc Từ Liêm", "quan", 13, 0),
    District("Hà Đông", "quan", 17, 0),
    District(
        "Sơn Tây", "thi_xa", 9, 6,
        wards=("Lê Lợi", "Phú Thịnh", "Ngô Quyền", "Quang Trung", "Sơn Lộc", "Xuân Khanh",
               "Trung Hưng", "Viên Sơn", "Trung Sơn Trầm"),
        xa_names=("Đường Lâm", "Thanh Mỹ", "Xuân Sơn", "Kim Sơn", "Sơn Đông", "Cổ Đông"),
    ),
    District("Ba Vì", "huyen", 0, 30, towns=("Tây Đằng",)),
    District("Chương Mỹ", "huyen", 0, 30, towns=("Chúc Sơn", "Xuân Mai")),
    District("Đan Phượng", "huyen", 0, 15, towns=("Phùng",)),
    District("Đông Anh", "huyen", 0, 23, towns=("Đông Anh",)),
    District("Gia Lâm", "huyen", 0, 20, towns=("Trâu Quỳ", "Yên Viên")),
    District("Hoài Đức", "huyen", 0, 19, towns=("Trạm Trôi",)),
    District("Mê Linh", "huyen", 0, 16, towns=("Quang Minh", "Chi Đông")),
    District("Mỹ Đức", "huyen", 0, 21, towns=("Đại Nghĩa",)),
    District("Phú Xuyên", "huyen", 0, 24, towns=("Phú Xuyên", "Phú Minh")),
    District("Phúc Thọ", "huyen", 0, 22, towns=("Phúc Thọ",)),
    District("Quốc Oai", "huyen", 0, 20, towns=("Quốc Oai",)),
    District("Sóc Sơn", "huyen", 0, 25, towns=("Sóc Sơn",)),
    District("Thạch Thất", "huyen", 0, 22, towns=("Liên Quan",)),
    District("Thanh Oai", "huyen", 0, 20, towns=("Kim Bài",)),
    District("Thanh Trì", "huyen", 0, 15, towns=("Văn Điển",)),
    District("Thường Tín", "huyen", 0, 27, towns=("Thường Tín",)),
    District("Ứng Hòa", "huyen", 0, 28, towns=("Vân Đình",)),
)  # fmt: skip

# Hanoi reduced its 579 communes to 526 on 1 Jan 2025 by merging 53 into neighbours [C].
HANOI_MERGES_2025_01 = 53

# The 126 commune-level units of Hanoi from 1 Jul 2025: 51 phường and 75 xã [C for the
# counts; names as published, reproduced to the best of our knowledge].
HANOI_WARDS_2025: tuple[str, ...] = (
    "Hoàn Kiếm", "Cửa Nam", "Ba Đình", "Ngọc Hà", "Giảng Võ", "Hai Bà Trưng", "Vĩnh Tuy",
    "Bạch Mai", "Đống Đa", "Kim Liên", "Văn Miếu - Quốc Tử Giám", "Láng", "Ô Chợ Dừa",
    "Hồng Hà", "Lĩnh Nam", "Hoàng Mai", "Vĩnh Hưng", "Tương Mai", "Định Công", "Hoàng Liệt",
    "Yên Sở", "Thanh Xuân", "Khương Đình", "Phương Liệt", "Cầu Giấy", "Nghĩa Đô", "Yên Hòa",
    "Tây Hồ", "Phú Thượng", "Tây Tựu", "Phú Diễn", "Xuân Đỉnh", "Đông Ngạc", "Thượng Cát",
    "Từ Liêm", "Xuân Phương", "Tây Mỗ", "Đại Mỗ", "Long Biên", "Bồ Đề", "Việt Hưng",
    "Phúc Lợi", "Hà Đông", "Dương Nội", "Yên Nghĩa", "Phú Lương", "Kiến Hưng", "Thanh Liệt",
    "Chương Mỹ", "Sơn Tây", "Tùng Thiện",
)  # fmt: skip

HANOI_COMMUNES_2025: tuple[str, ...] = (
    "Sóc Sơn", "Đa Phúc", "Nội Bài", "Trung Giã", "Kim Anh", "Đông Anh", "Phúc Thịnh",
    "Thư Lâm", "Thiên Lộc", "Vĩnh Thanh", "Mê Linh", "Yên Lãng", "Tiến Thắng", "Quang Minh",
    "Gia Lâm", "Thuận An", "Bát Tràng", "Phù Đổng", "Thanh Trì", "Đại Thanh", "Nam Phù",
    "Ngọc Hồi", "Thượng Phúc", "Thường Tín", "Chương Dương", "Hồng Vân", "Phú Xuyên",
    "Phượng Dực", "Chuyên Mỹ", "Đại Xuyên", "Thanh Oai", "Bình Minh", "Tam Hưng", "Dân Hòa",
    "Vân Đình", "Ứng Thiên", "Hòa Xá", "Ứng Hòa", "Mỹ Đức", "Hồng Sơn", "Phúc Sơn",
    "Hương Sơn", "Phú Nghĩa", "Xuân Mai", "Trần Phú", "Hòa Phú", "Quảng Bị", "Minh Châu",
    "Quảng Oai", "Vật Lại", "Cổ Đô", "Bất Bạt", "Suối Hai", "Ba Vì", "Yên Bài",
    "Đoài Phương", "Phúc Thọ", "Phúc Lộc", "Hát Môn", "Thạch Thất", "Hạ Bằng", "Tây Phương",
    "Hòa Lạc", "Yên Xuân", "Quốc Oai", "Hưng Đạo", "Kiều Phú", "Phú Cát", "Hoài Đức",
    "Dương Hòa", "Sơn Đồng", "An Khánh", "Đan Phượng", "Ô Diên", "Liên Minh",
)  # fmt: skip


class Province(NamedTuple):
    """A province-level unit from 1 Jul 2025 (34 in all) and its commune count [I]."""

    name: str
    kind: str  # thanh_pho (centrally-run city) | tinh
    communes: int


# Commune counts other than Hanoi's are approximate; their sum is the national 3,321 [C].
PROVINCES_2025: tuple[Province, ...] = (
    Province("Hà Nội", "thanh_pho", 126),
    Province("Huế", "thanh_pho", 40),
    Province("Lai Châu", "tinh", 38),
    Province("Điện Biên", "tinh", 45),
    Province("Sơn La", "tinh", 75),
    Province("Lạng Sơn", "tinh", 65),
    Province("Quảng Ninh", "tinh", 54),
    Province("Thanh Hóa", "tinh", 166),
    Province("Nghệ An", "tinh", 130),
    Province("Hà Tĩnh", "tinh", 69),
    Province("Cao Bằng", "tinh", 56),
    Province("Tuyên Quang", "tinh", 124),
    Province("Lào Cai", "tinh", 99),
    Province("Thái Nguyên", "tinh", 92),
    Province("Phú Thọ", "tinh", 148),
    Province("Bắc Ninh", "tinh", 99),
    Province("Hưng Yên", "tinh", 104),
    Province("Hải Phòng", "thanh_pho", 114),
    Province("Ninh Bình", "tinh", 129),
    Province("Quảng Trị", "tinh", 78),
    Province("Đà Nẵng", "thanh_pho", 94),
    Province("Quảng Ngãi", "tinh", 96),
    Province("Gia Lai", "tinh", 135),
    Province("Khánh Hòa", "tinh", 65),
    Province("Lâm Đồng", "tinh", 124),
    Province("Đắk Lắk", "tinh", 102),
    Province("Hồ Chí Minh", "thanh_pho", 168),
    Province("Đồng Nai", "tinh", 95),
    Province("Tây Ninh", "tinh", 96),
    Province("Cần Thơ", "thanh_pho", 103),
    Province("Vĩnh Long", "tinh", 124),
    Province("Đồng Tháp", "tinh", 102),
    Province("Cà Mau", "tinh", 64),
    Province("An Giang", "tinh", 102),
)

# How a locality kind is written: capitalised in its name, lower case inside a title.
KIND_WORDS: dict[str, str] = {
    "quoc_gia": "nước",
    "thanh_pho": "thành phố",
    "tinh": "tỉnh",
    "quan": "quận",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "phuong": "phường",
    "xa": "xã",
    "thi_tran": "thị trấn",
}

# Party committee of a district by kind: "Quận ủy Ba Đình", "Huyện ủy Ba Vì", "Thị ủy Sơn Tây".
DISTRICT_PARTY_COMMITTEES: dict[str, str] = {
    "quan": "Quận ủy",
    "huyen": "Huyện ủy",
    "thi_xa": "Thị ủy",
}

# ------------------------------------------------------------------------------- agencies


class StaffPost(NamedTuple):
    """A kind of non-leading post in an agency; `title` may use `{unit}` and the fields above."""

    title: str
    listed_sector: str = ""
    profession: str = ""  # empty: the agency's profession
    skills: tuple[str, ...] = ()


class Division(NamedTuple):
    """An internal division (phòng) of a city department: head, deputy and staff."""

    name: str  # without "Phòng"
    listed_sector: str = ""
    profession: str = ""


class Agency(NamedTuple):
    """A department, board or office: its name and head/deputy titles as templates."""

    name: str
    head: str
    deputy: str
    kind: str
    bloc: str
    sector: str
    profession: str
    skills: tuple[str, ...]
    staff: tuple[StaffPost, ...]
    divisions: tuple[Division, ...] = ()


def _office(
    name: str,
    sector: str,
    profession: str,
    skills: tuple[str, ...],
    staff: tuple[StaffPost, ...],
) -> Agency:
    """A phòng of a district or commune: "Phòng X {loc}", headed by "Trưởng phòng X {loc}"."""
    rest = name.removeprefix("Phòng ")
    return Agency(
        name=f"{name} {{loc}}",
        head=f"Trưởng phòng {rest} {{loc}}",
        deputy=f"Phó Trưởng phòng {rest} {{loc}}",
        kind="phong",
        bloc="state",
        sector=sector,
        profession=profession,
        skills=skills,
        staff=staff,
    )


def _board(
    name: str,
    sector: str,
    profession: str,
    skills: tuple[str, ...],
    listed: tuple[str, ...],
    divisions: tuple[Division, ...] = (),
) -> Agency:
    """A Party board: "Ban X {pc}", headed by "Trưởng Ban X {pc}"."""
    return Agency(
        name=f"{name} {{pc}}",
        head=f"Trưởng {name} {{pc}}",
        deputy=f"Phó Trưởng {name} {{pc}}",
        kind="ban",
        bloc="party",
        sector=sector,
        profession=profession,
        skills=skills,
        staff=tuple(StaffPost("Chuyên viên {unit}", sector_) for sector_ in listed),
        divisions=divisions,
    )


_SPECIALIST = StaffPost("Chuyên viên {unit}")

PARTY_INSPECTION = Agency(
    name="Ủy ban Kiểm tra {pc}",
    head="Chủ nhiệm Ủy ban Kiểm tra {pc}",
    deputy="Phó Chủ nhiệm Ủy ban Kiểm tra {pc}",
    kind="ban",
    bloc="party",
    sector="inspection",
    profession="inspection",
    skills=("legal", "finance"),
    staff=(StaffPost("Kiểm tra viên {unit}", "inspection"),),
    divisions=(Division("Kiểm tra số 1", "inspection"), Division("Kiểm tra số 2", "inspection")),
)

STATE_INSPECTION = Agency(
    name="Thanh tra {loc}",
    head="Chánh Thanh tra {loc}",
    deputy="Phó Chánh Thanh tra {loc}",
    kind="phong",
    bloc="state",
    sector="inspection",
    profession="inspection",
    skills=("legal", "finance"),
    staff=(StaffPost("Thanh tra viên {unit}", "inspection"), StaffPost("Thanh tra viên {unit}")),
)

# The four Party boards of a district (DOMAIN §4).
DISTRICT_PARTY_BOARDS: tuple[Agency, ...] = (
    _board("Ban Tổ chức", "personnel", "party_work", (), ("personnel", "personnel", "")),
    _board("Ban Tuyên giáo", "", "party_work", ("mass_mobilisation",), ("",)),
    _board("Ban Dân vận", "", "party_work", ("mass_mobilisation",), ("",)),
    PARTY_INSPECTION,
)

# Offices every district has (10), then the two that differ between quận and huyện.
DISTRICT_OFFICES: tuple[Agency, ...] = (
    _office("Phòng Nội vụ", "internal_affairs", "administration", ("legal",),
            (StaffPost("Chuyên viên {unit}", "personnel"), _SPECIALIST)),
    _office("Phòng Tư pháp", "justice", "justice", ("legal",),
            (StaffPost("Chuyên viên hộ tịch {unit}", "front_desk"), _SPECIALIST)),
    _office("Phòng Tài chính - Kế hoạch", "finance", "finance_accounting", ("finance", "planning"),
            (StaffPost("Chuyên viên quản lý ngân sách {unit}", "finance_budget"),
             StaffPost("Chuyên viên quản lý công sản {unit}", "public_assets"),
             StaffPost("Chuyên viên kế hoạch - đầu tư {unit}", "investment"),
             _SPECIALIST)),
    _office("Phòng Tài nguyên và Môi trường", "natural_resources_environment",
            "land_management", ("natural_resources", "environment"),
            (StaffPost("Chuyên viên quản lý đất đai {unit}", "land"),
             StaffPost("Chuyên viên quản lý đất đai {unit}", "land"),
             StaffPost("Chuyên viên môi trường {unit}", "", "environment", ("environment",)))),
    _office("Phòng Lao động - Thương binh và Xã hội", "", "culture_society", (),
            (StaffPost("Chuyên viên {unit}", "front_desk"), _SPECIALIST)),
    _office("Phòng Văn hóa và Thông tin", "culture", "culture_society", ("it",),
            (_SPECIALIST, StaffPost("Chuyên viên công nghệ thông tin {unit}", "", "it", ("it",)))),
    _office("Phòng Giáo dục và Đào tạo", "education", "education", ("education",),
            (_SPECIALIST, StaffPost("Chuyên viên kế toán {unit}", "finance_budget",
                                    "finance_accounting", ("finance",)))),
    _office("Phòng Y tế", "health", "health", ("health",), (_SPECIALIST,)),
    STATE_INSPECTION,
    Agency(
        name="Văn phòng HĐND và UBND {loc}",
        head="Chánh Văn phòng HĐND và UBND {loc}",
        deputy="Phó Chánh Văn phòng HĐND và UBND {loc}",
        kind="phong",
        bloc="state",
        sector="office",
        profession="administration",
        skills=("it",),
        staff=(StaffPost("Chuyên viên bộ phận một cửa {unit}", "front_desk"), _SPECIALIST,
               StaffPost("Kế toán {unit}", "finance_budget", "finance_accounting", ("finance",))),
    ),
)  # fmt: skip

URBAN_DISTRICT_OFFICES: tuple[Agency, ...] = (
    _office("Phòng Quản lý đô thị", "construction", "construction",
            ("urban_management", "construction", "planning"),
            (StaffPost("Chuyên viên quản lý xây dựng {unit}", "investment"), _SPECIALIST)),
    _office("Phòng Kinh tế", "industry_trade", "administration", ("planning",),
            (StaffPost("Chuyên viên {unit}", "front_desk"), _SPECIALIST)),
)  # fmt: skip

RURAL_DISTRICT_OFFICES: tuple[Agency, ...] = (
    _office("Phòng Kinh tế - Hạ tầng", "construction", "construction",
            ("construction", "planning"),
            (StaffPost("Chuyên viên quản lý xây dựng {unit}", "investment"), _SPECIALIST)),
    _office("Phòng Nông nghiệp và Phát triển nông thôn", "", "agriculture",
            ("agriculture", "natural_resources"), (_SPECIALIST,)),
)  # fmt: skip


def _mass_org(name: str) -> Agency:
    """A mass organisation under the Front: "Hội X {loc}", chaired by "Chủ tịch Hội X {loc}"."""
    return Agency(
        name=f"{name} {{loc}}",
        head=f"Chủ tịch {name} {{loc}}",
        deputy=f"Phó Chủ tịch {name} {{loc}}",
        kind="doan_the",
        bloc="front",
        sector="",
        profession="party_work",
        skills=("mass_mobilisation",),
        staff=(_SPECIALIST,),
    )


MASS_ORGANISATIONS: tuple[Agency, ...] = (
    Agency(
        name="Đoàn Thanh niên Cộng sản Hồ Chí Minh {loc}",
        head="Bí thư Đoàn Thanh niên {loc}",
        deputy="Phó Bí thư Đoàn Thanh niên {loc}",
        kind="doan_the",
        bloc="front",
        sector="",
        profession="party_work",
        skills=("mass_mobilisation",),
        staff=(_SPECIALIST,),
    ),
    _mass_org("Hội Liên hiệp Phụ nữ"),
    _mass_org("Hội Cựu chiến binh"),
    _mass_org("Hội Nông dân"),
)


class CommunePost(NamedTuple):
    """A civil-servant post of a 2023 commune (công chức cấp xã), in its People's Committee."""

    title: str
    listed_sector: str
    profession: str
    urban_skills: tuple[str, ...]
    rural_skills: tuple[str, ...]
    urban_count: tuple[int, int]  # (min, max) per phường
    rural_count: tuple[int, int]  # per xã / thị trấn


COMMUNE_CIVIL_SERVANTS_2023: tuple[CommunePost, ...] = (
    CommunePost("Công chức Văn phòng - Thống kê {loc}", "", "administration",
                ("it",), ("it",), (2, 3), (1, 2)),
    CommunePost("Công chức Địa chính - Xây dựng {loc}", "land", "land_management",
                ("natural_resources", "urban_management"), ("natural_resources", "agriculture"),
                (2, 3), (1, 2)),
    CommunePost("Công chức Tài chính - Kế toán {loc}", "finance_budget", "finance_accounting",
                ("finance",), ("finance",), (1, 2), (1, 2)),
    CommunePost("Công chức Tư pháp - Hộ tịch {loc}", "front_desk", "justice",
                ("legal",), ("legal",), (2, 2), (1, 2)),
    CommunePost("Công chức Văn hóa - Xã hội {loc}", "", "culture_society",
                ("mass_mobilisation",), ("mass_mobilisation",), (2, 3), (1, 2)),
)  # fmt: skip

# Agencies of a commune from 1 Jul 2025 (two-tier government): Party boards and offices.
COMMUNE_PARTY_BOARDS_2025: tuple[Agency, ...] = (
    PARTY_INSPECTION,
    _board("Ban Xây dựng Đảng", "personnel", "party_work", ("mass_mobilisation",),
           ("personnel", "personnel", "")),
    Agency(
        name="Văn phòng {pc}",
        head="Chánh Văn phòng {pc}",
        deputy="Phó Chánh Văn phòng {pc}",
        kind="ban",
        bloc="party",
        sector="office",
        profession="party_work",
        skills=("it",),
        staff=(_SPECIALIST, StaffPost("Kế toán {unit}", "finance_budget", "finance_accounting",
                                      ("finance",))),
    ),
)  # fmt: skip

COMMUNE_OFFICES_2025: tuple[Agency, ...] = (
    Agency(
        name="Văn phòng HĐND và UBND {loc}",
        head="Chánh Văn phòng HĐND và UBND {loc}",
        deputy="Phó Chánh Văn phòng HĐND và UBND {loc}",
        kind="phong",
        bloc="state",
        sector="office",
        profession="administration",
        skills=("it",),
        staff=(_SPECIALIST, StaffPost("Chuyên viên tư pháp - hộ tịch {unit}", "front_desk",
                                      "justice", ("legal",)),
               StaffPost("Chuyên viên nội vụ {unit}", "personnel")),
    ),
    _office("Phòng Văn hóa - Xã hội", "culture", "culture_society", ("education", "health"),
            (_SPECIALIST, StaffPost("Chuyên viên y tế {unit}", "", "health", ("health",)),
             StaffPost("Chuyên viên giáo dục {unit}", "", "education", ("education",)))),
    Agency(
        name="Trung tâm Phục vụ hành chính công {loc}",
        head="Giám đốc Trung tâm Phục vụ hành chính công {loc}",
        deputy="Phó Giám đốc Trung tâm Phục vụ hành chính công {loc}",
        kind="phong",
        bloc="state",
        sector="",
        profession="administration",
        skills=("it", "legal"),
        staff=(StaffPost("Chuyên viên tiếp nhận hồ sơ {unit}", "front_desk"),),
    ),
)  # fmt: skip

_ECONOMY_STAFF_2025: tuple[StaffPost, ...] = (
    StaffPost("Chuyên viên quản lý đất đai {unit}", "land", "land_management",
              ("natural_resources",)),
    StaffPost("Chuyên viên tài chính - ngân sách {unit}", "finance_budget", "finance_accounting",
              ("finance",)),
    StaffPost("Chuyên viên kế hoạch - đầu tư {unit}", "investment", "finance_accounting",
              ("planning", "finance")),
    StaffPost("Chuyên viên quản lý tài sản công {unit}", "public_assets", "finance_accounting",
              ("finance",)),
    StaffPost("Chuyên viên môi trường {unit}", "", "environment", ("environment",)),
)  # fmt: skip

URBAN_ECONOMY_OFFICE_2025 = _office(
    "Phòng Kinh tế, Hạ tầng và Đô thị", "finance", "construction",
    ("urban_management", "construction", "planning"),
    (*_ECONOMY_STAFF_2025,
     StaffPost("Chuyên viên quản lý đô thị {unit}", "investment", "construction",
               ("urban_management", "construction"))),
)  # fmt: skip

RURAL_ECONOMY_OFFICE_2025 = _office(
    "Phòng Kinh tế", "finance", "finance_accounting", ("agriculture", "planning"),
    (*_ECONOMY_STAFF_2025,
     StaffPost("Chuyên viên nông nghiệp {unit}", "", "agriculture", ("agriculture",))),
)  # fmt: skip


def _department(
    name: str,
    sector: str,
    profession: str,
    skills: tuple[str, ...],
    divisions: tuple[Division, ...],
) -> Agency:
    """A city department (sở): "Sở X{sfx}", headed by "Giám đốc Sở X{sfx}"."""
    return Agency(
        name=f"{name}{{sfx}}",
        head=f"Giám đốc {name}{{sfx}}",
        deputy=f"Phó Giám đốc {name}{{sfx}}",
        kind="so",
        bloc="state",
        sector=sector,
        profession=profession,
        skills=skills,
        staff=(_SPECIALIST,),
        divisions=divisions,
    )


def _city_board(
    name: str, sector: str, skills: tuple[str, ...], divisions: tuple[Division, ...]
) -> Agency:
    return _board(name, sector, "party_work", skills, ("",), divisions)


_CITY_INSPECTION = STATE_INSPECTION._replace(
    kind="so",
    divisions=(Division("Nghiệp vụ 1", "inspection"), Division("Nghiệp vụ 2", "inspection"),
               Division("Tiếp công dân và xử lý đơn thư", "front_desk")),
)  # fmt: skip

_CITY_OFFICE = Agency(
    name="Văn phòng UBND {loc}",
    head="Chánh Văn phòng UBND {loc}",
    deputy="Phó Chánh Văn phòng UBND {loc}",
    kind="so",
    bloc="state",
    sector="office",
    profession="administration",
    skills=("it", "legal"),
    staff=(_SPECIALIST,),
    divisions=(Division("Hành chính - Tổ chức", "personnel"), Division("Tổng hợp"),
               Division("Kế hoạch - Tài chính", "finance_budget", "finance_accounting")),
)  # fmt: skip

_PARTY_OFFICE = Agency(
    name="Văn phòng {pc}",
    head="Chánh Văn phòng {pc}",
    deputy="Phó Chánh Văn phòng {pc}",
    kind="ban",
    bloc="party",
    sector="office",
    profession="party_work",
    skills=("it",),
    staff=(_SPECIALIST,),
    divisions=(Division("Tổng hợp"),
               Division("Tài chính - Quản trị", "finance_budget", "finance_accounting")),
)  # fmt: skip

_ORGANISATION_BOARD = _city_board(
    "Ban Tổ chức", "personnel", (),
    (Division("Tổ chức - Cán bộ", "personnel"), Division("Bảo vệ chính trị nội bộ", "personnel"),
     Division("Cơ sở đảng - Đảng viên")),
)  # fmt: skip

_CITY_HEALTH = _department(
    "Sở Y tế", "health", "health", ("health",),
    (Division("Nghiệp vụ y"), Division("Kế hoạch - Tài chính", "finance_budget",
                                       "finance_accounting"),
     Division("Tổ chức cán bộ", "personnel", "administration")),
)  # fmt: skip

_CITY_EDUCATION = _department(
    "Sở Giáo dục và Đào tạo", "education", "education", ("education",),
    (Division("Giáo dục phổ thông"), Division("Tổ chức cán bộ", "personnel", "administration"),
     Division("Kế hoạch - Tài chính", "finance_budget", "finance_accounting")),
)  # fmt: skip

_CITY_COMMON: tuple[Agency, ...] = (
    _department("Sở Quy hoạch - Kiến trúc", "construction", "construction",
                ("planning", "urban_management"),
                (Division("Quy hoạch đô thị"), Division("Kiến trúc"))),
    _CITY_HEALTH,
    _CITY_EDUCATION,
    _department("Sở Công Thương", "industry_trade", "administration", ("planning",),
                (Division("Quản lý thương mại", "front_desk"), Division("Quản lý công nghiệp"))),
    _department("Sở Tư pháp", "justice", "justice", ("legal",),
                (Division("Hành chính tư pháp", "front_desk"), Division("Bổ trợ tư pháp"),
                 Division("Xây dựng và kiểm tra văn bản"))),
    _department("Sở Văn hóa và Thể thao", "culture", "culture_society", (),
                (Division("Quản lý văn hóa"), Division("Quản lý thể dục thể thao"))),
    _CITY_INSPECTION,
    _CITY_OFFICE,
    _ORGANISATION_BOARD,
    PARTY_INSPECTION,
    _PARTY_OFFICE,
    _city_board("Ban Nội chính", "", ("legal",), (Division("Phòng, chống tham nhũng"),)),
)  # fmt: skip

# City departments and boards before the 2025 reorganisation (hanoi-2023).
CITY_AGENCIES_2023: tuple[Agency, ...] = (
    _department("Sở Nội vụ", "internal_affairs", "administration", ("legal",),
                (Division("Tổ chức, biên chế", "personnel"),
                 Division("Công chức, viên chức", "personnel"),
                 Division("Xây dựng chính quyền"))),
    _department("Sở Tài chính", "finance", "finance_accounting", ("finance",),
                (Division("Quản lý ngân sách", "finance_budget"),
                 Division("Quản lý công sản", "public_assets"),
                 Division("Tài chính đầu tư", "investment"), Division("Quản lý giá"))),
    _department("Sở Kế hoạch và Đầu tư", "planning_investment", "finance_accounting",
                ("planning", "finance"),
                (Division("Tổng hợp, quy hoạch"), Division("Đăng ký kinh doanh", "front_desk"),
                 Division("Thẩm định dự án", "investment"))),
    _department("Sở Tài nguyên và Môi trường", "natural_resources_environment",
                "land_management", ("natural_resources", "environment"),
                (Division("Quản lý đất đai", "land"), Division("Kinh tế đất", "land"),
                 Division("Quản lý môi trường", "", "environment"))),
    _department("Sở Xây dựng", "construction", "construction",
                ("construction", "urban_management"),
                (Division("Quản lý xây dựng", "investment"), Division("Phát triển đô thị"),
                 Division("Quản lý nhà và thị trường bất động sản"))),
    _department("Sở Giao thông vận tải", "", "construction", ("construction", "planning"),
                (Division("Quản lý kết cấu hạ tầng giao thông", "investment"),
                 Division("Quản lý vận tải", "front_desk"))),
    _department("Sở Lao động - Thương binh và Xã hội", "", "culture_society", (),
                (Division("Lao động - Việc làm", "front_desk"), Division("Bảo trợ xã hội"))),
    _department("Sở Nông nghiệp và Phát triển nông thôn", "", "agriculture", ("agriculture",),
                (Division("Trồng trọt"),
                 Division("Kế hoạch - Tài chính", "finance_budget", "finance_accounting"))),
    _department("Sở Thông tin và Truyền thông", "", "it", ("it",),
                (Division("Công nghệ thông tin"), Division("Báo chí - Xuất bản"))),
    *_CITY_COMMON,
    _city_board("Ban Tuyên giáo", "", ("mass_mobilisation",), (Division("Lý luận chính trị"),)),
    _city_board("Ban Dân vận", "", ("mass_mobilisation",), (Division("Dân vận chính quyền"),)),
    *MASS_ORGANISATIONS,
)  # fmt: skip

# City departments and boards after the 2025 reorganisation (hanoi-2025, national).
CITY_AGENCIES_2025: tuple[Agency, ...] = (
    _department("Sở Nội vụ", "internal_affairs", "administration", ("legal",),
                (Division("Tổ chức, biên chế", "personnel"),
                 Division("Công chức, viên chức", "personnel"),
                 Division("Lao động - Việc làm", "front_desk", "culture_society"))),
    _department("Sở Tài chính", "finance", "finance_accounting", ("finance", "planning"),
                (Division("Quản lý ngân sách", "finance_budget"),
                 Division("Quản lý công sản", "public_assets"),
                 Division("Thẩm định dự án", "investment"),
                 Division("Đăng ký kinh doanh", "front_desk"))),
    _department("Sở Nông nghiệp và Môi trường", "natural_resources_environment",
                "land_management", ("natural_resources", "environment", "agriculture"),
                (Division("Quản lý đất đai", "land"), Division("Kinh tế đất", "land"),
                 Division("Quản lý môi trường", "", "environment"),
                 Division("Trồng trọt", "", "agriculture"))),
    _department("Sở Xây dựng", "construction", "construction",
                ("construction", "urban_management"),
                (Division("Quản lý xây dựng", "investment"),
                 Division("Quản lý kết cấu hạ tầng giao thông", "investment"),
                 Division("Phát triển đô thị"))),
    _department("Sở Khoa học và Công nghệ", "", "it", ("it",),
                (Division("Chuyển đổi số"), Division("Quản lý khoa học"))),
    _department("Sở Dân tộc và Tôn giáo", "", "culture_society", ("mass_mobilisation",),
                (Division("Công tác dân tộc"),)),
    *_CITY_COMMON,
    _city_board("Ban Tuyên giáo và Dân vận", "", ("mass_mobilisation",),
                (Division("Lý luận chính trị"), Division("Dân vận"))),
)  # fmt: skip

# ------------------------------------------------------------------------------ vocabulary

PROFESSIONS: tuple[str, ...] = (
    "party_work", "administration", "land_management", "finance_accounting", "justice",
    "culture_society", "construction", "health", "environment", "education", "inspection",
    "it", "agriculture",
)  # fmt: skip

SKILLS: tuple[str, ...] = (
    "urban_management", "natural_resources", "environment", "health", "it", "legal",
    "finance", "planning", "construction", "agriculture", "education", "mass_mobilisation",
)  # fmt: skip

# The 13 sectors of QĐ 114-QĐ/TW whose heads may not be relatives of a level's Party or
# government head (DOMAIN §3).
QD114_SECTORS: frozenset[str] = frozenset(
    {
        "internal_affairs", "inspection", "finance", "banking", "tax", "customs",
        "industry_trade", "planning_investment", "natural_resources_environment", "army",
        "police", "court", "procuracy",
    }
)  # fmt: skip
