# An offline study, not part of selfdebug: would "crash probes" catch false passes?
#
# A false pass is a version that passes a HumanEval problem's visible examples but fails its hidden
# tests. The idea studied: call the function on the examples' own arguments mutated one at a time
# (ints +1/-1/0, strings ''/first char/reversed/doubled, lists []/first item/reversed/doubled,
# bools negated) and count a version as suspect when a probe raises an exception that is not a
# deliberate `raise` in the solution, or runs over 2 s. The model is not involved; the hidden tests
# only label each version (solved or not), they give the probes nothing.
#
# Usage (from the folder the run archives were unpacked in, see ../README.md):
#   python3 crash_probes.py he-{2..6}of8-fresh/results.jsonl he-{7..8}of8/debug/results.jsonl he-{2..8}of8/resample/results.jsonl
# Needs bubblewrap (each version runs in `bwrap --unshare-all`) and ../../../shared/benchdata/humaneval.jsonl
# (or set HUMANEVAL).
import ast, json, sys, subprocess, os, collections
HUMANEVAL = os.environ.get("HUMANEVAL", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/benchdata/humaneval.jsonl"))
data = {json.loads(l)["id"]: json.loads(l) for l in open(HUMANEVAL)}

def calls(problem):
    out = []
    for line in problem['prompt'].split('\n'):
        s = line.strip()
        if s.startswith('>>> '): s = s[4:]
        if not s.startswith(problem['entry_point'] + '('): continue
        # take the balanced call
        depth = 0
        for i, ch in enumerate(s):
            if ch in '([{': depth += 1
            elif ch in ')]}':
                depth -= 1
                if depth == 0: s = s[:i+1]; break
        try:
            node = ast.parse(s, mode='eval').body
            args = [ast.literal_eval(a) for a in node.args]
            if node.keywords: continue
            out.append(args)
        except Exception:
            continue
    return out

def mutations(v):
    if isinstance(v, bool): return [not v]
    if isinstance(v, int): return [v + 1, v - 1 if v > 0 else v + 2, 0 if v != 0 else 1]
    if isinstance(v, float): return [v + 0.5, v * 2]
    if isinstance(v, str): return ['', v[:1], v[::-1], v + v]
    if isinstance(v, list): return [[], v[:1], v[::-1], v + v]
    if isinstance(v, tuple): return [v[::-1]]
    return []

def probes(problem):
    seen, out = set(), []
    examples = calls(problem)
    for args in examples:
        for i, a in enumerate(args):
            for m in mutations(a):
                p = args[:i] + [m] + args[i+1:]
                k = repr(p)
                if k in seen or p in examples: continue
                seen.add(k); out.append(p)
    return out

RUNNER = r'''
import json, sys, signal, traceback
src, entry, probes = json.loads(sys.stdin.read())
import linecache
linecache.cache["solution.py"] = (len(src), None, src.splitlines(True), "solution.py")  # so a traceback can show the raise line
ns = {"__name__": "solution"}
exec(compile(src, "solution.py", "exec"), ns)
f = ns[entry]
def alarm(*a): raise TimeoutError("probe timed out")
signal.signal(signal.SIGALRM, alarm)
res = []
for p in probes:
    signal.alarm(2)
    try:
        f(*p); res.append(None)
    except TimeoutError:
        res.append("timeout")
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)
        last = tb[-1]
        deliberate = last.line is not None and last.line.strip().startswith("raise")
        res.append(None if deliberate else type(e).__name__ + ": " + str(e)[:80])
    finally:
        signal.alarm(0)
print(json.dumps(res))
'''

def run(src, entry, ps):
    r = subprocess.run(['bwrap', '--ro-bind', '/', '/', '--unshare-all', '--tmpfs', '/tmp', '--die-with-parent', sys.executable, '-c', RUNNER],
                       input=json.dumps([src, entry, ps]), capture_output=True, text=True, timeout=120)
    try: return json.loads(r.stdout)
    except Exception: return ['runner: ' + r.stderr[-200:]]

stats = collections.Counter()
seen_versions = set()  # the strategies share their first answers: each distinct version counts once
for path in sys.argv[1:]:
    for l in open(path):
        r = json.loads(l)
        if not r.get('visible_passed') or not r.get('had_examples'): continue
        kind = 'true' if r['status'] == 'solved' else 'false'
        prob = data[r['id']]
        sol = os.path.join(r['run_dir'], 'solution', 'solution.py')
        try: src = open(sol).read()
        except Exception: stats['nosrc'] += 1; continue
        if (r['id'], src) in seen_versions: continue
        seen_versions.add((r['id'], src))
        ps = probes(prob)
        res = run(src, prob['entry_point'], ps)
        if res and str(res[0]).startswith('runner:'):
            stats[(kind, 'could not load')] += 1  # its own top-level code failed; selfdebug's harness leaves that out
            continue
        bad = [(p, x) for p, x in zip(ps, res) if x]
        stats[(kind, 'flagged' if bad else 'clean')] += 1
        if bad: print(kind, r['id'], len(ps), 'probes;', bad[0][1], repr(bad[0][0])[:60])
print(stats)
