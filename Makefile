# The two entry points of the README. Both set up a fresh machine by themselves.
.PHONY: demo test lint bench

demo:
	./lhctl demo

test:
	@node_bin=$$(./scripts/setup.sh | tail -n 1); \
	export PATH="$$(dirname $$node_bin):$$PATH"; \
	npm run --silent lint && \
	npx vitest run; status=$$?; \
	LHCTL_HOME=$(CURDIR)/test/.work/home "$$node_bin" dist/cli.js engine stop >/dev/null 2>&1 || true; \
	exit $$status

lint:
	@node_bin=$$(./scripts/setup.sh | tail -n 1); export PATH="$$(dirname $$node_bin):$$PATH"; npm run --silent lint

bench:
	@node_bin=$$(./scripts/setup.sh | tail -n 1); export PATH="$$(dirname $$node_bin):$$PATH"; "$$node_bin" bench/run.mjs
