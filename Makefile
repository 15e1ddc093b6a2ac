.PHONY: demo test

# Install everything, build the demo county on SQLite and serve it (gunicorn + whitenoise + task worker).
demo:
	bash scripts/demo.sh

# Install everything and run every check: ruff, mypy, makemigrations --check, the suite on SQLite and PostgreSQL.
# Extra pytest arguments: make test ARGS="tests/core -x"
test:
	bash scripts/test.sh $(ARGS)
