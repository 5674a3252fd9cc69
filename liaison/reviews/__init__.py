"""Access reviews (recertification): campaigns in which each manager confirms or revokes, for each of their people,
clearance, compartments and roles; the signed result of each closed campaign is kept in the audit log."""
