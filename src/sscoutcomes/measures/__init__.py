"""Measures: one organ or instrument per module (numpy kernels and attrs objects).

Modules here import nothing from the layers above them (indices, cohort, analysis).
"""
