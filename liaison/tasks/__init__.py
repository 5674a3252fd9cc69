"""Background jobs on the database task queue (django-tasks), their schedule and the `liaison worker`
command."""
