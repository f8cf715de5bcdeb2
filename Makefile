# The two entry points of the README. Both set up a fresh machine by themselves.
.PHONY: demo test lint bench

SETUP = node_bin=$$(./scripts/setup.sh | tail -n 1) && export PATH="$$(dirname $$node_bin):$$PATH"

demo:
	./lhctl demo

# Lint, then every suite against real local engines (two groups side by side, each with its own engine,
# stopped afterwards); the last line is the plain "tests: N passed, N failed" summary.
test:
	@$(SETUP) && \
	npm run --silent lint && \
	"$$node_bin" scripts/run-tests.mjs

lint:
	@$(SETUP) && npm run --silent lint

bench:
	@$(SETUP) && ./bench/setup-python.sh && "$$node_bin" bench/run.mjs
