#!/bin/bash
# sbatch slurm-array.sh; then: selfdebug bench merge results/shard-*
#SBATCH --job-name=selfdebug-humaneval
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
selfdebug bench humaneval.jsonl --shard auto/4 --jobs 2 --max-iterations 3 --out "results/shard-${SLURM_ARRAY_TASK_ID}"
