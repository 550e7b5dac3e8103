"""Seeded synthetic rosters (DESIGN §2.2) for demos, tests and benchmarks.

`generate_roster(preset, seed)` returns the rows of every roster file; `write_roster` streams
them to CSV files in a folder. Only `random.Random(seed)` is consulted and every collection
is walked in a fixed order, so one seed always gives byte-identical files.

Presets follow Hanoi's structure (DOMAIN §4):
- `demo`: quận Tây Hồ with three wards, a few dozen posts (not hand-checked);
- `district`: quận Đống Đa and its 21 wards, ~560 cadres;
- `hanoi-2023`: the city, its departments, 30 districts and 579 communes (≈15,000 posts);
  53 communes end on 2024-12-31 (`valid_to`) merged into a neighbour (`successor`);
- `hanoi-2025`: two-tier government from 1 Jul 2025: the city and 126 communes;
- `national`: 34 provinces and 3,321 communes under a root `VN`, ≥200,000 cadres.

Column semantics chosen here (the loader's contract is DESIGN §2.2):
- dates are measured against the preset's reference date (`reference_date`): ages 25–61
  and nobody at or past retirement age (NĐ 135/2020) on it, every `position_start` before it;
- `relations.relation` says what `a` is to `b` ("a is the parent of b");
- `history.form` is how the cadre left that posting for the next one (for the latest row,
  whose `end` is the cadre's `position_start`: how they came to their current post).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from planner import vn_names as vn
from planner.calendar import add_months, retirement_date
from planner.errors import did_you_mean
from planner.roster_io import COLUMNS

PRESETS: tuple[str, ...] = ("demo", "district", "hanoi-2023", "hanoi-2025", "national")

Rows = dict[str, list[dict[str, str]]]

# Shares and ranges of the synthetic population. They are tuned so that the instances look
# like the article's Hanoi; none of them is a legal fact.
VACANCY_SHARE = 0.03  # positions nobody holds
NO_POST_SHARE = 0.005  # extra cadres without a post, per position
LOCAL_SHARE = 0.35  # cadres whose hometown lies inside their post's locality
DUE_SHARE = 0.2  # cadres whose tenure reaches its limit within two years of the start
POOL_SHARE = 0.15  # leaders and deputies in a planning pool
HISTORY_SHARE = 0.22  # cadres with earlier postings
RELATIVE_SHARE = 0.01  # cadres who start a relative pair (each pair holds two)
MERGE_DAY = "2025-01-01"  # the communes merged on 1 Jan 2025 exist until then (valid_to)
# Luật Tổ chức chính quyền địa phương 2025: no district level from 1 Jul 2025; Hanoi's new
# communes and wards (NQ 1656/NQ-UBTVQH15) exist from that day.
REFORM_DAY = "2025-07-01"

_LONG_TENURE_ROLES = frozenset({"secretary", "chair", "council_chair", "front_chair", "head"})
_AGE_YEARS: dict[str, tuple[int, int]] = {
    "secretary": (40, 59),
    "chair": (38, 59),
    "deputy_secretary": (36, 59),
    "council_chair": (38, 59),
    "front_chair": (38, 59),
    "vice_chair": (34, 59),
    "head": (33, 59),
    "deputy_head": (30, 58),
    "staff": (25, 58),
}
# Other statuses than pregnancy and maternity, with their shares and durations in months.
_STATUSES: tuple[tuple[str, float, int, int], ...] = (
    ("discipline", 0.006, 3, 12),
    ("investigation", 0.005, 6, 18),
    ("illness", 0.007, 3, 12),
    ("study", 0.007, 12, 24),
    ("seconded", 0.007, 6, 36),
    ("hardship", 0.006, 6, 24),
    ("prosecution", 0.002, 6, 18),
    ("trial", 0.001, 3, 12),
)
STAFF_POOL_SHARE = 0.05  # civil servants earmarked for a deputy post (appointment sources)
SOLE_CARER_SHARE = 0.05  # fathers of a young child who are its sole carer (NĐ 59 Đ.38–39)
_STATUS_MONTHS: dict[str, tuple[int, int]] = {
    "pregnant": (1, 8),
    "maternity": (1, 6),
    **{status: (low, high) for status, _, low, high in _STATUSES},
}
# The next posts a leader may be earmarked for, at the same level.
_NEXT_ROLES: dict[str, tuple[str, ...]] = {
    "deputy_head": ("head",),
    "head": ("vice_chair", "deputy_secretary"),
    "vice_chair": ("chair", "deputy_secretary"),
    "deputy_secretary": ("secretary", "chair"),
    "council_chair": ("deputy_secretary", "chair"),
    "front_chair": ("deputy_secretary", "council_chair"),
    "chair": ("secretary",),
    "secretary": (),
}
_UP_ROLES = ("deputy_head", "head", "vice_chair")
# What each vice chair of a People's Committee is in charge of, as skills (urban, rural).
_VICE_CHAIR_SKILLS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("planning", "finance"), ("planning", "finance")),
    (("urban_management", "construction"), ("agriculture", "natural_resources")),
    (("education", "health"), ("education", "health")),
    (("natural_resources", "environment"), ("construction", "planning")),
    (("legal",), ("legal",)),
    (("it",), ("it",)),
)


def _cumulative(pairs: tuple[tuple[str, float], ...]) -> tuple[tuple[str, ...], list[float]]:
    return tuple(name for name, _ in pairs), list(itertools.accumulate(w for _, w in pairs))


_FAMILY = _cumulative(vn.FAMILY_NAMES)
_MIDDLE = {"male": _cumulative(vn.MALE_MIDDLE_NAMES), "female": _cumulative(vn.FEMALE_MIDDLE_NAMES)}
_GIVEN = {"male": vn.MALE_GIVEN_NAMES, "female": vn.FEMALE_GIVEN_NAMES}


# ------------------------------------------------------------------------------ public API


def reference_date(preset: str) -> dt.date:
    """The day a preset's roster describes: its scenario's horizon start."""
    return _spec(preset).as_of


def generate_roster(preset: str, seed: int) -> Rows:
    """The rows of every roster file (`localities.csv` …) of a preset; all values are text."""
    sink = _MemorySink()
    _Generator(_spec(preset), seed, sink).run()
    return sink.rows


def write_roster(preset: str, seed: int, out_dir: Path) -> dict[str, int]:
    """Write a preset's roster as CSV files into `out_dir`; return the rows written per file.

    The files are streamed into a new folder that replaces `out_dir` whole once all of them
    are complete (`planner.outputs`): a killed or failed run leaves the old roster, never
    two seeds mixed. A folder that is not an earlier roster is refused (InputError).
    """
    from planner import outputs

    spec = _spec(preset)
    counts: dict[str, int] = {}

    def fill(staging: Path) -> None:
        sink = _CsvSink(staging)
        try:
            sink.open()
            _Generator(spec, seed, sink).run()
            sink.commit()
        finally:
            sink.discard()
        counts.update(sink.counts)

    outputs.write_folder(out_dir, outputs.ROSTER, fill)
    return counts


# -------------------------------------------------------------------------------- sinks


class _Sink(Protocol):
    def emit(self, table: str, row: list[str]) -> None: ...


class _MemorySink:
    def __init__(self) -> None:
        self.rows: Rows = {f"{table}.csv": [] for table in COLUMNS}

    def emit(self, table: str, row: list[str]) -> None:
        row = _padded(table, row)
        self.rows[f"{table}.csv"].append(dict(zip(COLUMNS[table], row, strict=True)))


def _padded(table: str, row: list[str]) -> list[str]:
    """A row with the optional trailing columns (existence dates, …) left empty."""
    return row + [""] * (len(COLUMNS[table]) - len(row))


class _CsvSink:
    """One temporary CSV file per table; `commit` renames them all into place."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.counts: dict[str, int] = {}
        self._temp: dict[str, Path] = {}
        self._handles: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}

    def open(self) -> None:
        for table, columns in COLUMNS.items():
            fd, name = tempfile.mkstemp(prefix=f".{table}.csv.", suffix=".tmp", dir=self.out_dir)
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._temp[table], self._handles[table] = Path(name), handle
            self._writers[table] = csv.writer(handle, lineterminator="\n")
            self._writers[table].writerow(columns)
            self.counts[f"{table}.csv"] = 0

    def emit(self, table: str, row: list[str]) -> None:
        self._writers[table].writerow(_padded(table, row))
        self.counts[f"{table}.csv"] += 1

    def commit(self) -> None:
        for handle in self._handles.values():
            handle.close()
        for table, temp in self._temp.items():
            temp.chmod(0o644)  # mkstemp creates 0600; a roster is an ordinary file
            os.replace(temp, self.out_dir / f"{table}.csv")
        self._temp.clear()

    def discard(self) -> None:
        for handle in self._handles.values():
            handle.close()
        for temp in self._temp.values():
            temp.unlink(missing_ok=True)


# -------------------------------------------------------------------------- organisation


@dataclass(frozen=True)
class _Locality:
    id: str
    name: str  # "Phường Phúc Xá"
    level: str
    kind: str
    parent: str
    base: str  # "Phúc Xá"
    valid_to: str = ""
    successor: str = ""
    valid_from: str = ""

    def row(self) -> list[str]:
        return [self.id, self.name, self.level, self.kind, self.parent, self.valid_from,
                self.valid_to, self.successor]  # fmt: skip


def _locality(loc_id: str, kind: str, level: str, parent: str, base: str) -> _Locality:
    return _Locality(
        loc_id, f"{vn.KIND_WORDS[kind].capitalize()} {base}", level, kind, parent, base
    )


class _Tier(NamedTuple):
    """Grades of the posts of one tier of government, and how many deputies it has."""

    secretary: int
    deputy_secretary: int
    chair: int
    vice_chair: int
    council_chair: int
    council_vice: int
    front_chair: int
    front_deputy: int
    head: int
    deputy: int
    division_head: int
    division_deputy: int
    staff: int
    deputy_secretaries: int
    vice_chairs: tuple[int, int]
    council_vices: int
    front_deputies: int
    front_staff: int


_CITY = _Tier(10, 9, 10, 9, 9, 8, 8, 7, 8, 7, 6, 5, 3, 3, (6, 6), 3, 4, 4)
_PROVINCE = _CITY._replace(
    deputy_secretaries=2, vice_chairs=(3, 4), council_vices=2, front_deputies=3, front_staff=3
)
_DISTRICT = _Tier(7, 6, 7, 6, 6, 5, 6, 4, 5, 4, 0, 0, 2, 2, (3, 3), 1, 2, 2)
_DEMO_DISTRICT = _DISTRICT._replace(
    deputy_secretaries=1, vice_chairs=(1, 1), council_vices=0, front_deputies=0, front_staff=0
)
_COMMUNE_2023 = _Tier(4, 3, 4, 3, 3, 0, 3, 0, 2, 0, 0, 0, 1, 1, (1, 2), 0, 0, 0)
_COMMUNE_2025 = _Tier(6, 5, 6, 5, 5, 4, 5, 3, 4, 3, 0, 0, 2, 2, (2, 3), 1, 2, 2)


@dataclass(frozen=True)
class _Post:
    title: str
    role: str
    grade: int
    profession: str
    skills: tuple[str, ...]
    listed: str = ""
    key: bool = False


@dataclass(frozen=True)
class _UnitPlan:
    name: str
    locality: _Locality
    bloc: str
    kind: str
    sector: str
    posts: list[_Post]


class _Titles(NamedTuple):
    """How a locality is written in titles (see `planner.vn_names`)."""

    loc: str
    pc: str
    sfx: str

    def fill(self, template: str, unit: str = "") -> str:
        return template.format(loc=self.loc, pc=self.pc, sfx=self.sfx, unit=unit)


def _titles(loc: _Locality, national: bool) -> _Titles:
    if loc.level == "city":
        if not national:
            return _Titles("thành phố", "Thành ủy", "")
        written = f"{vn.KIND_WORDS[loc.kind]} {loc.base}"
        committee = "Thành ủy" if loc.kind == "thanh_pho" else "Tỉnh ủy"
        return _Titles(written, f"{committee} {loc.base}", f" {written}")
    written = f"{vn.KIND_WORDS[loc.kind]} {loc.base}"
    if loc.level == "district":
        return _Titles(written, f"{vn.DISTRICT_PARTY_COMMITTEES[loc.kind]} {loc.base}", "")
    return _Titles(written, f"Đảng ủy {written}", "")


_PARTY_WORK, _MASS = "party_work", ("mass_mobilisation",)
_ADMIN, _LEGAL = "administration", ("legal",)


def _leadership(rng: random.Random, loc: _Locality, names: _Titles, tier: _Tier) -> list[_UnitPlan]:
    """Party committee, People's Committee, People's Council and Front of a locality."""
    rural = loc.kind in ("huyen", "xa", "thi_tran", "tinh")
    pc, where = names.pc, names.loc
    party = [_Post(f"Bí thư {pc}", "secretary", tier.secretary, _PARTY_WORK, _MASS, key=True)]
    for index in range(tier.deputy_secretaries):
        standing = " Thường trực" if index == 0 and tier.deputy_secretaries > 1 else ""
        title = f"Phó Bí thư{standing} {pc}"
        party.append(_Post(title, "deputy_secretary", tier.deputy_secretary, _PARTY_WORK, _MASS))
    state = [_Post(f"Chủ tịch UBND {where}", "chair", tier.chair, _ADMIN, ("planning",), key=True)]
    for index in range(rng.randint(*tier.vice_chairs)):
        urban_skills, rural_skills = _VICE_CHAIR_SKILLS[index % len(_VICE_CHAIR_SKILLS)]
        skills = rural_skills if rural else urban_skills
        state.append(
            _Post(f"Phó Chủ tịch UBND {where}", "vice_chair", tier.vice_chair, _ADMIN, skills)
        )
    council = [_Post(f"Chủ tịch HĐND {where}", "council_chair", tier.council_chair, _ADMIN, _LEGAL)]
    council += [
        _Post(f"Phó Chủ tịch HĐND {where}", "vice_chair", tier.council_vice, _ADMIN, _LEGAL)
        for _ in range(tier.council_vices)
    ]
    front_name = f"Ủy ban MTTQ Việt Nam {where}"
    front = [_Post(f"Chủ tịch {front_name}", "front_chair", tier.front_chair, _PARTY_WORK, _MASS)]
    front += [
        _Post(f"Phó Chủ tịch {front_name}", "deputy_head", tier.front_deputy, _PARTY_WORK, _MASS)
        for _ in range(tier.front_deputies)
    ]
    front += [
        _Post(f"Chuyên viên {front_name}", "staff", tier.staff, _PARTY_WORK, _MASS)
        for _ in range(tier.front_staff)
    ]
    return [
        _UnitPlan(pc, loc, "party", "dang_uy", "", party),
        _UnitPlan(f"UBND {where}", loc, "state", "ubnd", "", state),
        _UnitPlan(f"HĐND {where}", loc, "state", "hdnd", "", council),
        _UnitPlan(front_name, loc, "front", "mttq", "", front),
    ]


def _agency(
    rng: random.Random,
    agency: vn.Agency,
    loc: _Locality,
    names: _Titles,
    tier: _Tier,
    deputies: tuple[int, int],
    staff: tuple[int, int],
    divisions: bool = False,
) -> list[_UnitPlan]:
    """An agency's unit with head, deputies and staff; with `divisions`, one unit per phòng."""
    unit_name = names.fill(agency.name)
    profession, skills = agency.profession, agency.skills
    inspection = agency.sector == "inspection"  # inspection chiefs hold key posts
    posts = [_Post(names.fill(agency.head), "head", tier.head, profession, skills, key=inspection)]
    posts += [
        _Post(names.fill(agency.deputy), "deputy_head", tier.deputy, profession, skills)
        for _ in range(rng.randint(*deputies))
    ]
    units = [_UnitPlan(unit_name, loc, agency.bloc, agency.kind, agency.sector, posts)]
    if divisions and agency.divisions:
        for division in agency.divisions:
            name = f"Phòng {division.name}, {unit_name}"
            head = f"Trưởng phòng {division.name}, {unit_name}"
            field, listed = division.profession or profession, division.listed_sector
            division_posts = [
                _Post(head, "head", tier.division_head, field, skills),
                _Post(f"Phó {head}", "deputy_head", tier.division_deputy, field, skills),
            ]
            division_posts += [
                _Post(f"Chuyên viên {name}", "staff", tier.staff, field, skills, listed)
                for _ in range(rng.randint(*staff))
            ]
            units.append(_UnitPlan(name, loc, agency.bloc, "phong", "", division_posts))
        return units
    for _ in range(rng.randint(*staff)):
        kind = rng.choice(agency.staff)
        title = names.fill(kind.title, unit_name)
        field, needs = kind.profession or profession, kind.skills or skills
        posts.append(_Post(title, "staff", tier.staff, field, needs, kind.listed_sector))
    return units


def _city_units(
    rng: random.Random, loc: _Locality, agencies: Sequence[vn.Agency], national: bool
) -> list[_UnitPlan]:
    """The city's (or a province's) leadership, departments, Party boards and Front."""
    names = _titles(loc, national)
    tier = _PROVINCE if national else _CITY
    units = _leadership(rng, loc, names, tier)
    deputies = (2, 3) if national else (2, 4)
    division_staff = (1, 3) if national else (2, 5)
    for agency in agencies:
        if agency.divisions:
            units += _agency(rng, agency, loc, names, tier, deputies, division_staff, True)
        else:
            units += _agency(rng, agency, loc, names, tier, (1, 2), (2, 4))
    return units


def _district_units(
    rng: random.Random, loc: _Locality, communes: int, small: bool = False
) -> list[_UnitPlan]:
    """A district's leadership, four Party boards, twelve offices and mass organisations."""
    names = _titles(loc, national=False)
    if small:
        units = _leadership(rng, loc, names, _DEMO_DISTRICT)
        for office in vn.DISTRICT_OFFICES[:4]:
            if office.sector != "justice":
                units += _agency(rng, office, loc, names, _DISTRICT, (1, 1), (2, 2))
        return units
    units = _leadership(rng, loc, names, _DISTRICT)
    for board in vn.DISTRICT_PARTY_BOARDS:
        units += _agency(rng, board, loc, names, _DISTRICT, (1, 2), (2, 4))
    extra = vn.URBAN_DISTRICT_OFFICES if loc.kind != "huyen" else vn.RURAL_DISTRICT_OFFICES
    bigger = communes // 8  # larger districts have larger offices
    for office in (*vn.DISTRICT_OFFICES, *extra):
        units += _agency(rng, office, loc, names, _DISTRICT, (1, 3), (3 + bigger, 6 + bigger))
    organisations = vn.MASS_ORGANISATIONS if loc.kind == "huyen" else vn.MASS_ORGANISATIONS[:3]
    for organisation in organisations:
        units += _agency(rng, organisation, loc, names, _DISTRICT, (1, 1), (1, 1))
    return units


def _commune_2023_units(rng: random.Random, loc: _Locality, small: bool = False) -> list[_UnitPlan]:
    """A 2023 commune: leaders, civil servants of the People's Committee, mass organisations."""
    names = _titles(loc, national=False)
    urban = loc.kind == "phuong"
    tier = _COMMUNE_2023._replace(vice_chairs=(2, 2) if urban else (1, 2))
    if small:
        tier = tier._replace(deputy_secretaries=0, vice_chairs=(1, 1))
    units = _leadership(rng, loc, names, tier)
    if small:  # only the Party secretary and the People's Committee in the demo
        units = units[:2]
    committee = units[1].posts
    for post in vn.COMMUNE_CIVIL_SERVANTS_2023:
        if small and not post.listed_sector:
            continue
        count = 1 if small else rng.randint(*(post.urban_count if urban else post.rural_count))
        skills = post.urban_skills if urban else post.rural_skills
        title = names.fill(post.title)
        committee += [
            _Post(title, "staff", tier.staff, post.profession, skills, post.listed_sector)
            for _ in range(count)
        ]
    if not small:
        youth, women, _veterans, farmers = vn.MASS_ORGANISATIONS
        for organisation in (youth, women) if urban else (youth, women, farmers):
            units += _agency(rng, organisation, loc, names, tier, (0, 0), (0, 0))
    return units


def _commune_2025_units(rng: random.Random, loc: _Locality) -> list[_UnitPlan]:
    """A commune of the two-tier government (from 1 Jul 2025): larger, with its own offices."""
    names = _titles(loc, national=False)
    units = _leadership(rng, loc, names, _COMMUNE_2025)
    for board in vn.COMMUNE_PARTY_BOARDS_2025:
        units += _agency(rng, board, loc, names, _COMMUNE_2025, (1, 1), (2, 4))
    economy = vn.URBAN_ECONOMY_OFFICE_2025 if loc.kind == "phuong" else vn.RURAL_ECONOMY_OFFICE_2025
    for office in (economy, *vn.COMMUNE_OFFICES_2025):
        units += _agency(rng, office, loc, names, _COMMUNE_2025, (1, 2), (4, 7))
    return units


# ------------------------------------------------------------------------------ territory


def _synthetic_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` distinct two-syllable place names not yet in `taken` (which grows)."""
    names: list[str] = []
    while len(names) < count:
        first, second = rng.sample(vn.PLACE_SYLLABLES, 2)
        name = f"{first} {second}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _hanoi_2023(
    rng: random.Random, districts: Sequence[int], merges: int, communes_limit: int = 0
) -> list[_Locality]:
    """Hanoi before 2025: the city, the chosen districts (1-based numbers) and their communes.

    `merges` communes (never a thị trấn) end on MERGE_DAY, merged into a neighbour of the
    same district. `communes_limit` keeps only the first communes of each district (demo).
    """
    tree = [_Locality("HN", "Thành phố Hà Nội", "city", "thanh_pho", "", "Hà Nội")]
    for number in districts:
        district = vn.HANOI_DISTRICTS_2023[number - 1]
        district_id = f"D{number:02d}"
        tree.append(_locality(district_id, district.kind, "district", "HN", district.name))
        taken = {*district.wards, *district.xa_names, *district.towns}
        wards = list(district.wards) or _synthetic_names(rng, district.phuong, taken)
        communes = list(district.xa_names) or _synthetic_names(rng, district.xa, taken)
        members = [
            *(("phuong", name) for name in wards),
            *(("thi_tran", name) for name in district.towns),
            *(("xa", name) for name in communes),
        ]
        if communes_limit:
            members = members[:communes_limit]
        for index, (kind, name) in enumerate(members, start=1):
            tree.append(
                _locality(f"{district_id}-W{index:02d}", kind, "commune", district_id, name)
            )
    mergeable = [i for i, loc in enumerate(tree) if loc.kind in ("phuong", "xa")]
    merged = {tree[i].id for i in rng.sample(mergeable, merges)}
    for index, loc in enumerate(tree):
        if loc.id not in merged:
            continue
        survivors = [s.id for s in tree if s.parent == loc.parent and s.id not in merged]
        if survivors:
            tree[index] = replace(loc, valid_to=MERGE_DAY, successor=rng.choice(survivors))
    return tree


_HANOI_2025_COMMUNES = [
    *(("phuong", name) for name in vn.HANOI_WARDS_2025),
    *(("xa", name) for name in vn.HANOI_COMMUNES_2025),
]


_LEADERSHIP_KINDS = frozenset({"dang_uy", "ubnd", "hdnd", "mttq"})


def _end_districts(tree: list[_Locality]) -> list[_Locality]:
    """The 2025 reform on its date: every district ends on REFORM_DAY. Its successor (for
    hometowns, and for the offices that carry on) is its first surviving ward or commune,
    the one that keeps the district's seat [I: the new wards were drawn across old
    boundaries]; its leadership bodies end with it (units' `valid_to`, see `block`)."""
    ended = []
    for loc in tree:
        if loc.level == "district":
            seat = next((c.id for c in tree if c.parent == loc.id and not c.valid_to), "")
            loc = replace(loc, valid_to=REFORM_DAY, successor=seat)
        ended.append(loc)
    return ended


def _hanoi_2025() -> list[_Locality]:
    tree = [_Locality("HN", "Thành phố Hà Nội", "city", "thanh_pho", "", "Hà Nội")]
    for index, (kind, name) in enumerate(_HANOI_2025_COMMUNES, start=1):
        # the 126 communes and wards were created on 1 Jul 2025 (their leaders designated then)
        tree.append(replace(_locality(f"HN-W{index:03d}", kind, "commune", "HN", name),
                            valid_from=REFORM_DAY))
    return tree


def _vietnam_2025(rng: random.Random) -> list[_Locality]:
    tree = [_Locality("VN", "Việt Nam", "city", "quoc_gia", "", "Việt Nam")]
    for number, province in enumerate(vn.PROVINCES_2025, start=1):
        province_id = f"T{number:02d}"
        tree.append(_locality(province_id, province.kind, "city", "VN", province.name))
        if province.name == "Hà Nội":
            members = _HANOI_2025_COMMUNES
        else:
            share = 0.4 if province.kind == "thanh_pho" else 0.15
            wards = round(province.communes * share)
            names = _synthetic_names(rng, province.communes, set())
            members = [("phuong" if i < wards else "xa", n) for i, n in enumerate(names)]
        for index, (kind, name) in enumerate(members, start=1):
            tree.append(
                _locality(f"{province_id}-W{index:03d}", kind, "commune", province_id, name)
            )
    return tree


# ------------------------------------------------------------------------------ presets


@dataclass(frozen=True)
class _Spec:
    as_of: dt.date
    id_width: int
    level_above: dict[str, str]
    build: Callable[[_Generator], None]


def _district_block(gen: _Generator, tree: list[_Locality], small: bool = False) -> None:
    """One block per district: its agencies, then each commune's (2023 structure)."""
    for district in (loc for loc in tree if loc.level == "district"):
        communes = [loc for loc in tree if loc.parent == district.id]
        units = _district_units(gen.rng, district, len(communes), small)
        for commune in communes:
            units += _commune_2023_units(gen.rng, commune, small)
        gen.block(units)


def _city_block(gen: _Generator, tree: list[_Locality], city: _Locality, national: bool) -> None:
    """A city or province with its communes (2025 structure) as one block."""
    units = _city_units(gen.rng, city, vn.CITY_AGENCIES_2025, national)
    for commune in (loc for loc in tree if loc.parent == city.id):
        units += _commune_2025_units(gen.rng, commune)
    gen.block(units)


def _build_demo(gen: _Generator) -> None:
    _district_block(gen, gen.territory(_hanoi_2023(gen.rng, [3], 0, communes_limit=3)), True)


def _build_district(gen: _Generator) -> None:
    number = next(i for i, d in enumerate(vn.HANOI_DISTRICTS_2023, 1) if d.name == "Đống Đa")
    communes = vn.HANOI_DISTRICTS_2023[number - 1].phuong
    all_communes = sum(d.phuong + d.xa + len(d.towns) for d in vn.HANOI_DISTRICTS_2023)
    merges = round(communes * vn.HANOI_MERGES_2025_01 / all_communes)
    _district_block(gen, gen.territory(_hanoi_2023(gen.rng, [number], merges)))


def _build_hanoi_2023(gen: _Generator) -> None:
    numbers = range(1, len(vn.HANOI_DISTRICTS_2023) + 1)
    tree = gen.territory(_end_districts(_hanoi_2023(gen.rng, numbers,
                                                    vn.HANOI_MERGES_2025_01)))
    gen.block(_city_units(gen.rng, tree[0], vn.CITY_AGENCIES_2023, national=False), hq=True)
    _district_block(gen, tree)


def _build_hanoi_2025(gen: _Generator) -> None:
    tree = gen.territory(_hanoi_2025())
    _city_block(gen, tree, tree[0], national=False)


def _build_national(gen: _Generator) -> None:
    tree = gen.territory(_vietnam_2025(gen.rng))
    for province in (loc for loc in tree if loc.parent == "VN"):
        _city_block(gen, tree, province, national=True)


_THREE_TIERS = {"commune": "district", "district": "city"}
_TWO_TIERS = {"commune": "city"}
_SPECS: dict[str, _Spec] = {
    "demo": _Spec(dt.date(2024, 1, 1), 5, _THREE_TIERS, _build_demo),
    "district": _Spec(dt.date(2024, 1, 1), 5, _THREE_TIERS, _build_district),
    "hanoi-2023": _Spec(dt.date(2024, 1, 1), 5, _THREE_TIERS, _build_hanoi_2023),
    "hanoi-2025": _Spec(dt.date(2025, 7, 1), 5, _TWO_TIERS, _build_hanoi_2025),
    "national": _Spec(dt.date(2025, 7, 1), 6, _TWO_TIERS, _build_national),
}


def _spec(preset: str) -> _Spec:
    if preset not in _SPECS:
        raise ValueError(
            f"unknown preset {preset!r}{did_you_mean(preset, PRESETS)};"
            f" valid presets: {', '.join(PRESETS)}"
        )
    return _SPECS[preset]


# ------------------------------------------------------------------------------- people


@dataclass(frozen=True)
class _PosInfo:
    """A written position and where it sits."""

    id: str
    unit: str
    unit_sector: str
    locality: str
    level: str
    post: _Post


class _Kin(NamedTuple):
    """What choosing a relation needs to know about a cadre."""

    id: str
    gender: str
    birth_year: int


class _Generator:
    """Walks a preset's territory block by block and emits rows to a sink."""

    def __init__(self, spec: _Spec, seed: int, sink: _Sink) -> None:
        self.rng = random.Random(seed)
        self.spec = spec
        self.as_of = spec.as_of
        self.sink = sink
        self.counters = {"U": 0, "P": 0, "C": 0}
        self.level_of: dict[str, str] = {}
        self.local: dict[str, tuple[str, ...]] = {}  # locality -> itself and descendants
        self.local_set: dict[str, frozenset[str]] = {}
        self.hometowns: tuple[str, ...] = ()
        self.root = ""
        self.block_by_grade: dict[int, list[_PosInfo]] = {}
        self.hq_by_grade: dict[int, list[_PosInfo]] = {}
        self.earlier: list[_Kin] = []  # cadres of blocks already written
        self.paired: set[str] = set()

    def run(self) -> None:
        self.spec.build(self)

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:0{self.spec.id_width}d}"

    # --- territory

    def territory(self, tree: list[_Locality]) -> list[_Locality]:
        """Emit the localities and index the tree for hometowns; return it unchanged."""
        children: dict[str, list[str]] = {}
        for loc in tree:
            self.sink.emit("localities", loc.row())
            self.level_of[loc.id] = loc.level
            children.setdefault(loc.parent, []).append(loc.id)
        self.root = tree[0].id

        def descendants(loc_id: str) -> list[str]:
            found = []
            for child in children.get(loc_id, []):
                found.append(child)
                found.extend(descendants(child))
            return found

        for loc in tree:
            inside = ([] if loc.id == self.root else [loc.id]) + descendants(loc.id)
            self.local[loc.id] = tuple(inside)
            self.local_set[loc.id] = frozenset(inside)
        self.hometowns = self.local[self.root]
        return tree

    # --- blocks

    def block(self, units: list[_UnitPlan], hq: bool = False) -> None:
        """Emit units and positions, then their holders, history and relatives.

        A block is a district (or province) with everything under it; earlier postings are
        drawn from the block, and from the headquarters block (`hq`) if there is one.
        """
        positions: list[_PosInfo] = []
        for plan in units:
            unit_id = self.next_id("U")
            # the district's Party committee, People's Committee, Council and Front end with
            # the level (REFORM_DAY, no successor): their leaders are placed by the plan, as
            # Hướng dẫn 09-HD/TU made them the core of the new communes' leadership. Its
            # offices and boards carry on in the seat ward (the district's successor) [I].
            abolished = plan.locality.level == "district" and plan.kind in _LEADERSHIP_KINDS
            ends = plan.locality.valid_to if abolished else ""
            self.sink.emit(
                "units",
                [unit_id, plan.name, plan.locality.id, plan.bloc, plan.kind, plan.sector, "",
                 ends],
            )
            for post in plan.posts:
                info = _PosInfo(self.next_id("P"), unit_id, plan.sector, plan.locality.id,
                                plan.locality.level, post)  # fmt: skip
                row = [info.id, unit_id, post.title, post.role, str(post.grade), _flag(post.key),
                       post.listed, post.profession, ";".join(post.skills)]  # fmt: skip
                self.sink.emit("positions", row)
                positions.append(info)
        self.block_by_grade = {}
        for info in positions:
            self.block_by_grade.setdefault(info.post.grade, []).append(info)
        people: list[tuple[_Kin, _PosInfo | None]] = []
        for info in positions:
            if self.rng.random() >= VACANCY_SHARE:
                people.append((self.cadre(info), info))
            if self.rng.random() < NO_POST_SHARE:
                people.append((self.cadre(None), None))
        self.relatives(people)
        if hq:
            self.hq_by_grade = self.block_by_grade

    # --- cadres

    def cadre(self, pos: _PosInfo | None) -> _Kin:
        """Emit one cadre holding `pos` (or no post), with earlier postings; return its kin."""
        rng = self.rng
        cadre_id = self.next_id("C")
        role = pos.post.role if pos else "staff"
        gender = "male" if rng.random() < (0.45 if role == "staff" else 0.72) else "female"
        birth = self.birth_date(role, gender)
        age = _years_between(birth, self.as_of)
        name = self.person_name(gender)
        hometown = self.hometown(pos)
        if pos is not None:
            start: dt.date | None = self.position_start(pos, birth)
            profession = pos.post.profession if rng.random() < 0.85 else rng.choice(vn.PROFESSIONS)
            if pos.post.listed:
                # a listed post (periodic change) is held by someone trained for it: the
                # post's professional standards are a condition of recruitment, and a
                # holder of another profession could never be changed lawfully (NĐ 59: same
                # profession) — 9 hanoi-2023 and most national stuck cadres were such
                profession = pos.post.profession
            skills = self.skills(pos.post.skills)
            if role != "staff":
                pool = self.pool(pos) if rng.random() < POOL_SHARE else ""
            else:
                pool = self.staff_pool(pos) if rng.random() < STAFF_POOL_SHARE else ""
            status, until = self.status(gender, age)
        else:
            start, profession, skills, pool = None, rng.choice(vn.PROFESSIONS), self.skills(()), ""
            status = rng.choice(("active", "active", "study", "seconded"))
            until = self.until(status)
        child = self.child_birth(status, gender, age)
        volunteer = rng.random() < (0.15 if child or status == "hardship" else 0.005)
        sole_carer = bool(child) and gender == "male" and rng.random() < SOLE_CARER_SHARE
        row = [cadre_id, name, gender, birth.isoformat(), hometown, pos.id if pos else "",
               start.isoformat() if start else "", profession, skills, pool, status, until,
               child, _flag(volunteer), "", "", _flag(sole_carer)]  # fmt: skip
        self.sink.emit("cadres", row)
        if pos is not None and start is not None and rng.random() < HISTORY_SHARE:
            self.history(cadre_id, pos, start, birth)
        return _Kin(cadre_id, gender, birth.year)

    def person_name(self, gender: str) -> str:
        rng = self.rng
        family = rng.choices(_FAMILY[0], cum_weights=_FAMILY[1])[0]
        middle_names, weights = _MIDDLE[gender]
        middle = rng.choices(middle_names, cum_weights=weights)[0]
        given = rng.choice(_GIVEN[gender])
        if given == middle:
            given = rng.choice(_GIVEN[gender])
        return f"{family} {middle} {given}"

    def birth_date(self, role: str, gender: str) -> dt.date:
        """A birth date giving an age in the role's range, before retirement on the start.

        One in twenty is drawn near retirement (within ~2.5 years of it), so that exemption
        rules ("less than 18 months to retirement") have cases.
        """
        rng = self.rng
        youngest = add_months(self.as_of, -25 * 12)
        near = rng.random() < 0.05
        low, high = _AGE_YEARS[role]
        if near:
            low, high = (58, 61) if gender == "male" else (53, 56)
        for _ in range(50):
            age_days = rng.randint(int(low * 365.25), int((high + 1) * 365.25) - 1)
            birth = min(self.as_of - dt.timedelta(days=age_days), youngest)
            if retirement_date(birth, gender) > self.as_of + dt.timedelta(days=31):
                return birth
        return add_months(self.as_of, -40 * 12)  # not reached in practice

    def hometown(self, pos: _PosInfo | None) -> str:
        """Inside the post's locality for LOCAL_SHARE of cadres, elsewhere for the others."""
        rng = self.rng
        if pos is None:
            return rng.choice(self.hometowns)
        local = self.local[pos.locality]
        if rng.random() < LOCAL_SHARE:
            return rng.choice(local)
        inside = self.local_set[pos.locality]
        if len(inside) < len(self.hometowns):
            for _ in range(20):
                town = rng.choice(self.hometowns)
                if town not in inside:
                    return town
        # The roster holds no locality outside this one (the district preset): the root
        # stands for "elsewhere", unless the post is at the root itself.
        return self.root if pos.locality != self.root else rng.choice(local)

    def position_start(self, pos: _PosInfo, birth: dt.date) -> dt.date:
        """Start in the current post: DUE_SHARE reach their tenure limit within two years.

        Limits: 96 months for heads, chairs and secretaries ("two terms"), 60 for the rest
        (the longest periodic-change period).
        """
        rng = self.rng
        limit = 96 if pos.post.role in _LONG_TENURE_ROLES else 60
        if rng.random() < DUE_SHARE:
            months = rng.randint(limit - 24, limit + 12)
        else:
            months = rng.randint(1, limit - 25)
        start = add_months(self.as_of, -months) - dt.timedelta(days=rng.randint(0, 27))
        earliest = add_months(birth, 22 * 12)
        if start < earliest:
            start = earliest + dt.timedelta(days=rng.randint(0, (self.as_of - earliest).days - 1))
        return start

    def skills(self, wanted: tuple[str, ...]) -> str:
        """Most of the post's skills, and now and then another one, in canonical order."""
        rng = self.rng
        have = {skill for skill in wanted if rng.random() < 0.7}
        have.update(skill for skill in vn.SKILLS if rng.random() < 0.04)
        return ";".join(skill for skill in vn.SKILLS if skill in have)

    def pool(self, pos: _PosInfo) -> str:
        """Planning-pool tokens: a higher post at this level, sometimes one a level up."""
        rng = self.rng
        tokens = []
        if _NEXT_ROLES[pos.post.role]:
            tokens.append(f"{rng.choice(_NEXT_ROLES[pos.post.role])}@{pos.level}")
        above = self.spec.level_above.get(pos.level)
        if above and (not tokens or rng.random() < 0.3):
            tokens.append(f"{rng.choice(_UP_ROLES)}@{above}")
        return ";".join(tokens)

    def staff_pool(self, pos: _PosInfo) -> str:
        """A civil servant's pool token: the deputy post of their level (a commune's vice
        chair: communes have no deputy heads)."""
        return "vice_chair@commune" if pos.level == "commune" else f"deputy_head@{pos.level}"

    def status(self, gender: str, age: int) -> tuple[str, str]:
        rng = self.rng
        if gender == "female" and age < 45:
            draw = rng.random()
            if draw < 0.06:
                status = "pregnant" if draw < 0.03 else "maternity"
                return status, self.until(status)
        draw = rng.random()
        for status, share, _, _ in _STATUSES:
            if draw < share:
                return status, self.until(status)
            draw -= share
        return "active", ""

    def until(self, status: str) -> str:
        """The day a status ends, some months after the start ('' when active)."""
        if status == "active":
            return ""
        return add_months(self.as_of, self.rng.randint(*_STATUS_MONTHS[status])).isoformat()

    def child_birth(self, status: str, gender: str, age: int) -> str:
        """A child under 36 months on the start (maternity: under six months)."""
        rng = self.rng
        if status == "maternity":
            return (self.as_of - dt.timedelta(days=rng.randint(15, 180))).isoformat()
        if status == "pregnant" or age >= 45:
            return ""
        if rng.random() < (0.09 if gender == "female" else 0.04):
            born = add_months(self.as_of, -36) + dt.timedelta(days=rng.randint(1, 3 * 365))
            return min(born, self.as_of - dt.timedelta(days=1)).isoformat()
        return ""

    # --- history

    def history(self, cadre_id: str, pos: _PosInfo, start: dt.date, birth: dt.date) -> None:
        """One to three earlier postings, newest first, each ending when the next began."""
        rng = self.rng
        earliest = add_months(birth, 22 * 12)
        end, current = start, pos
        for _ in range(rng.choices((1, 2, 3), weights=(6, 3, 1))[0]):
            earlier = self.earlier_post(current, pos.id)
            begin = add_months(end, -rng.randint(18, 72))
            if earlier is None or begin < earliest:
                return
            dates = [begin.isoformat(), end.isoformat()]
            form = self.move_form(earlier, current)
            self.sink.emit("history", [cadre_id, earlier.id, *dates, form])
            end, current = begin, earlier

    def earlier_post(self, current: _PosInfo, held: str) -> _PosInfo | None:
        """A post of the same or a lower grade than `current`, the same profession for listed
        posts, and never the one the cadre holds now (`held`)."""
        rng = self.rng
        wanted = current.post
        pool = self.block_by_grade
        if self.hq_by_grade and wanted.grade >= 4 and rng.random() < 0.15:
            pool = self.hq_by_grade
        grade = wanted.grade - rng.choice((0, 0, 1, 1, 2))
        candidates = pool.get(grade) or pool.get(wanted.grade)
        if not candidates:
            return None
        for attempt in range(6):
            earlier = rng.choice(candidates)
            if earlier.id in (current.id, held):
                continue
            if wanted.listed and earlier.post.profession != wanted.profession and attempt < 5:
                continue
            return earlier
        return None

    def move_form(self, earlier: _PosInfo, later: _PosInfo) -> str:
        """The form of the move from `earlier` to `later`."""
        rng, before, after = self.rng, earlier.post, later.post
        if before.grade < after.grade:
            return "appointment" if rng.random() < 0.7 else "rotation"
        if after.listed and before.listed and before.profession == after.profession:
            return "position_change"
        if earlier.level != later.level:
            return "rotation"
        return rng.choices(("transfer", "rotation", "secondment"), weights=(6, 3, 1))[0]

    # --- relatives

    def relatives(self, people: list[tuple[_Kin, _PosInfo | None]]) -> None:
        """Relative pairs: a few deliberate conflicts (QĐ 114), then random ones.

        Deliberate: a locality's secretary or chair with the head of a listed sector there
        (a quarter of districts and cities, 3% of communes), and now and then a head and a
        deputy of one unit. Random: RELATIVE_SHARE of cadres each start a pair, half of them
        with a cadre of an earlier block when there is one.
        """
        rng = self.rng
        leaders: dict[str, list[_Kin]] = {}
        sector_heads: dict[str, list[_Kin]] = {}
        heads: dict[str, _Kin] = {}
        deputies: dict[str, list[_Kin]] = {}
        for kin, pos in people:
            if pos is None:
                continue
            if pos.post.role in ("secretary", "chair"):
                leaders.setdefault(pos.locality, []).append(kin)
            elif pos.post.role == "head":
                heads[pos.unit] = kin
                if pos.unit_sector in vn.QD114_SECTORS:
                    sector_heads.setdefault(pos.locality, []).append(kin)
            elif pos.post.role == "deputy_head":
                deputies.setdefault(pos.unit, []).append(kin)
        for loc_id, group in leaders.items():
            share = 0.03 if self.level_of[loc_id] == "commune" else 0.25
            if loc_id in sector_heads and rng.random() < share:
                self.pair(rng.choice(group), rng.choice(sector_heads[loc_id]))
        for unit_id, head in heads.items():
            if unit_id in deputies and rng.random() < 0.01:
                self.pair(head, rng.choice(deputies[unit_id]))
        block = [kin for kin, _ in people]
        for kin in block:
            if kin.id in self.paired or rng.random() >= RELATIVE_SHARE:
                continue
            source = self.earlier if self.earlier and rng.random() < 0.5 else block
            for _ in range(5):
                other = rng.choice(source)
                if other.id != kin.id and other.id not in self.paired:
                    self.pair(kin, other)
                    break
        self.earlier.extend(block)

    def pair(self, a: _Kin, b: _Kin) -> None:
        """Emit one relation "a is <relation> of b", chosen to fit their ages and genders."""
        if a.id == b.id or a.id in self.paired or b.id in self.paired:
            return
        rng = self.rng
        gap = b.birth_year - a.birth_year  # > 0: a is older
        if abs(gap) >= 18:
            in_law = rng.random() < 0.3
            if gap > 0:
                relation = "parent_in_law" if in_law else "parent"
            else:
                relation = "child_in_law" if in_law else "child"
        elif a.gender != b.gender and abs(gap) <= 12 and rng.random() < 0.5:
            relation = "spouse"
        else:
            relation = "sibling" if rng.random() < 0.65 else "sibling_in_law"
        self.sink.emit("relations", [a.id, b.id, relation])
        self.paired.update((a.id, b.id))


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _years_between(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
