"""descent: helpers shared by the course's chapters, exercises and tools."""

from descent.hints import hint
from descent.progress import attempt, progress
from descent.selfcheck import check

__all__ = ["attempt", "check", "hint", "progress"]
