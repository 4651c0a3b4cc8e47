"""descent: helpers shared by the course's chapters, exercises and tools."""

from descent.selfcheck import check

__all__ = ["check"]
