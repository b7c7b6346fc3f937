#!/usr/bin/env bash
# The bad-input corpus (tests/data/bad-input): every malformed config, env
# combination and command line fails with its CNI code and a message naming
# the field, exits non-zero, and changes no state (links, addresses, routes,
# /run/netns, the state dir, the nft ruleset).
set -euo pipefail
source "$NSNET_SRC/tests/lib.sh"
count=$(find "$NSNET_SRC/tests/data/bad-input" -name '*.json' | wc -l)
[ "$count" -ge 60 ] || fail "the bad-input corpus has only $count cases (at least 60)"
"$PY" "$NSNET_SRC/tests/tools/bad_input.py" "$NSNET" "$NSNET_SRC/tests/data/bad-input"
