"""The agenda: day, week and month views of exchanges, receptions and deadlines in the user's time zone, and
the personal iCalendar feed behind a revocable token."""
