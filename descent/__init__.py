"""descent: helpers shared by the course's chapters, exercises and tools."""

from descent.attempts import attempt, progress
from descent.hints import hint
from descent.selfcheck import check

__all__ = ["attempt", "check", "hint", "progress"]
