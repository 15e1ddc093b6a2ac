class JointError(ValueError):
    """A joint-visit action that is not allowed; the message is for the user (Chinese)."""
