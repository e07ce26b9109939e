"""The citizen's side of the online channel: signing in without a password (identity.py),
the citizen's session (session.py), and what is theirs (selectors.py)."""
