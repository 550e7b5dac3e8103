"""The rule kinds, registered in one explicit ordered list (DESIGN §2.4 order)."""

from __future__ import annotations

from planner.kinds.adaptation import Adaptation
from planner.kinds.appointment import Appointment
from planner.kinds.base import RuleKind, Violation
from planner.kinds.eligibility import Eligibility
from planner.kinds.equivalence import Equivalence
from planner.kinds.exemption import Exemption
from planner.kinds.existence import Existence
from planner.kinds.freeze import Freeze
from planner.kinds.min_tenure import MinTenure
from planner.kinds.move_graph import MoveGraph
from planner.kinds.non_local import NonLocal
from planner.kinds.qualification import Qualification
from planner.kinds.quota import Quota
from planner.kinds.relatives import Relatives
from planner.kinds.secondment_max import SecondmentMax
from planner.kinds.skill_demand import SkillDemand
from planner.kinds.tenure_limit import TenureLimit
from planner.kinds.vacancy import Vacancy

# registry-imports (helpers add their kinds' imports above this line)

KINDS: tuple[RuleKind, ...] = (
    TenureLimit(),
    MinTenure(),
    MoveGraph(),
    Eligibility(),
    Exemption(),
    Adaptation(),
    Relatives(),
    NonLocal(),
    Quota(),
    SkillDemand(),
    SecondmentMax(),
    Freeze(),
    Vacancy(),
    Existence(),
    Equivalence(),
    Appointment(),
    Qualification(),
)

KIND_BY_NAME: dict[str, RuleKind] = {kind.name: kind for kind in KINDS}

__all__ = ["KINDS", "KIND_BY_NAME", "RuleKind", "Violation"]
