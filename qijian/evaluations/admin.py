"""Django admin for the evaluations app's reference data (questionnaires are edited through services)."""
