"""The single access and release policy of Liaison: markings, the read rule and the release rule.

Every list, detail, search, export, API and notification path asks this package, and nothing else, what a user
may see (`visible_to`, `can_read`) or what may leave for a partner (`release_check`).
"""
