"""rotation: a rules engine and optimiser for cadre rotation planning (Hanoi Plan 188-KH/TU)."""

__version__ = "0.1.0"
