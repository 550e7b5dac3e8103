"""`python -m planner` runs the same CLI as the `rotation` console script."""

from planner.cli import main

main()
