"""Pages that gather several apps: My day (each role's home) and the watchtower."""
