"""Errors of the working-time engine (messages in Vietnamese, shown to users as they are)."""


class WorkingTimeError(ValueError):
    """Invalid input to the working-time engine."""


class OutOfRange(WorkingTimeError):
    """A date outside the years the calendar supports."""


class ExtensionError(WorkingTimeError):
    """The due date cannot be extended (already extended once, or not to a later moment)."""
