"""Infrastructure: database engines and units of work, migrations, secrets, shipped files."""
