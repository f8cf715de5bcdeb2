# The two entry points of the README. Both set up a fresh machine by themselves.
.PHONY: demo test lint bench

SETUP = node_bin=$$(./scripts/setup.sh | tail -n 1) && export PATH="$$(dirname $$node_bin):$$PATH"
TEST_HOME = $(CURDIR)/test/.work/home

demo:
	./lhctl demo

# Lint, then every suite against one real local engine (stopped afterwards); the last line is
# the plain "tests: N passed, N failed" summary.
test:
	@$(SETUP) && \
	npm run --silent lint && \
	mkdir -p test/.work && \
	{ npx vitest run --reporter=default --reporter=json --outputFile.json=test/.work/results.json; \
	  LHCTL_HOME=$(TEST_HOME) "$$node_bin" dist/cli.js engine stop >/dev/null 2>&1 || true; \
	  "$$node_bin" scripts/test-summary.mjs test/.work/results.json; }

lint:
	@$(SETUP) && npm run --silent lint

bench:
	@$(SETUP) && ./bench/setup-python.sh && "$$node_bin" bench/run.mjs
