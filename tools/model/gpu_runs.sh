#!/usr/bin/env bash
# Trains several candidate models at once on a lent GPU machine and packs each one's best
# checkpoint (by everyday dev chrF) as float16 shards into $OUT. Run from the repository root
# there, with tools/gpu-data/data.tar.xz carried (see tools/README.md, "On a GPU machine").
#
#   bash tools/model/gpu_runs.sh MINUTES
#
# A run that is stopped by the wall-clock guard still returns its last best checkpoint.
set -u
minutes=${1:-6}
out=${OUT:-tools/gpu-out}
mkdir -p "$out" tools/runs tools/data
tar -xJf tools/gpu-data/data.tar.xz -C tools/data --no-same-owner || exit 1
python3 tools/model/recover.py > tools/runs/recover.log 2>&1 || { cat tools/runs/recover.log; exit 1; }
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader

common=(--device cuda --threads 2 --minutes "$minutes" --ckpt-minutes 1 --watch test/fixtures/everyday-en-es.dev.json)
guard=$(( ${minutes%.*} * 60 + 150 ))  # data loading and checkpoints on top of the step budget
train() {  # name, then train.py flags
  local name=$1; shift
  timeout "$guard" python3 tools/model/train.py --run "tools/runs/$name" "${common[@]}" "$@" \
    > "tools/runs/$name.log" 2>&1
}
train ft12 --init tools/runs/recovered/recovered.pt --extra tools/data/synthetic:25 \
  --extra tools/data/phrasebook:150 --lr 2e-4 --warmup 100 --batch-tokens 12000 &
train e8d3 --encoder-layers 8 --decoder-layers 3 --extra tools/data/synthetic:6 \
  --extra tools/data/phrasebook:40 --lr 8e-4 --warmup 800 --batch-tokens 24000 &
train e6d4 --encoder-layers 6 --decoder-layers 4 --extra tools/data/synthetic:12 \
  --extra tools/data/phrasebook:80 --lr 8e-4 --warmup 800 --batch-tokens 24000 --seed 1 &
wait
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader

for name in ft12 e8d3 e6d4; do
  grep -E "checkpoint|done|extra|data:|Error|error" "tools/runs/$name.log" | sed "s/^/$name /"
  tail -n 3 "tools/runs/$name.log" | sed "s/^/$name tail /"
  best=tools/runs/$name/best.pt
  [ -f "$best" ] && python3 tools/model/shards.py pack "$best" "$out" "$name" --max-mb 16.5
done
tar -czf "$out/logs.tgz" tools/runs/*.log
