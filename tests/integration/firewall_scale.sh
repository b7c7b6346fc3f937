#!/usr/bin/env bash
# The rule count does not grow with attachments: the same with 1 and with 100
# (only elements grow), and removing them all leaves none of theirs. Prints
# the time of the 1st and the 100th add (measured here, asserted nowhere).
set -euo pipefail
source "$NSNET_SRC/tests/nat_lib.sh"
make_bridge

rec() {  # a container record with one published port, no netns needed
  local n=$1
  echo "{\"network\":\"nsnet\",\"containerId\":\"c$n\",\"ifname\":\"eth0\",\"bridge\":\"nsnet0\",\"addresses\":[\"10.0.$((n / 250)).$((n % 250 + 2))/16\"],\"portMappings\":[{\"hostPort\":$((20000 + n)),\"containerPort\":25}]}"
}
count() { "$FWDRIVER" status | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

t0=$(date +%s%N); "$FWDRIVER" add "$(rec 1)"; t1=$(date +%s%N)
rules_1=$(count rules)
for n in $(seq 2 99); do "$FWDRIVER" add "$(rec "$n")"; done
t2=$(date +%s%N); "$FWDRIVER" add "$(rec 100)"; t3=$(date +%s%N)
rules_100=$(count rules)
elements_100=$(count elements)
echo "rules: $rules_1 with 1 attachment, $rules_100 with 100; elements with 100: $elements_100"
echo "add #1: $(( (t1 - t0) / 1000000 )) ms, add #100: $(( (t3 - t2) / 1000000 )) ms"
[ "$rules_1" = "$rules_100" ] || fail "rule count grew from $rules_1 to $rules_100"
[ "$elements_100" -ge 200 ] || fail "expected at least 200 elements, got $elements_100"

for n in $(seq 1 100); do "$FWDRIVER" remove "$(rec "$n")"; done
owners=$("$FWDRIVER" status)
[[ "$owners" != *"nsnet/c"* ]] || fail "attachment elements left: $owners"
echo ok
