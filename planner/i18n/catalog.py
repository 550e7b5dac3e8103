"""The catalogues: labels of domain codes and the messages of the CLI, checker and report.

Vietnamese follows the texts the planners work with (QĐ 65-QĐ/TW, NĐ 138/2020, NĐ 170/2025:
luân chuyển, điều động, biệt phái, chuyển đổi vị trí công tác). Rule labels and legal bases
are not here: they come from the rule files, as written there.
"""

from __future__ import annotations

VOCABULARY: dict[str, dict[str, dict[str, str]]] = {
    "vi": {
        "form": {"rotation": "Luân chuyển", "transfer": "Điều động", "secondment": "Biệt phái",
                 "position_change": "Chuyển đổi vị trí công tác", "appointment": "Bổ nhiệm"},
        "role": {"secretary": "Bí thư", "deputy_secretary": "Phó Bí thư",
                 "chair": "Chủ tịch UBND", "vice_chair": "Phó Chủ tịch UBND",
                 "council_chair": "Chủ tịch HĐND", "front_chair": "Chủ tịch UBMTTQ",
                 "head": "Cấp trưởng", "deputy_head": "Cấp phó", "staff": "Công chức"},
        "level": {"city": "Thành phố", "district": "Quận/huyện", "commune": "Phường/xã",
                  "none": "Chưa có vị trí"},
        "bloc": {"party": "khối Đảng", "state": "khối chính quyền",
                 "front": "MTTQ và đoàn thể"},
        "gender": {"male": "Nam", "female": "Nữ"},
        "status": {"active": "Đang công tác", "discipline": "Đang bị kỷ luật",
                   "investigation": "Đang bị điều tra", "illness": "Đang điều trị bệnh",
                   "study": "Đang đi học", "seconded": "Đang biệt phái",
                   "pregnant": "Đang mang thai", "maternity": "Nghỉ thai sản",
                   "hardship": "Hoàn cảnh đặc biệt khó khăn"},
        "relation": {"spouse": "Vợ/chồng", "parent": "Bố/mẹ", "child": "Con",
                     "sibling": "Anh/chị/em ruột", "parent_in_law": "Bố/mẹ vợ/chồng",
                     "child_in_law": "Con dâu/con rể", "sibling_in_law": "Anh/chị/em vợ/chồng"},
        "bool": {"true": "Có", "false": "Không"},
        "unit": {"cadres over the cap": "cán bộ vượt trần", "grades": "bậc",
                 "months over": "tháng vượt", "months short": "tháng còn thiếu",
                 "moves over the maximum": "lượt vượt mức tối đa",
                 "moves short of the minimum": "lượt thiếu so với mức tối thiểu",
                 "pairs": "cặp", "rounds late": "đợt chậm", "rounds vacant": "đợt để trống",
                 "skills missing": "kỹ năng còn thiếu"},
        "severity": {"hard": "bắt buộc", "soft": "khuyến nghị"},
    },
    "en": {
        "form": {"rotation": "Rotation", "transfer": "Transfer", "secondment": "Secondment",
                 "position_change": "Position change", "appointment": "Appointment"},
        "role": {"secretary": "Secretary", "deputy_secretary": "Deputy secretary",
                 "chair": "Chair", "vice_chair": "Vice chair",
                 "council_chair": "Council chair", "front_chair": "Front chair",
                 "head": "Head", "deputy_head": "Deputy head", "staff": "Staff"},
        "level": {"city": "City", "district": "District", "commune": "Commune",
                  "none": "No post"},
        "bloc": {"party": "Party", "state": "government", "front": "Front and mass org."},
        "gender": {"male": "Male", "female": "Female"},
        "status": {"active": "Active", "discipline": "Under discipline",
                   "investigation": "Under investigation", "illness": "Ill",
                   "study": "Studying", "seconded": "Seconded", "pregnant": "Pregnant",
                   "maternity": "Maternity leave", "hardship": "Hardship"},
        "relation": {"spouse": "Spouse", "parent": "Parent", "child": "Child",
                     "sibling": "Sibling", "parent_in_law": "Parent-in-law",
                     "child_in_law": "Child-in-law", "sibling_in_law": "Sibling-in-law"},
        "bool": {"true": "Yes", "false": "No"},
        "unit": {},
        "severity": {"hard": "hard", "soft": "soft"},
    },
}

# Further spellings a planner or an HR system writes for a code (matched without case or
# diacritics); the labels above are accepted as well.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "gender": {"male": ("nam",), "female": ("nữ", "nu")},
    "bool": {"true": ("có", "co", "x", "đúng", "true"),
             "false": ("không", "khong", "sai", "false")},
    "form": {"position_change": ("chuyển đổi vị trí", "chuyen doi vi tri")},
    "role": {"head": ("trưởng phòng", "trưởng ban", "giám đốc", "chánh văn phòng"),
             "deputy_head": ("phó trưởng phòng", "phó trưởng ban", "phó giám đốc",
                             "phó chánh văn phòng"),
             "chair": ("chủ tịch", "chủ tịch ubnd"), "vice_chair": ("phó chủ tịch",),
             "staff": ("chuyên viên", "cán bộ", "công chức")},
}

MESSAGES: dict[str, dict[str, str]] = {
    "vi": {
        "verdict.clean": "tuân thủ: không vi phạm quy tắc nào",
        "verdict.soft": "tuân thủ mọi quy tắc bắt buộc; {count} điểm phạt khuyến nghị "
                        "(tổng {total})",
        "verdict.hard": "KHÔNG tuân thủ: {count} vi phạm bắt buộc của {rules} quy tắc",
        "check.checked": "đã kiểm tra {count} lượt điều chuyển",
        "check.basis": "căn cứ",
        "check.more": "… và {count} vi phạm khác (dùng --json để xem tất cả)",
        "violation": "{who}{what}{when}{amount}",
        "plan.kept": "--from {source}: giữ {kept} trong {total} lượt, {changed} lượt thay đổi, "
                     "{dropped} lượt bị loại trước khi giải",
        "plan.wrote": "đã ghi {folder}/moves.csv, unplaced.csv, plan.yaml",
        "infeasible.title": "KHÔNG KHẢ THI: các quy tắc bắt buộc không để lại phương án hợp "
                            "lệ cho các cán bộ đến hạn sau",
        "infeasible.cadre": "{cadre} ({post}) đến hạn theo {rule} — {label} trước đợt {round}",
        "infeasible.refused": "bị {rule} — {label} loại {count} phương án",
        "infeasible.relax": "Nới lỏng nhỏ nhất tìm được: {description}",
        "infeasible.verified": "đã kiểm chứng: giải lại với thay đổi này, mọi cán bộ đến hạn "
                               "đều được bố trí",
        "infeasible.unverified": "chưa đủ nếu chỉ thay đổi này",
        "infeasible.overlay": "Dán vào scenario.yaml (overlay):",
    },
    "en": {
        "verdict.clean": "compliant: no rule is violated",
        "verdict.soft": "compliant with every hard rule; {count} soft penalties (total {total})",
        "verdict.hard": "NOT compliant: {count} hard violations of {rules} rules",
        "check.checked": "checked {count} moves",
        "check.basis": "basis",
        "check.more": "… and {count} more (use --json for all)",
        "violation": "{who}{what}{when}{amount}",
        "plan.kept": "--from {source}: kept {kept} of {total} moves, {changed} changed, "
                     "{dropped} dropped before solving",
        "plan.wrote": "wrote {folder}/moves.csv, unplaced.csv, plan.yaml",
        "infeasible.title": "INFEASIBLE: the hard rules leave these due cadres without a "
                            "lawful move",
        "infeasible.cadre": "{cadre} ({post}) is due under {rule} — {label} by {round}",
        "infeasible.refused": "{rule} — {label} refused {count} options",
        "infeasible.relax": "Smallest relaxation found: {description}",
        "infeasible.verified": "verified: re-solved with it, every due cadre is placed",
        "infeasible.unverified": "not enough on its own",
        "infeasible.overlay": "Paste into scenario.yaml (overlay):",
    },
}
