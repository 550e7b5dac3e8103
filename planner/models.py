"""Domain models: the organisation, its cadres, and a scenario. Immutable pydantic models.

Each model checks its own fields; cross-references are checked once the whole roster is
loaded (`planner.validate`). Nothing here knows about solvers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from planner.errors import unknown

Level = Literal["city", "district", "commune"]
Bloc = Literal["party", "state", "front"]
Role = Literal[
    "secretary",
    "deputy_secretary",
    "chair",
    "vice_chair",
    "council_chair",
    "front_chair",
    "head",
    "deputy_head",
    "staff",
]
Gender = Literal["male", "female"]
Status = Literal[
    "active",
    "discipline",
    "investigation",
    "prosecution",
    "trial",
    "illness",
    "study",
    "seconded",
    "pregnant",
    "maternity",
    "hardship",
]
RelationKind = Literal[
    "spouse",
    "parent",
    "child",
    "sibling",
    "parent_in_law",
    "child_in_law",
    "sibling_in_law",
]
Form = Literal["rotation", "transfer", "secondment", "position_change", "appointment"]
HistoryForm = Literal["rotation", "transfer", "secondment", "position_change", "appointment"]

LEVELS: tuple[str, ...] = ("city", "district", "commune")
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]
FORMS: tuple[str, ...] = Form.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
ALL_FORMS: tuple[Form, ...] = ("rotation", "transfer", "secondment", "position_change",
                               "appointment")
FORMS_EXCEPT_SECONDMENT: tuple[Form, ...] = ("rotation", "transfer", "position_change",
                                             "appointment")
LEADER_ROLES: frozenset[str] = frozenset(r for r in ROLES if r != "staff")


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _split_list(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, str):
        if ";" not in value:  # one item or none: the common cell, without the generator
            part = value.strip()
            return (part,) if part else ()
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


FIRST_YEAR, LAST_YEAR = 1900, 2100  # dates outside are typing mistakes, not planning facts


_NUMBER = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]*)?\s*")


def _date_text(value: Any) -> Any:
    # pydantic reads a number or a digit string as a Unix timestamp; nobody writes dates so
    if isinstance(value, bool | int | float) or (
            isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError(f"'{value}' is not a date (write YYYY-MM-DD)")
    return value


def _date_in_years(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value} is outside the years {FIRST_YEAR}–{LAST_YEAR}")
    return value


def _plain_int(value: Any) -> Any:
    # int() accepts '1_0' (10), ' +3', True; a roster cell or YAML value must be plain digits
    if isinstance(value, bool):
        raise ValueError("expected a whole number, not true/false")
    if isinstance(value, str) and not re.fullmatch(r"\s*-?[0-9]+\s*", value):
        raise ValueError(f"'{value}' is not a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{value} is not a whole number")
    return value


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
Day = Annotated[dt.date, BeforeValidator(_date_text), AfterValidator(_date_in_years)]
OptDate = Annotated[dt.date | None, BeforeValidator(_date_text),
                    BeforeValidator(_blank_to_none), AfterValidator(_date_in_years)]
PlainInt = Annotated[int, BeforeValidator(_plain_int)]
#: objective weights: finite and at most this (1e308 or .inf make every plan "infeasible")
MAX_WEIGHT = 1e6
TokenList = Annotated[tuple[str, ...], BeforeValidator(_split_list)]


class Record(BaseModel):
    """Base of every roster record: frozen, no unknown fields, whitespace stripped, and no
    control characters (NUL, escape, tab, newline) in any cell: an id or name holding one
    prints wrongly and never matches what a planner types."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        # isprintable() is False for every Cc/Cf character (and for other whitespace, which
        # the exact test below then lets through): the common all-printable cell skips it.
        if isinstance(value, str) and not value.isprintable():
            bad = next((c for c in value.strip() if unicodedata.category(c) in ("Cc", "Cf")
                        and c != "\ufeff"), None)
            if bad is not None:
                raise ValueError(f"contains the control character U+{ord(bad):04X} "
                                 f"({unicodedata.name(bad, 'control')})")
        return value


class Locality(Record):
    """A node of the territory tree: the city, a district, or a commune (phường/xã)."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    level: Level
    kind: str = ""
    parent: OptStr = None
    valid_from: OptDate = None
    valid_to: OptDate = None
    successor: OptStr = None

    # Cross-field checks are field validators on the later field (not model validators) so
    # that an error is reported against a named column, e.g. `localities.csv:5: valid_to: …`.
    @field_validator("valid_to")
    @classmethod
    def _valid_window(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        valid_from = info.data.get("valid_from")
        if value and valid_from and valid_from >= value:
            raise ValueError(f"valid_from {valid_from} must be before valid_to {value}")
        return value


def _check_window(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
    valid_from = info.data.get("valid_from")
    if value and valid_from and valid_from >= value:
        raise ValueError(f"valid_from {valid_from} must be before valid_to {value}")
    return value


class Unit(Record):
    """An agency inside a locality (Party committee, People's Committee, department, office).

    It exists in [`valid_from`, `valid_to`) (and while its locality does); a `successor`
    unit carries its posts on after `valid_to` (planner.graph: existence)."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    locality: str = Field(min_length=1)
    bloc: Bloc
    kind: str = ""
    sector: str = ""
    valid_from: OptDate = None
    valid_to: OptDate = None
    successor: OptStr = None

    _valid_window = field_validator("valid_to")(_check_window)


class Position(Record):
    """A post in a unit. `grade` ranks posts for "equivalent post"; `key` marks key posts."""

    id: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    title: str = Field(min_length=1)
    role: Role
    grade: PlainInt = Field(ge=0, le=20)
    key: bool = False
    listed_sector: str = ""
    profession: str = ""
    skills: TokenList = ()
    # The post exists in [valid_from, valid_to) (and while its unit does); on `valid_to` its
    # holder goes to the `successor` post, or — without one — must have been moved by then.
    valid_from: OptDate = None
    valid_to: OptDate = None
    successor: OptStr = None

    _valid_window = field_validator("valid_to")(_check_window)


class PoolEntry(BaseModel):
    """A planning-pool token `role@level`: the cadre is earmarked for that post."""

    model_config = ConfigDict(frozen=True)
    role: Role
    level: Level

    def __str__(self) -> str:
        return f"{self.role}@{self.level}"


def _parse_pool(value: Any) -> Any:
    tokens = _split_list(value)
    if not isinstance(tokens, tuple):
        return tokens
    entries: list[Any] = []
    for token in tokens:
        if isinstance(token, PoolEntry):
            entries.append(token)
            continue
        role, sep, level = str(token).partition("@")
        if not sep:
            raise ValueError(f"pool token '{token}' must look like role@level, e.g. chair@district")
        entries.append({"role": role, "level": level})
    return tuple(entries)


class Cadre(Record):
    """A cadre (cán bộ): who they are, where they serve since when, and their situation."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    gender: Gender
    birth_date: Day
    hometown: OptStr = None
    position: OptStr = None
    # validate_default: the "required when position is set" check must also run when the
    # column is absent.
    position_start: OptDate = Field(None, validate_default=True)
    profession: str = ""
    skills: TokenList = ()
    pool: Annotated[tuple[PoolEntry, ...], BeforeValidator(_parse_pool)] = ()
    status: Annotated[Status, BeforeValidator(lambda v: _blank_to_none(v) or "active")] = "active"
    status_until: OptDate = None
    child_birth_date: OptDate = None
    volunteer: Annotated[bool, BeforeValidator(lambda v: _blank_to_none(v) or False)] = False
    # A secondment still running when the roster was written (`rotation apply`): the cadre
    # keeps `position` (home post) and also holds `secondment_post` until `secondment_end`
    # (the day they are back home).
    secondment_post: OptStr = None
    secondment_end: OptDate = None
    # NĐ 59/2019 Đ.38–39: a father is deferred for a young child only as its carer (his wife
    # died or another objective reason); false unless the roster says so.
    sole_carer: Annotated[bool, BeforeValidator(lambda v: _blank_to_none(v) or False)] = False

    @field_validator("position_start")
    @classmethod
    def _post_needs_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if info.data.get("position") and value is None:
            raise ValueError("position_start is required when position is set")
        birth_date = info.data.get("birth_date")
        if value and birth_date and value < birth_date:
            raise ValueError(f"position_start {value} is before birth_date {birth_date}")
        return value

    @field_validator("child_birth_date")
    @classmethod
    def _child_after_parent(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        birth_date = info.data.get("birth_date")
        if value and birth_date and value <= birth_date:
            raise ValueError(
                f"child_birth_date {value} is not after the cadre's own birth_date {birth_date}"
            )
        return value


class Relation(Record):
    """Two cadres who are relatives in the sense of QĐ 114-QĐ/TW."""

    a: str = Field(min_length=1)
    b: str = Field(min_length=1)
    relation: RelationKind

    @field_validator("b")
    @classmethod
    def _irreflexive(cls, value: str, info: ValidationInfo) -> str:
        if value == info.data.get("a"):
            raise ValueError(f"a cadre cannot be their own relative ({value})")
        return value


class HistoryEntry(Record):
    """An earlier posting of a cadre."""

    cadre: str = Field(min_length=1)
    position: str = Field(min_length=1)
    start: Day
    end: OptDate = None
    form: OptStr = None

    @field_validator("form")
    @classmethod
    def _known_form(cls, value: str | None) -> str | None:
        allowed = HistoryForm.__args__  # type: ignore[attr-defined]
        if value is not None and value not in allowed:
            raise ValueError(f"form '{value}' is not one of {', '.join(allowed)}")
        return value

    @field_validator("end")
    @classmethod
    def _ordered(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value < start:
            raise ValueError(f"end {value} is before start {start}")
        return value


# ---------------------------------------------------------------- scenario (YAML) models


class Config(BaseModel):
    """Base of YAML configuration models: frozen, unknown keys are errors, and no control
    characters in any string (YAML's escapes make them: "C006\\0", "C006\\n"): an id holding
    a NUL, escape, newline or bidi override prints wrongly and never matches what a planner
    types, as in the roster's cells (Record). Free text (a label, a basis, a description)
    may still break lines and hold tabs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _holds_model(field.annotation):
            return value  # a nested model checks its own fields (and says which)
        allowed = "\n\t" if info.field_name in FREE_TEXT_FIELDS else ""
        for text in _strings(value):
            bad = control_character(text, allowed)
            if bad is not None:
                raise ValueError(f"contains the control character U+{ord(bad):04X} "
                                 f"({unicodedata.name(bad, CONTROL_NAMES.get(bad, 'control'))})"
                                 + ("" if isinstance(value, str) else f" in {text!r}"))
        return value


CONTROL_NAMES = {"\0": "NUL", "\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN",
                 "\x1b": "ESCAPE"}
#: fields of free text in YAML files, where a line break or tab is writing, not a mistake
FREE_TEXT_FIELDS = frozenset({"title", "label", "basis", "description"})


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control or format character of `text` (NUL, ESC, newline, bidi override,
    line separator…) other than those `allowed` and a byte-order mark; None if none."""
    return next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                 and c not in allowed and c != "\ufeff"), None)


def _strings(value: Any) -> list[str]:
    """Every string in a YAML value: scalars, list items, mapping keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_strings(k), *_strings(v))]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _strings(item)]
    return []


def _holds_model(annotation: Any) -> bool:
    """True if a field's type is, or contains, a pydantic model (list[Pin], Horizon | None)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_model(arg) for arg in getattr(annotation, "__args__", ()))


class Horizon(Config):
    """The planning period [start, end) cut into rounds (quarters by default)."""

    start: Day
    end: Day
    round: Literal["quarter", "month"] = "quarter"

    @field_validator("end")
    @classmethod
    def _ordered(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and start >= value:
            raise ValueError(f"horizon start {start} must be before end {value}")
        if start is not None and (value.year - start.year) > 10:
            raise ValueError("horizon longer than 10 years")
        return value


class Pin(Config):
    """A move the plan must contain (round optional: any round)."""

    cadre: str
    to: str
    round: str | None = None
    form: Form | None = None
    # QĐ 65 Đ.4: a rotation to a higher post is the exception, by an explicit decision of
    # the Standing Committee; this flag records that decision (never assumed).
    higher: bool = False


class Forbid(Config):
    """A move the plan must not contain (to a position, or any move if `to` is omitted)."""

    cadre: str
    to: str | None = None


class Weights(Config):
    """Objective weights; soft rules add their own weights from the rule files."""

    overdue: float = Field(100.0, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    vacancy: float = Field(20.0, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    skill_fit: float = Field(5.0, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)
    disruption: float = Field(1.0, ge=0, le=MAX_WEIGHT, allow_inf_nan=False)


# Engines inside OR-Tools the planner can solve with (planner/solver/engines.py); the
# default is the fastest measured on hanoi-2023 (benchmarks/RESULTS.md).
ENGINES = ("highs", "glop", "scip", "sat")


class SolverSettings(Config):
    """Solver limits and engine. Engines run with `threads` threads (default 1) and `seed`;
    the objective's tie-breaks make the optimum unique, so a solve that ends at the gap (not
    at the time limit) gives the same plan every time, whatever the engine's thread count."""

    time_limit_s: float = Field(60.0, gt=0, le=7 * 24 * 3600, allow_inf_nan=False)
    gap: float = Field(0.01, ge=0, le=1, allow_inf_nan=False)
    seed: PlainInt = Field(0, ge=0, le=2**31 - 1)  # HiGHS's random_seed range
    engine: str = "highs"
    threads: PlainInt = Field(1, ge=1, le=64)
    #: plan by part as Dask tasks, then merge and check the whole (planner.partition)
    partition: Literal["none", "province", "auto"] = "none"
    #: `auto`: how many parts (0: one per worker, else one per core)
    parts: PlainInt = Field(0, ge=0, le=10_000)

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value not in ENGINES:
            raise ValueError(unknown("engine", value, ENGINES))
        return value


class VacancyPatch(Config):
    """New posts to open (`add`, the columns of positions.csv) and vacant posts to close."""

    add: list[Position] = Field(default_factory=list)
    close: list[str] = Field(default_factory=list)


class StatusChange(Config):
    """A cadre's status from now on (e.g. study or illness: deferred or exempt from moves)."""

    cadre: str
    status: Status
    until: OptDate = None


class CadrePatch(Config):
    """Cadres whose status changes, and cadres who leave the organisation (their post falls
    vacant; they are no longer planned)."""

    status: list[StatusChange] = Field(default_factory=list)
    leave: list[str] = Field(default_factory=list)


class RelationPair(Config):
    """Two cadres, in either order."""

    a: str
    b: str


class RelationPatch(Config):
    """Relatives to add (`a, b, relation`) or to remove (`a, b`)."""

    add: list[Relation] = Field(default_factory=list)
    remove: list[RelationPair] = Field(default_factory=list)


class Merge(Config):
    """A locality merged into another on a date: it ends (`valid_to`, `successor`) and its
    units' posts are remapped by a CSV file (`old_position,new_position` or
    `old_unit,new_unit`); without a mapping its units move to the successor unchanged."""

    locality: str
    into: str
    on: Day
    mapping: str | None = None


class RosterPatches(Config):
    """Changes a what-if makes to the roster it inherits, applied in memory (base files are
    never modified): vacancies, cadres, relations, then merges — see planner.overlay."""

    vacancies: VacancyPatch = Field(default_factory=VacancyPatch)
    cadres: CadrePatch = Field(default_factory=CadrePatch)
    relations: RelationPatch = Field(default_factory=RelationPatch)
    merge: list[Merge] = Field(default_factory=list)


class ScenarioFile(Config):
    """The contents of one scenario.yaml, before `extends` is resolved."""

    name: str | None = None
    title: str = ""
    extends: str | None = None
    horizon: Horizon | None = None
    data: str | None = None
    rules: list[str] | None = None
    set: dict[str, dict[str, Any]] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    enable: list[str] = Field(default_factory=list)
    pin: list[Pin] = Field(default_factory=list)
    forbid: list[Forbid] = Field(default_factory=list)
    # an overlay may drop a pin or forbid of the scenario it extends (pasted relaxations)
    unpin: list[str] = Field(default_factory=list)
    unforbid: list[Forbid] = Field(default_factory=list)
    weights: Weights | None = None
    solver: SolverSettings | None = None
    roster: RosterPatches | None = None
