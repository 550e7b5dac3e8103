"""Moved to planner/linear.py (kept so branches that import the old path still work)."""

from planner.linear import Candidate, LinearModel, Row, candidate_move

__all__ = ["Candidate", "LinearModel", "Row", "candidate_move"]
