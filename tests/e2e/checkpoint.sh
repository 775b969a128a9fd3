#!/usr/bin/env bash
# checkpoint.sh -- a long run saved as it goes and continued later: the
# continued run is the run that never stopped, byte for byte; a checkpoint
# of another scenario, seed or generator is refused; a checkpoint is never
# written over an input or an output.
#
#   tests/e2e/checkpoint.sh path/to/sibsim
# shellcheck disable=SC2016,SC2034 # checks are code in single quotes, run by check()
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pb=$root/scenarios/peterborough.json
# The report without its run time (the one number that may differ).
norun() { sed 's/"seconds": [0-9.e+-]*, //' "$work/out"; }

sib run -n 20000 -q --format json
norun >"$work/whole.json"

sib run -n 10000 -q --format json --checkpoint "$work/ck" --checkpoint-every 4096
check "run --checkpoint writes the checkpoint and reports as a plain run" \
    'exits 0 && [ -s "$work/ck" ] && head -c 8 "$work/ck" | grep -q SIBCKPT2'
norun >"$work/part.json"
sib run -n 10000 -q --format json
norun >"$work/plain.json"
check "a run with checkpoints is the run without them" 'cmp -s "$work/part.json" "$work/plain.json"'

sib run -n 20000 -q --format json --resume "$work/ck"
norun >"$work/resumed.json"
check "a run continued from its checkpoint is the run that never stopped (20,000 paths)" \
    'exits 0 && cmp -s "$work/whole.json" "$work/resumed.json"'

sib run -n 20000 -q --format json --resume "$work/ck" --threads 1
norun >"$work/resumed1.json"
check "on any number of threads" \
    'sed "s/\"threads\": [0-9]*/T/" "$work/whole.json" >"$work/a" &&
     sed "s/\"threads\": [0-9]*/T/" "$work/resumed1.json" >"$work/b" && cmp -s "$work/a" "$work/b"'

sib run -n 20000 -q --resume "$work/ck" --seed 7
check "a checkpoint of another seed is refused (exit 2), saying why" \
    'exits 2 && err_has "cannot resume from it: a run with another seed"'
seed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["simulation"]["seed"])' "$pb")
check "... and says which seed it holds and which this run has" \
    'err_has "seed $seed" && err_has "seed 7"'
sib run "$root/scenarios/rikers-island.json" -n 20000 -q --resume "$work/ck"
check "a checkpoint of another scenario is refused (exit 2)" \
    'exits 2 && err_has "a run of another scenario"'
# The scenario hash as the provenance writes it: FNV-1a 64 of the file's text.
fnv() {
    python3 -c 'import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], "rb").read():
    h = ((h ^ b) * 0x100000001b3) % 2**64
print("fnv1a64:%016x" % h)' "$1"
}
check "... naming the scenario hash it holds and this run's" \
    'err_has "$(fnv "$pb")" && err_has "$(fnv "$root/scenarios/rikers-island.json")"'
cp "$work/ck" "$work/long"
printf 'x' >>"$work/long"
sib run -n 20000 -q --resume "$work/long"
check "a checkpoint with bytes after its end is refused as damaged, not as cut short" \
    'exits 2 && err_has "cannot resume from it" && ! err_has "cut short"'
head -c 1000 "$work/ck" >"$work/short"
sib run -n 20000 -q --resume "$work/short"
check "a checkpoint cut short is refused, saying so" 'exits 2 && err_has "cut short"'
printf 'SIBCKPT1 and then nothing' >"$work/bad"
sib run -n 20000 -q --resume "$work/bad"
check "a damaged checkpoint is refused (exit 2)" 'exits 2 && err_has "cannot resume from it"'
sib run -n 20000 -q --resume "$work/no-such-file"
check "a missing checkpoint is bad input naming the file (exit 2)" 'exits 2 && err_has "no-such-file"'

cp "$pb" "$work/pb.json"
sib run "$work/pb.json" -n 2048 -q --checkpoint "$work/pb.json"
check "a checkpoint over the scenario is refused before anything runs" \
    'exits 2 && err_has "is an input" && cmp -s "$pb" "$work/pb.json"'
printf 'notes the user keeps\n' >"$work/notes.txt"
cp "$work/notes.txt" "$work/notes.kept"
sib run -n 2048 -q -o /dev/null --checkpoint "$work/notes.txt"
check "a checkpoint is never written over a file that is not one, saying so" \
    '! exits 0 && err_has "not a sibsim checkpoint" && cmp -s "$work/notes.txt" "$work/notes.kept"'
: >"$work/empty.ck"
sib run -n 2048 -q -o /dev/null --checkpoint "$work/empty.ck"
check "... but an empty file is (made beforehand, say by mktemp)" \
    'exits 0 && head -c 8 "$work/empty.ck" | grep -q SIBCKPT2'
sib run -n 2048 -q --checkpoint "$work/x" --out "$work/x"
check "a checkpoint over the report is refused" 'exits 2 && err_has "also an output"'
sib run -n 2048 -q --checkpoint "$work/z" --out "$work/./z"
check "... also when neither exists yet and they are named differently" \
    'exits 2 && err_has "also an output" && [ ! -e "$work/z" ]'
cp "$work/ck" "$work/ck.kept"
sib run -n 4096 -q --resume "$work/ck" -o "$work/ck"
check "a report over the checkpoint it resumes from is refused, the checkpoint whole" \
    'exits 2 && err_has "is an input" && cmp -s "$work/ck" "$work/ck.kept"'
sib run -n 2048 -q --resume "$work/ck" --paths-out "$work/p.csv"
check "--paths-out with --resume is refused: the earlier futures are not simulated again" \
    'exits 2 && err_has "cannot be written"'
sib run -n 2048 -q --checkpoint-every 1000 --checkpoint "$work/y"
check "--checkpoint-every takes whole blocks of 1,024 paths" 'exits 2 && err_has "whole number of blocks"'
# A run cannot be shortened: the checkpoint ck holds 9,216 futures (saved at 4,096, 8,192
# and the last whole block of 10,000), so --paths must be at least that.
for f in json csv table; do
    sib run -n 100 -q --format "$f" --resume "$work/ck"
    check "--resume with fewer --paths than the checkpoint holds is refused ($f), saying both" \
        'exits 2 && out_empty && err_has "holds 9,216 futures" &&
         err_has "--paths must be at least 9,216"'
done
sib run -n 9216 -q --format json --resume "$work/ck"
check "--resume to exactly the futures saved reports that many, in the provenance too" \
    'exits 0 && out_has "\"paths\": 9216, \"generator\"" && out_has "\"run\": {\"paths\": 9216,"'
sed 's/"paths": 100000/"paths": 1000/' "$pb" >"$work/small.json"
sib run "$work/small.json" -n 3000 -q -o /dev/null --checkpoint "$work/cks"
sib run "$work/small.json" -q --format json --resume "$work/cks"
check "without --paths, the scenario's simulation.paths below the checkpoint is refused too" \
    'exits 2 && out_empty && err_has "holds 2,048 futures" && err_has "simulation.paths (1,000)" &&
     err_has "--paths must be at least 2,048"'
sib compare "$pb" "$pb" -n 6000 -q --format json --checkpoint "$work/ckc" --checkpoint-every 2048
sib compare "$pb" "$pb" -n 12000 -q --format json --resume "$work/ckc"
norun >"$work/c1.json"
sib compare "$pb" "$pb" -n 12000 -q --format json
norun >"$work/c2.json"
check "a comparison continued from its checkpoint is the one that never stopped" \
    'cmp -s "$work/c1.json" "$work/c2.json"'
sib compare "$pb" "$pb" -n 100 -q --format json --resume "$work/ckc"
check "compare --resume with fewer --paths than the checkpoint holds is refused" \
    'exits 2 && out_empty && err_has "holds 5,120 futures" && err_has "--paths must be at least 5,120"'

# A case is another run of the same file: its checkpoint is not the file's.
sib run -n 4096 -q -o /dev/null --case "no effect" --checkpoint "$work/ckcase"
sib run -n 8192 -q --format json --resume "$work/ckcase"
check "a checkpoint of a case is refused for the scenario as written (exit 2), naming both" \
    'exits 2 && out_empty && err_has "a run of another case" && err_has "case \"no effect\"" &&
     err_has "the scenario as written"'
sib run -n 8192 -q --format json --resume "$work/ckcase" --case "no effect"
norun >"$work/case1.json"
sib run -n 8192 -q --format json --case "no effect"
norun >"$work/case2.json"
check "... and continues the run of that case, which it is, byte for byte" \
    'cmp -s "$work/case1.json" "$work/case2.json"'
sib compare "$pb" --case "no effect" -n 4096 -q -o /dev/null --checkpoint "$work/ckcc"
sib compare "$pb" --case "no effect" --case "no effect" -n 8192 -q --resume "$work/ckcc"
check "a comparison's checkpoint is refused for a comparison of other cases" \
    'exits 2 && err_has "a run of another case: the checkpoint ran as A the scenario as written"'
sib run -n 500 -q -o /dev/null --checkpoint "$work/cktiny"
check "a run shorter than a block says its checkpoint is not written" \
    'exits 0 && err_has "nothing saved" && err_has "blocks of 1,024 futures" && [ ! -e "$work/cktiny" ]'
# A checkpoint of the first format (SIBCKPT1, before cases were kept: no
# case names in its header) is still a run of the scenario as written.
python3 -c 'import sys
b = open(sys.argv[1], "rb").read()
assert b[:8] == b"SIBCKPT2" and b[64:80] == bytes(16)
open(sys.argv[2], "wb").write(b"SIBCKPT1" + b[8:64] + b[80:])' "$work/ck" "$work/ck1"
sib run -n 20000 -q --format json --resume "$work/ck1"
norun >"$work/resumed-v1.json"
check "a checkpoint of the first format (SIBCKPT1) still continues its run" \
    'exits 0 && cmp -s "$work/whole.json" "$work/resumed-v1.json"'
sib run -n 20000 -q --resume "$work/ck1" --case "no effect"
check "... and is refused for a case" 'exits 2 && err_has "a run of another case"'

# A checkpoint is never replaced by a run that does not continue it: a run
# started again without --resume (the option forgotten after a stop) would
# write over the futures saved at its first save.
sib run -n 4096 -q -o /dev/null --checkpoint "$work/ckf"
cp "$work/ckf" "$work/ckf.kept"
sib run -n 8192 -q -o /dev/null --checkpoint "$work/ckf"
check "a run that would replace its own checkpoint without --resume is refused before it runs" \
    'exits 2 && err_has "already holds 4,096 futures of this run" &&
     err_has "--resume $work/ckf --checkpoint $work/ckf" && cmp -s "$work/ckf" "$work/ckf.kept"'
sib run -n 8192 -q -o /dev/null --checkpoint "$work/ckf" --seed 7
check "... and one that would replace another run's checkpoint, saying whose it is" \
    'exits 2 && err_has "a checkpoint this run cannot continue" && err_has "another seed" &&
     cmp -s "$work/ckf" "$work/ckf.kept"'
head -c 1000 "$work/ckf.kept" >"$work/ckcut"
cp "$work/ckcut" "$work/ckcut.kept"
sib run -n 8192 -q -o /dev/null --checkpoint "$work/ckcut"
check "... and one that would replace a checkpoint cut short, saying so" \
    'exits 2 && err_has "cut short" && cmp -s "$work/ckcut" "$work/ckcut.kept"'
cp "$work/ckf" "$work/ckg"
sib run -n 8192 -q -o /dev/null --resume "$work/ckf" --checkpoint "$work/ckg"
check "... and one that continues another file into a checkpoint it would replace" \
    'exits 2 && err_has "--checkpoint $work/ckg" && cmp -s "$work/ckg" "$work/ckf.kept"'
sib run -n 8192 -q --format json --resume "$work/ckf" --checkpoint "$work/ckf"
norun >"$work/f1.json"
sib run -n 8192 -q --format json
norun >"$work/f2.json"
check "continued into its own file, the run goes on saving, and is the run that never stopped" \
    'cmp -s "$work/f1.json" "$work/f2.json" && ! cmp -s "$work/ckf" "$work/ckf.kept"'
sib run -n 8192 -q --format json --resume "$work/ckf"
check "... its checkpoint now holding the futures of the longer run" \
    'exits 0 && out_has "\"paths\": 8192, \"generator\""'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
