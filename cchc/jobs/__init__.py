"""Background jobs and schedules (huey): long imports, exports and reports run in a worker with
their progress kept in a `Job` row that pages poll; reminders and recomputes run on a schedule.

Apps above register the kinds of job they run (`registry.register`) from their `AppConfig.ready()`;
this app knows none of them (docs/decisions.md, "Background jobs and schedules")."""
