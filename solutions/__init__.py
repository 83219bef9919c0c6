"""Reference implementations of every numpy exercise of the course, one module per topic.

These functions are the single source of truth: the notebook builder copies their signatures and
Portuguese docstrings into the exercises and their bodies into the hidden solution blocks.
"""
