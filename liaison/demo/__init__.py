"""The fictitious demo office: every app's demo part loaded through the same services as real data, and the
`liaison demo-data` command."""
