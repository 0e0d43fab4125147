"""Use cases over the database. Handlers call these; these never see HTTP."""
