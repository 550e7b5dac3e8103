"""The planner's optimisation: candidates, a linear model, and its solution by HiGHS.

Solver types (highspy, OR-Tools) never leave this package: results come back as a Plan.
"""
