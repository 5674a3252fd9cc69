# The two commands of the README. Both do all of their own set-up (see bootstrap.py).
PYTHON ?= python3.11

.PHONY: run test setup
run:
	$(PYTHON) bootstrap.py run
test:
	$(PYTHON) bootstrap.py test
setup:
	$(PYTHON) bootstrap.py setup
