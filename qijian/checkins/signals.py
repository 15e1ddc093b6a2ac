"""Signals of the check-in app, for apps that build on it without the check-in app knowing them.

``checked_out`` is sent by ``services.check_out`` inside its transaction, after the result is saved
and audited (kwargs: ``checkin``, ``actor``). A receiver that raises rolls the check-out back, so a
receiver must only raise for a real fault.
"""

from django.dispatch import Signal

checked_out = Signal()
