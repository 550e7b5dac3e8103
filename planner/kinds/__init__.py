"""The rule kinds, registered in one explicit ordered list (DESIGN §2.4 order)."""

from __future__ import annotations

from planner.kinds.base import RuleKind, Violation
from planner.kinds.exemption import Exemption
from planner.kinds.move_graph import MoveGraph
from planner.kinds.tenure_limit import TenureLimit

# registry-imports (helpers add their kinds' imports above this line)

KINDS: tuple[RuleKind, ...] = (
    TenureLimit(),
    # registry: min_tenure
    MoveGraph(),
    # registry: eligibility
    Exemption(),
    # registry: adaptation, relatives, non_local, quota
    # registry: skill_demand, secondment_max, freeze, vacancy
)

KIND_BY_NAME: dict[str, RuleKind] = {kind.name: kind for kind in KINDS}

__all__ = ["KINDS", "KIND_BY_NAME", "RuleKind", "Violation"]
