#!/usr/bin/env bash
# Hostile-input probe of the command line (issue 31): each probe runs one command and checks its exit status and
# that its error, if any, is one line without a stack trace. Prints one line per probe and a total.
#   docs/results/reliability/probe.sh > docs/results/reliability/probe.txt
set -u
cd "$(dirname "$0")/../../.."
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
A=./dl4j-async
pass=0; fail=0
probe() { # expected-status description -- command...
  local want=$1 what=$2; shift 3
  local out err code
  out=$("$@" 2>"$T/err"); code=$?
  local lines; lines=$(grep -c . "$T/err")
  local trace; trace=$(grep -c -E '^\s+at |Exception in thread' "$T/err")
  if [ "$code" = "$want" ] && { [ "$want" = 0 ] || [ "$lines" -le 1 ]; } && [ "$trace" = 0 ]; then
    pass=$((pass+1)); echo "held  [$code] $what"
  else
    fail=$((fail+1)); echo "FAIL  [$code, $lines stderr lines, $trace trace lines] $what: $(head -c 300 "$T/err")"
  fi
}
S="--max-steps 20 --quiet"
touch "$T/file"; mkdir -p "$T/ro"
probe 2 "checkpoint dir is a regular file" -- $A train $S --checkpoint-dir "$T/file"
probe 2 "checkpoint dir under a regular file" -- $A train $S --checkpoint-dir "$T/file/sub"
probe 2 "checkpoint dir on a read-only file system (/proc)" -- $A train $S --checkpoint-dir /proc/ckpt
probe 2 "--json in a missing directory" -- $A train $S --json "$T/none/r.json"
probe 2 "--json is a directory" -- $A train $S --json "$T"
probe 2 "--csv on /proc" -- $A train $S --csv /proc/r.csv
probe 2 "simulate --json in a missing directory" -- $A simulate --workers 4 --max-steps 10 --quiet --json "$T/none/r.json"
probe 2 "compare --out is a file" -- $A compare --suite suites/fashion-quick.yaml --out "$T/file"
probe 2 "--workers 100000 on threads" -- $A train $S --workers 100000
probe 2 "--time-limit NaN" -- $A train $S --time-limit NaN
probe 2 "--time-limit -1" -- $A train $S --time-limit -1
probe 2 "--interval-y with async" -- $A train $S --algorithm async --interval-y 16
probe 2 "--interval-y auto with kasync" -- $A train $S --algorithm kasync --interval-y auto
probe 2 "--persistence with hogwild" -- $A train $S --store hogwild --persistence 2
probe 2 "--elastic-dp without elastic" -- $A train $S --elastic-dp 4
probe 2 "--lr 0" -- $A train $S --lr 0
probe 2 "--batch -1" -- $A train $S --batch -1
probe 2 "--model unknown" -- $A train $S --model vgg
probe 2 "--resume from a missing directory" -- $A train $S --resume "$T/none"
printf 'seeds: [1]\nconfigurations:\n  a: {algorithm: async}\n  a: {algorithm: sync}\n' > "$T/dup.yaml"
probe 2 "a suite with two configurations of one name" -- $A compare --suite "$T/dup.yaml" --out "$T/o1"
printf 'seeds: [1]\nconfigurations:\n  a: {algorithm: async\n  - broken\n' > "$T/bad.yaml"
probe 2 "a suite that is not YAML" -- $A compare --suite "$T/bad.yaml" --out "$T/o2"
F="$T/fm"; mkdir -p "$F"
python3 - "$F" <<'PY'
import struct, sys, os
d = sys.argv[1]
def images(n, r, c): return struct.pack('>iiii', 0x803, n, r, c) + bytes(n * r * c)
def labels(vals): return struct.pack('>ii', 0x801, len(vals)) + bytes(vals)
def write(name, tri, trl, tei, tel):
    os.makedirs(os.path.join(d, name), exist_ok=True)
    for f, b in (('train-images-idx3-ubyte', tri), ('train-labels-idx1-ubyte', trl), ('t10k-images-idx3-ubyte', tei), ('t10k-labels-idx1-ubyte', tel)):
        open(os.path.join(d, name, f), 'wb').write(b)
write('mismatch', images(20, 28, 28), labels([1] * 19), images(5, 28, 28), labels([1] * 5))
write('label200', images(20, 28, 28), labels([200] * 20), images(5, 28, 28), labels([1] * 5))
write('huge', struct.pack('>iiii', 0x803, 2**31 - 1, 1, 1), labels([1] * 20), images(5, 28, 28), labels([1] * 5))
write('zero', images(0, 28, 28), labels([]), images(5, 28, 28), labels([1] * 5))
write('small-test', images(20, 28, 28), labels([1] * 20), images(5, 10, 10), labels([1] * 5))
write('empty', b'', labels([1] * 20), images(5, 28, 28), labels([1] * 5))
PY
for c in mismatch label200 huge zero small-test empty; do
  probe 2 "Fashion-MNIST IDX: $c" -- $A train $S --dataset fashion-mnist --data-dir "$F/$c"
done
probe 0 "a normal run still runs" -- $A train $S
# Nothing lost: a run killed (-9) or signalled (TERM, INT) mid-training resumes to exactly the asked steps.
resumed() { # signal exit: kills a checkpointing train run after its first checkpoint, resumes, checks the count
  local sig=$1 exit=$2 d="$T/ck-$1" want=600 code steps
  # job control on: a background job of a script otherwise starts with SIGINT ignored
  set -m
  $A train --max-steps $want --quiet --checkpoint-dir "$d" --checkpoint-every 50 > /dev/null 2> "$T/err-$sig" &
  local pid=$!
  set +m
  for _ in $(seq 1 600); do ls "$d"/*.zip > /dev/null 2>&1 && break; sleep 0.1; done
  # the launcher execs java: $pid is the JVM
  kill -"$sig" "$pid"; wait "$pid"; code=$?
  $A train --max-steps $want --quiet --checkpoint-dir "$d" --resume "$d" --json "$T/r-$sig.json" 2>> "$T/err-$sig" \
    || { echo "resume failed"; return 1; }
  steps=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['steps_accepted'])" "$T/r-$sig.json")
  echo "killed with exit $code, resumed to $steps of $want accepted steps"
  [ "$code" = "$exit" ] && [ "$steps" = "$want" ]
}
for sig_exit in KILL:137 TERM:143 INT:130; do
  sig=${sig_exit%:*}
  if out=$(resumed $sig ${sig_exit#*:}); then pass=$((pass+1)); echo "held  [$sig] $out"
  else fail=$((fail+1)); echo "FAIL  [$sig] $out: $(head -c 300 "$T/err-$sig")"; fi
done
probe 2 "100,000 virtual workers of the default model (off-heap limit)" -- $A simulate --workers 100000 --max-steps 10 --quiet
probe 0 "100,000 virtual workers without a model (the launcher's 4 GB heap)" -- $A simulate --model none --workers 100000 --max-steps 300000 --quiet
echo "probes: $((pass+fail)), held: $pass, failed: $fail"
