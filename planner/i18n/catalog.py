"""The catalogues: labels of domain codes and the messages of the CLI, checker and report.

Vietnamese follows the texts the planners work with (QĐ 65-QĐ/TW, NĐ 138/2020, NĐ 170/2025:
luân chuyển, điều động, biệt phái, chuyển đổi vị trí công tác). Rule labels and legal bases
are not here: they come from the rule files, as written there.
"""

from __future__ import annotations

from typing import Any

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
                 "skills missing": "kỹ năng còn thiếu",
                 "months of service short": "tháng công tác còn thiếu",
                 "rounds in an ended post": "đợt ở vị trí đã kết thúc",
                 "extra holders": "người đảm nhiệm thừa"},
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
        "check.count": "{count} vi phạm",
        "check.counts": "{count} vi phạm",
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
        "check.count": "{count} violation",
        "check.counts": "{count} violations",
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

# The checker's messages, keyed by their English template (`planner.i18n.messages.say` in
# the kinds; text read back from files is matched against the same templates). A `{value}`
# that is itself a message, a date, or a code (form, role, status, relation) is said in the
# language too. Fragments that the kinds build as plain text are templates here as well.
TEMPLATES: dict[str, dict[str, str]] = {"vi": {
    # adaptation
    "{unit}: {count} of its {posts} leaders adapt in {round}, at most {cap} ({share} of "
    "{posts}): {who}": "{unit}: {count}/{posts} lãnh đạo đang thích ứng trong đợt {round}, tối "
                       "đa {cap} ({share} của {posts}): {who}",
    "{locality}: {held} adapt together in {round}: {who}":
        "{locality}: {held} cùng đang thích ứng trong đợt {round}: {who}",
    "{cadre} in {post} {since}…{until}": "{cadre} tại {post} {since}…{until}",
    # appointment
    "{cadre} may not move up to {post} by {form} on {day}: {missing}":
        "{cadre} không được lên vị trí {post} theo hình thức {form} ngày {day}: {missing}",
    "no planning pool for {token} or an equivalent or higher title (pool: {pool})":
        "không có quy hoạch {token} hoặc chức danh tương đương trở lên (quy hoạch: {pool})",
    "{left} months of service left (retires {day}), {needed} needed":
        "còn {left} tháng công tác (nghỉ hưu {day}), cần {needed}",
    "{served} months in the current post (since {since}), {needed} needed":
        "{served} tháng ở vị trí hiện tại (từ {since}), cần {needed}",
    "under {status} until {day}": "{status} đến {day}",
    "under {status}": "{status}",
    # eligibility
    "{cadre} may not take a {form} to {post}: {missing}":
        "{cadre} không được {form} đến {post}: {missing}",
    "is in no planning pool": "không thuộc diện quy hoạch",
    "is not in a planning pool for {token} (pool: {pool})":
        "không thuộc quy hoạch {token} (quy hoạch: {pool})",
    "is not in a planning pool for {token}": "không thuộc quy hoạch {token}",
    "holds a {role} post; a {form} moves {roles} only":
        "đang giữ vị trí {role}; hình thức {form} chỉ áp dụng cho {roles}",
    "a {form} fills {roles} posts only, not a {role} post":
        "hình thức {form} chỉ bố trí vào vị trí {roles}, không phải vị trí {role}",
    "has {left} months of service left on {day} (retires {retires}), {needed} needed":
        "còn {left} tháng công tác tính đến {day} (nghỉ hưu {retires}), cần {needed}",
    # equivalence
    "{post} ({tokens}) is not in the table of equivalent posts":
        "{post} ({tokens}) không có trong bảng chức danh tương đương",
    "{cadre}: {origin} → {post} takes a leader to a staff post; leaving leadership is a "
    "dismissal or a resignation, not a {form}":
        "{cadre}: {origin} → {post} đưa người giữ chức vụ lãnh đạo về vị trí không giữ chức "
        "vụ; thôi giữ chức vụ lãnh đạo là miễn nhiệm hoặc từ chức, không phải {form}",
    "{cadre}: {origin} → {post} is a {relation} post; {why}":
        "{cadre}: {origin} → {post} là vị trí {relation}; {why}",
    "higher": "cao hơn", "lower": "thấp hơn", "equivalent": "tương đương",
    "a higher post needs an explicit decision (pin with higher: true)":
        "lên vị trí cao hơn cần quyết định riêng (pin với higher: true)",
    "a {form} may go {allowed} only": "hình thức {form} chỉ được sang vị trí {allowed}",
    # exemption
    "{cadre} is deferred from {form} on {day}: {reason}":
        "{cadre} được hoãn {form} ngày {day}: {reason}",
    "{cadre} is exempt from {form} on {day}: {reason}":
        "{cadre} được miễn {form} ngày {day}: {reason}",
    "status {status} until {day}": "{status} đến {day}",
    "status {status}": "{status}",
    "{remaining} months to retirement on {day} (retires {retires}; fewer than {limit})":
        "còn {remaining} tháng đến tuổi nghỉ hưu tính đến {day} (nghỉ hưu {retires}; dưới "
        "{limit})",
    "raising a child of {age} months (born {born})":
        "đang nuôi con {age} tháng tuổi (sinh {born})",
    # existence
    "{cadre} cannot move to {post} in {round}: {problem}":
        "{cadre} không thể đến {post} trong đợt {round}: {problem}",
    "{cadre}'s post {post} ends on {day} and {cadre} {how}: awaiting assignment (no lawful "
    "open post)": "vị trí {post} của {cadre} kết thúc ngày {day} và {cadre} {how}: chờ bố trí "
                  "(không còn vị trí trống hợp lệ)",
    "{post} exists only from {day}": "{post} chỉ có từ ngày {day}",
    "{post} ends on {day}, before the secondment's return on {end}":
        "{post} kết thúc ngày {day}, trước ngày hết biệt phái {end}",
    "{post} ends on {day}, before the horizon ends ({end}): the cadre would need a second move":
        "{post} kết thúc ngày {day}, trước khi hết kỳ kế hoạch ({end}): cán bộ sẽ phải điều "
        "chuyển lần nữa",
    "the home post {post} ends on {day}, before the return on {end}":
        "vị trí gốc {post} kết thúc ngày {day}, trước ngày trở về {end}",
    "is not moved": "không được điều chuyển",
    "moves only by {form} in {round}": "chỉ được {form} trong đợt {round}",
    # freeze
    "{cadre}: {form} to {post} ({role}) on {day} falls in the freeze from {since} {until}":
        "{cadre}: {form} đến {post} ({role}) ngày {day} rơi vào thời gian tạm dừng từ {since} "
        "{until}",
    "until {day}": "đến {day}",
    "with no end date": "chưa có ngày kết thúc",
    # min tenure
    "{cadre} has served {served} months in {origin} (since {since}) on {day}; {needed} are "
    "needed before a {form} → {short} months short":
        "{cadre} mới giữ {origin} {served} tháng (từ {since}) tính đến {day}; cần {needed} "
        "tháng trước khi {form} → còn thiếu {short} tháng",
    # move graph
    "{cadre} holds no post; a {form} needs an origin":
        "{cadre} không giữ vị trí nào; hình thức {form} cần một vị trí gốc",
    "{cadre}: {form} {origin} → {post} ({direction}) matches no allowed direction":
        "{cadre}: {form} {origin} → {post} ({direction}) không theo hướng nào được phép",
    "{cadre}: grade {before} → {after} is {refusal} for a {form}":
        "{cadre}: bậc {before} → {after} là {refusal} đối với hình thức {form}",
    "not equivalent": "không tương đương",
    "not equivalent or one step up": "không tương đương cũng không cao hơn một bậc",
    "{cadre}: a {form} keeps the profession, but {before} ≠ {after}":
        "{cadre}: hình thức {form} phải giữ chuyên ngành, nhưng {before} ≠ {after}",
    "(none)": "(không có)",
    # non-local
    "{cadre} (hometown {hometown}) is local to {area} and may not take {role} post {post} "
    "there": "{cadre} (quê quán {hometown}) là người địa phương {area}, không được giữ vị trí "
             "{role} {post} tại đây",
    # qualification
    "{cadre} may not take a {form} to {post}: {why}":
        "{cadre} không được {form} đến {post}: {why}",
    "{post} needs {needs}; {cadre} is {profession} with skills {skills}":
        "{post} cần {needs}; {cadre} có chuyên ngành {profession}, kỹ năng {skills}",
    "(no profession)": "(chưa có chuyên ngành)",
    "profession {profession}": "chuyên ngành {profession}",
    "one of the skills {skills}": "một trong các kỹ năng {skills}",
    # quota
    "{count} matching moves {where}, at most {max}: {moves}":
        "{count} lượt điều chuyển thuộc diện {where}, tối đa {max}: {moves}",
    "{count} matching moves {where}, at least {min} needed":
        "{count} lượt điều chuyển thuộc diện {where}, cần ít nhất {min}",
    "{count} matching move {where}, at most {max}: {moves}":
        "{count} lượt điều chuyển thuộc diện {where}, tối đa {max}: {moves}",
    "{count} matching move {where}, at least {min} needed":
        "{count} lượt điều chuyển thuộc diện {where}, cần ít nhất {min}",
    "in the horizon": "trong kỳ kế hoạch",
    "into {unit}": "vào {unit}",
    "in {period}": "trong {period}",
    # relatives
    "{a} and {b} ({relation}) {conflict} from {round}: {a} in {post_a} ({role_a}, {unit_a}), "
    "{b} in {post_b} ({role_b}, {unit_b})":
        "{a} và {b} ({relation}) {conflict} từ đợt {round}: {a} giữ {post_a} ({role_a}, "
        "{unit_a}), {b} giữ {post_b} ({role_b}, {unit_b})",
    "sit in one unit's leadership collective": "cùng trong tập thể lãnh đạo một đơn vị",
    "sit in one locality's leadership (Party committee, People's Committee, Council)":
        "cùng trong lãnh đạo chủ chốt một địa phương (cấp ủy, UBND, HĐND)",
    "are head and deputy of one unit": "là cấp trưởng và cấp phó của một đơn vị",
    "are head and deputy in one locality": "là cấp trưởng và cấp phó tại một địa phương",
    "head a level and one of its listed sectors":
        "một người đứng đầu cấp, người kia đứng đầu một ngành thuộc danh sách của cấp đó",
    "one leads a unit where the other holds a personnel, accounting, cashier or storekeeper "
    "post": "một người lãnh đạo đơn vị mà người kia làm tổ chức nhân sự, kế toán, thủ quỹ "
            "hoặc thủ kho",
    # secondment
    "{cadre}: {form} to {post} from {day} has no end date (at most {limit} months)":
        "{cadre}: {form} đến {post} từ {day} không có ngày kết thúc (tối đa {limit} tháng)",
    "{cadre}: {form} to {post} {day} → {end} lasts {length} months, {over} over the limit of "
    "{limit}": "{cadre}: {form} đến {post} {day} → {end} kéo dài {length} tháng, vượt {over} "
               "tháng so với mức {limit}",
    # skills
    "{cadre} → {post} needs {demanded}; {cadre} has {has}":
        "{cadre} → {post} cần {demanded}; {cadre} có {has}",
    "none": "không có",
    # tenure limit
    "{cadre} reaches {months} months in post on {day} (due by {round}) and {how}":
        "{cadre} đủ {months} tháng giữ vị trí vào ngày {day} (phải điều chuyển trước đợt "
        "{round}) và {how}",
    "{cadre} reaches {months} months in post on {day} (due by {round}) but moves only in "
    "{moved}": "{cadre} đủ {months} tháng giữ vị trí vào ngày {day} (phải điều chuyển trước "
               "đợt {round}) nhưng đến đợt {moved} mới được điều chuyển",
    "is not moved in the horizon": "không được điều chuyển trong kỳ kế hoạch",
    "moves only by {form}, which does not end the tenure ({forms} would)":
        "chỉ được {form}, hình thức không chấm dứt thời hạn giữ vị trí (cần {forms})",
    # vacancy
    "{post} ({title}) {since}: {count} rounds without a holder by {round}":
        "{post} ({title}) {since}: {count} đợt không có người đảm nhiệm tính đến đợt {round}",
    "is vacant from the horizon start": "trống từ đầu kỳ kế hoạch",
    "has its holder away (back on {day}), then is vacated by the plan":
        "người giữ vị trí vắng mặt (trở lại ngày {day}), sau đó phương án điều chuyển đi",
    "has its holder away (back on {day})": "người giữ vị trí vắng mặt (trở lại ngày {day})",
    "is vacated by the plan in {round}": "bị phương án để trống từ đợt {round}",
    # the checker's structural checks (planner/checker.py: plain text, matched here)
    "{post}'s holder {holder} is away, back on {day}: only a secondment ending by then may "
    "fill it, not {cadre}'s {form} ending {end}":
        "người giữ vị trí {post} là {holder} đang vắng mặt, trở lại ngày {day}: chỉ một lượt "
        "biệt phái kết thúc trước ngày đó mới được bố trí vào, không phải lượt {form} của "
        "{cadre} kết thúc ngày {end}",
    "{post}'s holder {holder} is away, back on {day}: only a secondment ending by then may "
    "fill it, not {cadre}'s {form}":
        "người giữ vị trí {post} là {holder} đang vắng mặt, trở lại ngày {day}: chỉ một lượt "
        "biệt phái kết thúc trước ngày đó mới được bố trí vào, không phải lượt {form} của "
        "{cadre}",
    "{post} has {count} holders in {round}: {holders}":
        "{post} có {count} người đảm nhiệm trong đợt {round}: {holders}",
    "{cadre}'s {form} to {post} has an end ({end}): only a secondment returns (make it a "
    "secondment, or drop the end)":
        "lượt {form} của {cadre} đến {post} có ngày kết thúc ({end}): chỉ biệt phái mới có "
        "thời hạn trở về (đổi thành biệt phái, hoặc bỏ ngày kết thúc)",
    "pinned move {cadre} → {post} in {round} is not in the plan":
        "lượt điều chuyển được chỉ định {cadre} → {post} trong đợt {round} không có trong "
        "phương án",
    "pinned move {cadre} → {post} is not in the plan":
        "lượt điều chuyển được chỉ định {cadre} → {post} không có trong phương án",
    "forbidden move {cadre} → {post} is in the plan":
        "lượt điều chuyển bị cấm {cadre} → {post} lại có trong phương án",
    # why a due cadre is left unplaced (solver; read back from unplaced.csv)
    "no allowed destination among the open posts":
        "không có vị trí trống nào được phép bố trí",
    "away ({status}) until {day}, in every round they may move in":
        "vắng mặt ({status}) đến hết ngày {day}, trong mọi đợt có thể điều chuyển",
    "refused by {rules}": "bị loại bởi {rules}",
    "{count} allowed options in {posts} posts, each taken by another cadre of the plan "
    "({taken}), kept by its holder ({kept}) or freed only after the rounds they may move in "
    "({late}): more cadres than posts they may take (stays)":
        "{count} phương án được phép ở {posts} vị trí, mỗi vị trí đã có cán bộ khác của kế "
        "hoạch đến ({taken}), người đang giữ ở lại ({kept}) hoặc chỉ trống sau các kỳ cán bộ "
        "được phép chuyển ({late}): số cán bộ nhiều hơn số vị trí được phép bố trí (ở lại)",
    "{count} allowed options, none compatible with the rest of the plan (stays)":
        "{count} phương án được phép, không phương án nào khớp với phần còn lại của kế hoạch "
        "(ở lại)",
    "reaches {months} months in post on {day}": "đủ {months} tháng giữ vị trí vào ngày {day}",
    "deferred ({reason}), due once that ended, from {round}":
        "được hoãn ({reason}), đến hạn khi hết hoãn, từ đợt {round}",
    "post {post} ends on {day}": "vị trí {post} kết thúc ngày {day}",
    # `rotation explain` (planner/explain.py): each line as it prints it, indentation aside
    "{cadre} {name}: {post} since {day}": "{cadre} {name}: {post} từ ngày {day}",
    "{months} months in post on {day}; retires {retirement} ({left} months of service left)":
        "{months} tháng giữ vị trí tính đến ngày {day}; nghỉ hưu ngày {retirement} (còn {left} "
        "tháng công tác)",
    "not due: no tenure limit falls in the horizon":
        "chưa đến hạn: không có thời hạn nào rơi vào kỳ kế hoạch",
    "due under {rule} — {label} [{basis}]: {why}, must move by {round} ({severity})":
        "đến hạn theo {rule} — {label} [{basis}]: {why}, phải chuyển chậm nhất đợt {round} "
        "({severity})",
    "falls due on {day}": "đến hạn ngày {day}",
    "stays: {reason}": "ở lại: {reason}",
    "stays: not due, and no move of theirs improves the plan":
        "ở lại: chưa đến hạn, và không có lượt điều chuyển nào của họ làm kế hoạch tốt hơn",
    "left in place": "giữ nguyên vị trí",
    "moves by {form} to {post} ({title}) in {round} [{direction}]":
        "chuyển theo hình thức {form} đến {post} ({title}) vào đợt {round} [{direction}]",
    "allowed by {rule} ({kind}) — {label} [{basis}]":
        "được phép theo {rule} ({kind}) — {label} [{basis}]",
    "and not forbidden by {rules}": "và không bị cấm bởi {rules}",
    "adapts until {day}": "thời gian thích ứng đến ngày {day}",
    "objective terms of this move: {terms}":
        "các thành phần mục tiêu của lượt điều chuyển này: {terms}",
    # the objective's terms (planner.solver.build.cost_terms), named as explain prints them
    "{term} {value}": "{term} {value}",
    "soft rules: {rules}": "quy tắc khuyến nghị: {rules}",
    "vacancy filled": "lấp vị trí trống",
    "vacancy opened": "để trống vị trí",
    "overdue": "chậm so với hạn",
    "disruption (not due)": "xáo trộn (chưa đến hạn)",
    "disruption (early)": "xáo trộn (chuyển sớm hơn hạn)",
    "skill fit": "phù hợp kỹ năng",
    "change: a move the earlier plan did not have":
        "thay đổi: lượt điều chuyển mà kế hoạch trước không có",
    "change: differs from the earlier plan's move":
        "thay đổi: khác lượt điều chuyển của kế hoạch trước",
    "tie-break": "phân định khi bằng điểm",
    "allowed by every per-move hard rule as {options}{more}":
        "mọi quy tắc bắt buộc theo từng phương án đều cho phép: {options}{more}",
    "forcing it costs {delta} in the objective ({before} → {after}){leaves}":
        "buộc phương án này làm hàm mục tiêu thay đổi {delta} ({before} → {after}){leaves}",
    "; leaves {cadres} without a lawful move":
        "; khiến {cadres} không còn phương án hợp lệ",
    "forcing it is impossible with the other rules: {messages}":
        "không thể buộc phương án này cùng các quy tắc khác: {messages}",
    "what else must change ({count} moves, nearest plan to {plan}):":
        "những gì khác phải thay đổi ({count} lượt, kế hoạch gần nhất với {plan}):",
    "+ {cadre} {form} → {post} in {round}": "+ {cadre} {form} → {post} đợt {round}",
    "− {cadre} no longer moves (was → {post})": "− {cadre} không còn chuyển (trước: → {post})",
    "~ {cadre} → {post} in {round} (was → {old} in {old_round})":
        "~ {cadre} → {post} đợt {round} (trước: → {old} đợt {old_round})",
    "forbidden by {rule} (moving in {when})": "bị cấm bởi {rule} (chuyển vào {when})",
    "forbidden by {rule} (moving in {when}) (with {others})":
        "bị cấm bởi {rule} (chuyển vào {when}) (cùng với {others})",
    "in this plan, clashes with {rule} (moving in {when})":
        "trong kế hoạch này, vướng {rule} (chuyển vào {when})",
    "in this plan, clashes with {rule} (moving in {when}) (with {others})":
        "trong kế hoạch này, vướng {rule} (chuyển vào {when}) (cùng với {others})",
    "every round": "mọi đợt",
    "secondment (ending on its lawful end, e.g. {day} if it starts in {round}):":
        "biệt phái (kết thúc khi hết thời hạn luật định, ví dụ ngày {day} nếu bắt đầu đợt "
        "{round}):",
    "allowed by every per-move hard rule as {options}":
        "mọi quy tắc bắt buộc theo từng phương án đều cho phép: {options}",
    "{form} in {round}": "{form} đợt {round}",
    "{cadre} {form} → {post} in {round}": "{cadre} {form} → {post} đợt {round}",
    "{cadre} no longer moves (was → {post})": "{cadre} không còn chuyển (trước: → {post})",
    "{cadre} → {post} in {round} (was → {old} in {old_round})":
        "{cadre} → {post} đợt {round} (trước: → {old} đợt {old_round})",
    "{cadre} {name} ({post}) is due under {rule} by {round}; {reason}":
        "{cadre} {name} ({post}) đến hạn theo {rule} chậm nhất đợt {round}; {reason}",
    "{form}:": "{form}:",
    "{rule} — {label} [{basis}]": "{rule} — {label} [{basis}]",
    "one holder per post and round; one move each":
        "mỗi vị trí một người đảm nhiệm trong mỗi đợt; mỗi cán bộ chuyển một lần",
    "structure of the plan": "cấu trúc của kế hoạch",
}}

#: separators of listed values (planner.i18n.messages.listed)
SEPARATORS: dict[str, dict[str, str]] = {"vi": {" or ": " hoặc ", " and ": " và "}}

# The report's interface text (planner.report.text.text_for adds the labels of the
# vocabulary above and the infeasibility messages, so each is written once).
REPORT: dict[str, dict[str, Any]] = {
    "vi": {
        "appendix": "Phụ lục",
        "core": "Các quy định mâu thuẫn với nhau (tập xung đột tối thiểu):",
        "see_workbook": "xem đủ trong tệp .xlsx",
        "bound": "Cận dưới",
        "appendix_note": "Số liệu kỹ thuật của bộ giải, không phải chỉ tiêu của phương án.",
        "kind": "Loại quy tắc",
        "severity": "Mức độ",
        "weight": "Trọng số",
        "active": "Đang áp dụng",
        "assumptions": "Giả định của kịch bản",
        "assumptions_note": "Những gì kịch bản thay đổi so với các tệp quy tắc và kịch bản gốc.",
        "no_assumptions": "Kịch bản không thay đổi gì so với các tệp quy tắc.",
        "assumption_kind": "Loại thay đổi",
        "subject": "Đối tượng",
        "change": "Thay đổi",
        "before": "Giá trị gốc",
        "where": "Nơi khai báo",
        "assumption_kinds": {"set": "Đặt tham số", "disable": "Tắt quy tắc",
                             "enable": "Bật quy tắc", "pin": "Cố định điều chuyển",
                             "forbid": "Cấm điều chuyển", "patch": "Sửa danh sách",
                             "weight": "Trọng số", "solver": "Bộ giải"},
        "exempt": "Cán bộ được miễn hoặc hoãn",
        "exempt_note": "Cán bộ mà quy tắc miễn/hoãn không cho điều chuyển tại đầu kỳ.",
        "none_exempt": "Không có cán bộ nào được miễn hoặc hoãn.",
        "forms_kept": "Các hình thức bị chặn",
        "infeasible_title": "Phương án KHÔNG KHẢ THI",
        "infeasible_intro": "Các quy tắc bắt buộc không để lại phương án hợp lệ cho các cán bộ "
                            "đến hạn sau:",
        "due_under": "đến hạn theo",
        "refused_by": "bị loại bởi",
        "relaxation": "Nới lỏng nhỏ nhất tìm được",
        "dropdown_error": "Chọn một giá trị trong danh sách.",
        "search": "Tìm kiếm",
        "search_placeholder": "Tên, mã, chức danh, đơn vị…",
        "filter": "Lọc",
        "all": "Tất cả",
        "apply": "Áp dụng",
        "sort_by": "Sắp xếp theo",
        "name_index": "Tra cứu theo tên (A–Z, theo tên gọi)",
        "unit_index": "Tra cứu theo đơn vị đến (theo địa bàn)",
        "show_list": "Xem danh sách",
        "find_nojs": "Trình duyệt không chạy JavaScript: ô tìm kiếm theo chữ gõ vào không dùng "
                     "được (một trang HTML tĩnh không tự lọc theo chữ gõ). Mọi lượt điều chuyển "
                     "đều có trên trang: tìm một người trong mục tra cứu theo tên, một đơn vị "
                     "trong mục tra cứu theo đơn vị, hoặc dùng chức năng tìm trong trang của "
                     "trình duyệt (Ctrl+F, không phân biệt dấu); lọc theo hình thức, đợt và sắp "
                     "xếp bằng các nút bên dưới.",
        "find_js": "Bảng được chia trang: chức năng tìm trong trang (Ctrl+F) chỉ thấy trang đang "
                   "hiển thị; ô tìm kiếm tìm trong mọi lượt (không phân biệt dấu).",
        "rules_cited": "Các quy tắc được viện dẫn",
        "rules_cited_note": "Mã quy tắc trong các bảng dẫn đến đây; nội dung và căn cứ như ghi "
                            "trong tệp quy tắc.",
        "shown": "đang hiển thị",
        "of": "trên",
        "page": "Trang",
        "count_axis": "Số lượt",
        "violation_of": "vi phạm",
        "report": "Báo cáo phương án luân chuyển cán bộ",
        "summary": "Tóm tắt",
        "scenario": "Kịch bản",
        "horizon": "Kỳ kế hoạch",
        "rounds": "đợt",
        "status": "Trạng thái",
        "verdict": "Kết luận kiểm tra",
        "objective": "Giá trị mục tiêu",
        "gap": "Khoảng cách tối ưu",
        "run_hash": "Mã lần chạy",
        "generated_from": "Lập từ",
        "inputs_changed": "Cảnh báo: các tệp đầu vào sau đã thay đổi kể từ khi lập phương án",
        "kpis": "Chỉ tiêu chính",
        "kpi": "Chỉ tiêu",
        "value": "Giá trị",
        "flows": "Luồng điều chuyển giữa các cấp và khối",
        "flows_note": "Độ rộng mỗi dải tỉ lệ với số lượt điều chuyển; rê chuột để xem chi tiết.",
        "by_round": "Số lượt điều chuyển theo đợt",
        "units": "Theo đơn vị: tỉ lệ lãnh đạo đang trong thời gian thích ứng",
        "units_note": "Tỉ lệ số vị trí lãnh đạo của đơn vị có người đang thích ứng, theo từng đợt;"
                      " ô tô đỏ vượt mức trần của quy tắc",
        "no_adaptation_rule": "Không có quy tắc thích ứng có mức trần theo đơn vị.",
        "unit": "Đơn vị",
        "units_nav": "Đơn vị",
        "locality": "Địa bàn",
        "leaders": "Vị trí lãnh đạo",
        "cap": "Trần",
        "arrivals": "Đến",
        "departures": "Đi",
        "trend": "Diễn biến",
        "moves_in_out": "Các lượt đến và đi",
        "moves": "Danh sách điều chuyển",
        "unplaced": "Cán bộ đến hạn chưa bố trí được",
        "none_unplaced": "Mọi cán bộ đến hạn đều đã được bố trí.",
        "penalties": "Vi phạm quy tắc mềm (điểm phạt)",
        "none_penalties": "Không có điểm phạt.",
        "objective_terms": "Trọng số của hàm mục tiêu",
        "objective_note": "Mỗi thành phần của hàm mục tiêu với trọng số của nó và phần nó "
                          "đóng góp vào phương án này: trọng số của kịch bản (weights:) tính "
                          "trên các lượt điều chuyển của phương án; quy tắc khuyến nghị tính "
                          "bằng điểm phạt bộ kiểm tra ghi nhận (một cán bộ đến hạn theo thời "
                          "hạn khuyến nghị mà ở lại được tính vào quy tắc đó).",
        "term": "Thành phần",
        "acts": "Có tác dụng",
        "contribution": "Đóng góp trong phương án này",
        "term_kinds": {"weight": "trọng số của kịch bản", "soft": "quy tắc khuyến nghị"},
        "weight_meanings": {
            "overdue": "mỗi đợt một cán bộ đến hạn theo thời hạn khuyến nghị chuyển muộn "
                       "(hoặc ở lại)",
            "vacancy": "mỗi đợt một vị trí để trống (chỉ khi không có quy tắc vị trí trống "
                       "nào đang áp dụng)",
            "skill_fit": "trừ đi cho mỗi kỹ năng cán bộ có mà vị trí cần",
            "disruption": "mỗi đợt một lượt điều chuyển đến trước hạn (chưa đến hạn: cả kỳ "
                          "kế hoạch)"},
        "hard": "Vi phạm quy tắc bắt buộc",
        "rule": "Quy tắc",
        "label": "Nội dung",
        "basis": "Căn cứ",
        "count": "Số lần",
        "penalty": "Điểm phạt",
        "details": "Chi tiết",
        "cadre": "Cán bộ",
        "cadre_id": "Mã cán bộ",
        "name": "Họ và tên",
        "form": "Hình thức",
        "from": "Từ vị trí",
        "to": "Đến vị trí",
        "from_title": "Chức danh cũ",
        "to_title": "Chức danh mới",
        "to_unit": "Đơn vị mới",
        "round": "Đợt",
        "start": "Ngày bắt đầu",
        "end": "Ngày kết thúc",
        "adaptation_until": "Thích ứng đến",
        "direction": "Hướng",
        "rules": "Căn cứ quy tắc",
        "reason": "Lý do",
        "post": "Vị trí hiện tại",
        "total": "Tổng",
        "redacted": "Bản ẩn danh: họ tên và mã cán bộ đã được thay bằng bí danh.",
        "no_moves": "Phương án không có lượt điều chuyển nào.",
        "noscript": "Biểu đồ cần JavaScript; các bảng bên dưới vẫn đầy đủ.",
        "pseudonym": "Cán bộ",
        "statuses": {"optimal": "tối ưu", "within_gap": "trong ngưỡng sai số",
                     "feasible": "khả thi", "infeasible": "không khả thi",
                     "time_limit": "hết thời gian", "checked": "đã kiểm tra (không giải)"},
        "direction_words": {"other locality": "địa bàn khác", "department": "sở",
                            "unit": "đơn vị", "within unit": "trong đơn vị"},
        "kpi_labels": {
            "moves": "Tổng số lượt điều chuyển", "due_cadres": "Cán bộ đến hạn",
            "due_moved": "Cán bộ đến hạn đã bố trí", "due_left": "Cán bộ đến hạn chưa bố trí",
            "vacancies_at_start": "Vị trí trống đầu kỳ",
            "vacancies_filled": "Vị trí trống được bổ sung",
            "vacant_at_end": "Vị trí trống cuối kỳ", "penalty_total": "Tổng điểm phạt",
        },
    },
    "en": {
        "appendix": "Appendix",
        "core": "The rules in conflict (a minimal conflicting set):",
        "see_workbook": "all of them in the .xlsx",
        "bound": "Bound",
        "appendix_note": "Solver figures, not plan KPIs.",
        "kind": "Kind",
        "severity": "Severity",
        "weight": "Weight",
        "active": "Active",
        "assumptions": "Scenario assumptions",
        "assumptions_note": "What the scenario changes against its rule files and base scenario.",
        "no_assumptions": "The scenario changes nothing in the rule files.",
        "assumption_kind": "Change",
        "subject": "Subject",
        "change": "Value",
        "before": "Base value",
        "where": "Declared at",
        "assumption_kinds": {"set": "Parameter set", "disable": "Rule disabled",
                             "enable": "Rule enabled", "pin": "Pinned move",
                             "forbid": "Forbidden move", "patch": "Roster patch",
                             "weight": "Weight", "solver": "Solver"},
        "exempt": "Exempt and deferred cadres",
        "exempt_note": "Cadres an exemption or deferral rule keeps from moves at the start.",
        "none_exempt": "No cadre is exempt or deferred.",
        "forms_kept": "Forms blocked",
        "infeasible_title": "The plan is INFEASIBLE",
        "infeasible_intro": "The hard rules leave these due cadres without a lawful move:",
        "due_under": "due under",
        "refused_by": "refused by",
        "relaxation": "Smallest relaxation found",
        "dropdown_error": "Pick a value from the list.",
        "search": "Search",
        "search_placeholder": "Name, id, title, unit…",
        "filter": "Filter",
        "all": "All",
        "apply": "Apply",
        "sort_by": "Sort by",
        "name_index": "Find by name (A–Z, by given name)",
        "unit_index": "Find by destination unit (by locality)",
        "show_list": "Show the list",
        "find_nojs": "Your browser runs no JavaScript: the search box for typed text does not "
                     "work (a static HTML page cannot filter by typed text). Every move is on "
                     "the page: find a person in the index by name, a unit in the index by "
                     "unit, or use the browser's find in page (Ctrl+F, diacritics ignored); "
                     "filter by form and round and sort with the buttons below.",
        "find_js": "The table is paged: the browser's find in page (Ctrl+F) sees only the page "
                   "shown; the search box searches every move (diacritics ignored).",
        "rules_cited": "Rules cited",
        "rules_cited_note": "The rule ids in the tables link here; labels and bases as written "
                            "in the rule files.",
        "shown": "shown",
        "of": "of",
        "page": "Page",
        "count_axis": "Moves",
        "violation_of": "violation of",
        "report": "Cadre rotation plan report",
        "summary": "Summary",
        "scenario": "Scenario",
        "horizon": "Horizon",
        "rounds": "rounds",
        "status": "Status",
        "verdict": "Compliance check",
        "objective": "Objective",
        "gap": "Optimality gap",
        "run_hash": "Run hash",
        "generated_from": "Generated from",
        "inputs_changed": "Warning: these input files changed since the plan was made",
        "kpis": "Key figures",
        "kpi": "Figure",
        "value": "Value",
        "flows": "Flows between levels and blocs",
        "flows_note": "Band width is proportional to the number of moves; hover for details.",
        "by_round": "Moves per round",
        "units": "Per unit: share of leadership adapting",
        "units_note": "Share of a unit's leadership posts held by a cadre still adapting, per "
                      "round; red cells exceed the rule's cap",
        "no_adaptation_rule": "No adaptation rule with a per-unit cap is in force.",
        "unit": "Unit",
        "units_nav": "Units",
        "locality": "Locality",
        "leaders": "Leadership posts",
        "cap": "Cap",
        "arrivals": "In",
        "departures": "Out",
        "trend": "Trend",
        "moves_in_out": "Moves in and out",
        "moves": "Moves",
        "unplaced": "Due cadres left unplaced",
        "none_unplaced": "Every due cadre is placed.",
        "penalties": "Soft-rule penalties",
        "none_penalties": "No penalties.",
        "objective_terms": "Objective weights",
        "objective_note": "Each term of the objective with its weight and what it contributes "
                          "to this plan: the scenario's weights (weights:) summed over the "
                          "plan's moves; a soft rule by the penalty the checker finds (a cadre "
                          "due under a soft limit who stays counts in that rule).",
        "term": "Term",
        "acts": "Acts",
        "contribution": "In this plan",
        "term_kinds": {"weight": "scenario weight", "soft": "soft rule"},
        "weight_meanings": {},
        "hard": "Hard-rule violations",
        "rule": "Rule",
        "label": "Label",
        "basis": "Legal basis",
        "count": "Count",
        "penalty": "Penalty",
        "details": "Details",
        "cadre": "Cadre",
        "cadre_id": "Cadre id",
        "name": "Name",
        "form": "Form",
        "from": "From post",
        "to": "To post",
        "from_title": "Former title",
        "to_title": "New title",
        "to_unit": "New unit",
        "round": "Round",
        "start": "Start",
        "end": "End",
        "adaptation_until": "Adapting until",
        "direction": "Direction",
        "rules": "Rules",
        "reason": "Reason",
        "post": "Current post",
        "total": "Total",
        "redacted": "Redacted: names and cadre ids are replaced by pseudonyms.",
        "no_moves": "The plan has no moves.",
        "noscript": "Charts need JavaScript; the tables below are complete.",
        "pseudonym": "Cadre",
        "statuses": {"optimal": "optimal", "within_gap": "within the gap",
                     "feasible": "feasible", "infeasible": "infeasible",
                     "time_limit": "time limit", "checked": "checked (not solved)"},
        "direction_words": {"other locality": "other locality", "department": "department",
                            "unit": "unit", "within unit": "within unit"},
        "kpi_labels": {
            "moves": "Moves", "due_cadres": "Due cadres", "due_moved": "Due cadres moved",
            "due_left": "Due cadres left", "vacancies_at_start": "Vacancies at start",
            "vacancies_filled": "Vacancies filled", "vacant_at_end": "Vacant at end",
            "penalty_total": "Total penalty",
        },
    },
}

# The comparison page's own words (planner.report.compare_page).
COMPARE_PAGE: dict[str, dict[str, Any]] = {
    "vi": {"title": "So sánh các phương án", "kpis": "Chỉ tiêu (chênh lệch so với phương án "
           "gốc)", "base": "gốc", "same": "Cùng các lượt điều chuyển như phương án gốc.",
           "differ": "lượt khác phương án gốc", "change": "Thay đổi", "status": "Trạng thái",
           "changes": {"added": "thêm", "removed": "bỏ", "changed": "đổi"},
           "moves_changed_vs_base": "Số lượt khác phương án gốc", "objective": "Giá trị mục "
           "tiêu (phụ lục)", "gap": "Khoảng cách tối ưu", "penalty": "Điểm phạt",
           "total": "tổng"},
    "en": {"title": "Plans compared", "kpis": "KPIs (Δ against the base)", "base": "base",
           "same": "The same moves as the base.", "differ": "moves differ from the base",
           "change": "Change", "status": "Status",
           "changes": {"added": "added", "removed": "removed", "changed": "changed"},
           "moves_changed_vs_base": "Moves changed vs the base", "objective": "Objective "
           "(appendix)", "gap": "Optimality gap", "penalty": "Penalty", "total": "total"},
}
