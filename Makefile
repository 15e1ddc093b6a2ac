.PHONY: demo test

# Install everything, load the demo county and serve it (gunicorn + task worker).
demo:
	scripts/demo.sh

# Install everything and run the whole suite (ruff, mypy, migrations, SQLite, PostgreSQL).
test:
	scripts/test.sh
