"""Follow-ups (suivis): tasks and requests for information to and from partners and services, with owners,
deadlines, acknowledgements, estimates and history."""
