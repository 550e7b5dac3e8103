"""The solver-neutral 0/1 linear model over candidate moves: sparse arrays the rule kinds write.

    min cost·x   subject to   row_lower ≤ A·x ≤ row_upper,   0 ≤ x ≤ upper

Columns 0..n-1 are candidates (one option: cadre, form, post, round); later columns are
slacks the kinds add (a stay, a shortfall, a soft row's excess). Rows are kept as blocks of
CSR arrays: the core structure arrives as whole blocks (`add_rows`), a kind's few rows one at
a time (`add_row`, buffered). `matrix()` gives the whole constraint matrix as one scipy CSR
matrix, which is what OR-Tools' model_builder and HiGHS take in one call. Nothing here knows
a solver, so rule kinds encode themselves beside their checkers (planner/kinds/*).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:
    from planner.plan import Move


class Candidate(NamedTuple):
    """One option the planner may choose: cadre moves by form to position in round (a named
    tuple: a city's model makes hundreds of thousands)."""

    index: int  # type: ignore[assignment]  # (a field, not tuple.index)
    cadre: str
    form: str
    from_position: str | None
    to_position: str
    round_index: int
    start: dt.date
    cost: float
    unit: str
    locality: str
    role: str
    key: bool
    soft_rules: tuple[str, ...] = ()
    #: a secondment's return (planner.forms.secondment_end); None for permanent moves
    end: dt.date | None = None


@dataclass
class CandidateColumns:
    """What makes the candidates of a built model, as per-option codes and per-code values:
    a Candidate is made from them when first read (a city's model has hundreds of thousands
    of candidates; a plan reads the few thousand it chooses, and the kinds read arrays)."""

    cadres: list[str]
    cadre: np.ndarray  # per option: code in cadres
    homes: list[str | None]  # per cadre code: the post held
    forms: list[str]  # per option
    posts: list[str]
    to: np.ndarray  # per option: code in posts
    round: np.ndarray
    starts: list[dt.date]  # per round
    cost: np.ndarray  # per option: the objective's cost when built
    units: list[str]  # per post code (destinations), likewise below
    localities: list[str]
    roles: list[str]
    keys: list[bool]
    soft_rules: list[tuple[str, ...]]
    ends: dict[int, dt.date]  # per secondment option: its end

    def make(self, index: int) -> Candidate:
        cadre, post, round_index = int(self.cadre[index]), int(self.to[index]), \
            int(self.round[index])
        return Candidate(index, self.cadres[cadre], self.forms[index], self.homes[cadre],
                         self.posts[post], round_index, self.starts[round_index],
                         float(self.cost[index]), self.units[post], self.localities[post],
                         self.roles[post], self.keys[post], self.soft_rules[index],
                         self.ends.get(index))


class CandidateList(Sequence[Candidate]):
    """The model's candidates, a list to its readers; those of `CandidateColumns` are made
    on first reading (and kept), those appended are stored as they are."""

    def __init__(self, columns: CandidateColumns | None = None) -> None:
        self._columns = columns
        self._made: list[Candidate | None] = [None] * (0 if columns is None else
                                                       len(columns.forms))

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> Candidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[Candidate]: ...

    def __getitem__(self, index: int | slice) -> Candidate | list[Candidate]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._made)))]
        found = self._made[index]
        if found is None:
            assert self._columns is not None
            position = index if index >= 0 else len(self._made) + index
            found = self._made[index] = self._columns.make(position)
        return found

    def __iter__(self) -> Iterator[Candidate]:
        for index in range(len(self._made)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == (list(other) if isinstance(other, CandidateList) else other)

    __hash__ = None  # type: ignore[assignment]

    def append(self, candidate: Candidate) -> None:
        self._made.append(candidate)

    def extend(self, candidates: Iterable[Candidate]) -> None:
        self._made.extend(candidates)


@dataclass
class CandidateArrays:
    """The candidates' posts, rounds and forms as arrays, for kinds that encode over all of
    them at once (posts coded by `index`; -1: no origin post)."""

    posts: list[str]
    index: dict[str, int]
    to: np.ndarray
    origin: np.ndarray
    round: np.ndarray
    secondment: np.ndarray
    #: per candidate its cadre's code in `cadres` (cadres in order of their first candidate)
    cadre: np.ndarray | None = None
    cadres: list[str] | None = None


@dataclass
class Row:
    """One row, as read back for explanations and tests (storage is the CSR blocks)."""

    columns: list[int]
    coefs: list[float]
    lower: float
    upper: float
    label: str
    rule: str


@dataclass
class _Block:
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    labels: list[str]
    rules: list[str]


@dataclass
class LinearModel:
    """min cost·x subject to rows; columns 0..n-1 are candidates, later ones are slacks."""

    candidates: CandidateList = field(default_factory=CandidateList)
    costs: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integral: list[bool] = field(default_factory=list)
    column_labels: dict[int, str] = field(default_factory=dict)
    column_rules: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_cadre: dict[str, list[int]] = defaultdict(list)
        self._blocks: list[_Block] = []
        # rows added one at a time, flushed into a block when the matrix is read
        self._pending_cols: list[np.ndarray] = []
        self._pending_coefs: list[np.ndarray] = []
        self._pending_ptr: list[int] = [0]
        self._pending_lower: list[float] = []
        self._pending_upper: list[float] = []
        self._pending_labels: list[str] = []
        self._pending_rules: list[str] = []

    # -- columns -----------------------------------------------------------------------
    def matching(self, rule: Any, facts: Any,
                 among: Sequence[Candidate] | None = None) -> list[Candidate]:
        """Candidates in force and selected by `rule` (a kind's encoding starts here), of
        all or of those `among` (in their order)."""
        pool = self.candidates if among is None else among
        in_force: dict[dt.date, bool] = {}  # per start day (a round's)
        for candidate in pool:
            if candidate.start not in in_force:
                in_force[candidate.start] = rule.in_force(candidate.start)
        if not rule.selector.conditions:
            return [c for c in pool if in_force[c.start]]
        found = []
        # the selector reads the move context, the same for every round of a (cadre, form,
        # post): matched once per such triple
        matched: dict[tuple[str, str, str | None, str], bool] = {}
        for candidate in pool:
            if not in_force[candidate.start]:
                continue
            key = (candidate.cadre, candidate.form, candidate.from_position,
                   candidate.to_position)
            hit = matched.get(key)
            if hit is None:
                name = facts.rounds[candidate.round_index].name
                hit = matched[key] = rule.selector.matches(
                    facts.move_context(candidate_move(candidate, name)))
            if hit:
                found.append(candidate)
        return found

    def candidate_arrays(self) -> CandidateArrays:
        """The candidates as arrays (made once, remade if candidates were added since)."""
        cached = getattr(self, "_arrays", None)
        if cached is not None and len(cached.to) == len(self.candidates):
            return cached
        index: dict[str, int] = {}
        for c in self.candidates:
            index.setdefault(c.to_position, len(index))
        for c in self.candidates:
            if c.from_position is not None:
                index.setdefault(c.from_position, len(index))
        count = len(self.candidates)
        arrays = CandidateArrays(
            list(index), index,
            np.fromiter((index[c.to_position] for c in self.candidates), np.int64, count),
            np.fromiter((-1 if c.from_position is None else index[c.from_position]
                         for c in self.candidates), np.int64, count),
            np.fromiter((c.round_index for c in self.candidates), np.int64, count),
            np.fromiter((c.form == "secondment" for c in self.candidates), bool, count))
        self._arrays = arrays
        return arrays

    def add_candidates(self, candidates: Sequence[Candidate]) -> None:
        """`add_candidate` of each, in one go."""
        if not candidates:
            return
        assert candidates[0].index == len(self.costs) and \
            candidates[-1].index == len(self.costs) + len(candidates) - 1
        self.candidates.extend(candidates)
        self.costs.extend([c.cost for c in candidates])
        self.upper.extend([1.0] * len(candidates))
        self.integral.extend([True] * len(candidates))
        by_cadre = self.by_cadre
        for c in candidates:
            by_cadre[c.cadre].append(c.index)

    def add_candidate_columns(self, columns: CandidateColumns,
                              arrays: CandidateArrays) -> None:
        """The first candidates of the model, as the builder's columns (`CandidateColumns`:
        made when read) and the same as arrays (`candidate_arrays`, with cadre codes)."""
        assert not self.candidates and not self.costs
        count = len(columns.forms)
        self.candidates = CandidateList(columns)
        self.costs.extend(columns.cost.tolist())
        self.upper.extend([1.0] * count)
        self.integral.extend([True] * count)
        if count and arrays.cadre is not None and arrays.cadres is not None:
            # columns of each cadre, in column order: one stable sort of the cadre codes
            order = np.argsort(arrays.cadre, kind="stable")
            bounds = np.cumsum(np.bincount(arrays.cadre, minlength=len(arrays.cadres)))
            for cadre_id, indices in zip(arrays.cadres, np.split(order, bounds[:-1]),
                                         strict=True):
                self.by_cadre[cadre_id] = indices.tolist()
        self._arrays = arrays

    def add_candidate(self, candidate: Candidate) -> None:
        assert candidate.index == len(self.costs)
        self.candidates.append(candidate)
        self.costs.append(candidate.cost)
        self.upper.append(1.0)
        self.integral.append(True)
        self.by_cadre[candidate.cadre].append(candidate.index)

    @property
    def num_candidates(self) -> int:
        return len(self.candidates)

    @property
    def num_columns(self) -> int:
        return len(self.costs)

    def add_column(self, cost: float, upper: float, label: str, rule: str = "",
                   integral: bool = False) -> int:
        """An extra column (a slack), returning its index."""
        self.costs.append(cost)
        self.upper.append(upper)
        self.integral.append(integral)
        index = len(self.costs) - 1
        self.column_labels[index] = label
        if rule:
            self.column_rules[index] = rule
        return index

    # -- rows --------------------------------------------------------------------------
    def add_row(self, terms: Iterable[tuple[int, float]], lower: float = -math.inf,
                upper: float = math.inf, label: str = "", rule: str = "") -> None:
        """lower ≤ Σ coef·x ≤ upper (terms with the same column are summed)."""
        pairs = terms if isinstance(terms, list) else list(terms)
        if not pairs:
            return
        columns_of, coefs_of = zip(*pairs, strict=True)
        columns: np.ndarray = np.array(columns_of, dtype=np.int64)
        coefs: np.ndarray = np.array(coefs_of, dtype=np.float64)
        if len(columns) > 1 and not (columns[1:] > columns[:-1]).all():
            # sorted, the same column's terms summed in their order
            unique, inverse = np.unique(columns, return_inverse=True)
            coefs = np.bincount(inverse.reshape(-1), weights=coefs, minlength=len(unique))
            columns = unique
        keep = coefs != 0.0
        if not keep.all():
            columns, coefs = columns[keep], coefs[keep]
        if not len(columns):
            return
        self._pending_cols.append(columns)
        self._pending_coefs.append(coefs)
        self._pending_ptr.append(self._pending_ptr[-1] + len(columns))
        self._pending_lower.append(lower)
        self._pending_upper.append(upper)
        self._pending_labels.append(label)
        self._pending_rules.append(rule)

    def add_soft_row(self, terms: Iterable[tuple[int, float]], upper: float, weight: float,
                     label: str, rule: str) -> None:
        """Σ coef·x ≤ upper + slack, the slack costing `weight` per unit (soft rules)."""
        term_list = list(terms)
        if not term_list:
            return
        slack = self.add_column(weight, math.inf, f"slack {label}", rule)
        self.add_row([*term_list, (slack, -1.0)], upper=upper, label=label, rule=rule)

    def add_count_rows(self, groups: Sequence[np.ndarray], caps: Sequence[float],
                       labels: Sequence[str], rule: str,
                       soft_weight: float | None = None) -> None:
        """Σ x over each group's columns ≤ its cap, as one block: `add_row` (or, with a
        `soft_weight`, `add_soft_row`) of every group in turn, the same rows and slack
        columns in the same order, without a Python call per row."""
        if not groups:
            return
        sizes = np.array([len(g) for g in groups], dtype=np.int64)
        keep = sizes > 0
        if not keep.all():
            groups = [g for g, k in zip(groups, keep.tolist(), strict=True) if k]
            caps = [c for c, k in zip(caps, keep.tolist(), strict=True) if k]
            labels = [label for label, k in zip(labels, keep.tolist(), strict=True) if k]
            sizes = sizes[keep]
        count = len(groups)
        if count == 0:
            return
        columns = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
        rows = np.repeat(np.arange(count), sizes)
        coefs = np.ones(len(columns))
        if soft_weight is not None:
            first = self.num_columns
            slack_labels = [f"slack {label}" for label in labels]
            self.costs.extend([float(soft_weight)] * count)
            self.upper.extend([math.inf] * count)
            self.integral.extend([False] * count)
            self.column_labels.update(zip(range(first, first + count), slack_labels,
                                          strict=True))
            if rule:
                self.column_rules.update(dict.fromkeys(range(first, first + count), rule))
            columns = np.concatenate([columns, np.arange(first, first + count)])
            rows = np.concatenate([rows, np.arange(count)])
            coefs = np.concatenate([coefs, -np.ones(count)])
        matrix = sp.csr_matrix((coefs, (rows, columns)), shape=(count, self.num_columns))
        self.add_rows(matrix, -math.inf, np.asarray(caps, dtype=np.float64), labels, rule)

    def add_rows(self, matrix: sp.csr_matrix, lower: np.ndarray | float,
                 upper: np.ndarray | float, labels: Sequence[str], rule: str) -> None:
        """A block of rows at once: lower ≤ matrix·x ≤ upper, one label per row. The
        matrix's columns are model columns (its width may be less than the model's)."""
        matrix = sp.csr_matrix(matrix)
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        count = matrix.shape[0]
        if count == 0:
            return
        self._flush()
        keep = np.diff(matrix.indptr) > 0  # an empty row constrains nothing
        low = np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,))
        high = np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,))
        if not keep.all():
            matrix = matrix[keep]
            low, high = low[keep], high[keep]
            labels = [label for label, k in zip(labels, keep, strict=True) if k]
        self._blocks.append(_Block(matrix.indptr.astype(np.int64), matrix.indices.astype(
            np.int32), matrix.data.astype(np.float64), np.array(low), np.array(high),
            list(labels), [rule] * matrix.shape[0]))

    def _flush(self) -> None:
        if len(self._pending_ptr) == 1:
            return
        self._blocks.append(_Block(
            np.array(self._pending_ptr, dtype=np.int64),
            np.concatenate(self._pending_cols).astype(np.int32),
            np.concatenate(self._pending_coefs),
            np.array(self._pending_lower, dtype=np.float64),
            np.array(self._pending_upper, dtype=np.float64),
            self._pending_labels, self._pending_rules))
        self._pending_cols, self._pending_coefs, self._pending_ptr = [], [], [0]
        self._pending_lower, self._pending_upper = [], []
        self._pending_labels, self._pending_rules = [], []

    @property
    def num_rows(self) -> int:
        return sum(len(b.lower) for b in self._blocks) + len(self._pending_lower)

    def matrix(self) -> sp.csr_matrix:
        """All rows as one CSR matrix, num_rows × num_columns."""
        self._flush()
        width = self.num_columns
        if not self._blocks:
            return sp.csr_matrix((0, width))
        offsets, indices, data = [np.zeros(1, dtype=np.int64)], [], []
        base = 0
        for block in self._blocks:
            offsets.append(block.indptr[1:] + base)
            base += int(block.indptr[-1])
            indices.append(block.indices)
            data.append(block.data)
        return sp.csr_matrix((np.concatenate(data), np.concatenate(indices),
                              np.concatenate(offsets)), shape=(self.num_rows, width))

    def row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        self._flush()
        if not self._blocks:
            return np.zeros(0), np.zeros(0)
        return (np.concatenate([b.lower for b in self._blocks]),
                np.concatenate([b.upper for b in self._blocks]))

    def row_labels(self) -> list[str]:
        self._flush()
        return [label for b in self._blocks for label in b.labels]

    def row_rules(self) -> list[str]:
        self._flush()
        return [rule for b in self._blocks for rule in b.rules]

    @property
    def rows(self) -> list[Row]:
        """Every row as a Row (slow on big models: for explanations and tests). Built once
        per shape of the model: callers index `rows[i]` in loops."""
        shape = (self.num_rows, self.num_columns)
        cached = self.__dict__.get("_rows_cache")
        if cached is not None and cached[0] == shape:
            return cached[1]
        found = self._materialise_rows()
        self.__dict__["_rows_cache"] = (shape, found)
        return found

    def _materialise_rows(self) -> list[Row]:
        matrix = self.matrix()
        lower, upper = self.row_bounds()
        labels, rules = self.row_labels(), self.row_rules()
        found = []
        for i in range(matrix.shape[0]):
            start, end = matrix.indptr[i], matrix.indptr[i + 1]
            found.append(Row(matrix.indices[start:end].tolist(),
                             matrix.data[start:end].tolist(), float(lower[i]), float(upper[i]),
                             labels[i], rules[i]))
        return found

    # -- arrays for solvers ------------------------------------------------------------
    def cost_array(self) -> np.ndarray:
        return np.asarray(self.costs, dtype=np.float64)

    def upper_array(self) -> np.ndarray:
        return np.asarray(self.upper, dtype=np.float64)

    def integral_array(self) -> np.ndarray:
        return np.asarray(self.integral, dtype=bool)


def candidate_move(candidate: Candidate, round_name: str) -> Move:
    """The Move a candidate stands for (what the checker would see if it is chosen)."""
    from planner.plan import Move

    return Move(candidate.cadre, candidate.form, candidate.from_position, candidate.to_position,
                round_name, candidate.round_index, candidate.start, candidate.end)
