"""Runs selfdebug's Python harness the way PythonTestRunner does (python3 -I -S -B, in a fresh
workspace, the harness's folder outside it), without the sandbox, and reads its JSON lines.

The harness's own modules are importable from here too, for tests of single functions."""
import json
import os
import subprocess
import sys
import tempfile

# The harness's folder is inside the Swift target: a __pycache__ there would be a file SwiftPM
# does not know.
sys.dont_write_bytecode = True

HARNESS_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "Sandbox", "Harness", "python"))
HARNESS = os.path.join(HARNESS_DIR, "selfdebug_harness.py")
if HARNESS_DIR not in sys.path:
    sys.path.insert(0, HARNESS_DIR)


def _has_pytest():
    """Whether the real pytest is there for the harness (it adds site-packages itself)."""
    check = subprocess.run([sys.executable, "-I", "-c", "import pytest"], capture_output=True)
    return check.returncode == 0


HAS_PYTEST = _has_pytest()


class HarnessRun:
    """What one run of the harness wrote: its events, and its own output and exit status."""

    def __init__(self, events, output, returncode):
        self.events = events
        self.output = output
        self.returncode = returncode

    def of(self, kind):
        return [event for event in self.events if event["event"] == kind]

    @property
    def results(self):
        """The result events by test name."""
        return {event["name"]: event for event in self.of("result")}

    @property
    def outcomes(self):
        return {name: event["outcome"] for name, event in self.results.items()}

    @property
    def done(self):
        return bool(self.of("done"))


def is_test_file(path):
    name = os.path.basename(path)
    return name.startswith("test") or name.endswith("_test.py")


def run_harness(files, tests=None, pristine=None, env=None, real_pytest=False):
    """Writes `files` (relative path: text) into a fresh workspace and runs the harness on `tests`
    (default: the test files among them); `pristine` are the task's own files (default: the tests)."""
    with tempfile.TemporaryDirectory(prefix="harness-test-") as root:
        workspace = os.path.join(root, "code")
        for path, text in files.items():
            full = os.path.join(workspace, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as handle:
                handle.write(text)
        tests = tests if tests is not None else sorted(path for path in files if path.endswith(".py") and is_test_file(path))
        pristine = pristine if pristine is not None else tests
        results = os.path.join(root, "results.jsonl")
        environment = {
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONHASHSEED": "0",
            "PYTHONUNBUFFERED": "1", "SELFDEBUG_PRISTINE": "\n".join(sorted(pristine)),
        }
        if real_pytest:
            environment["SELFDEBUG_REAL_PYTEST"] = "1"
        environment.update(env or {})
        # The timeout only keeps a broken harness from hanging the suite; runs end by themselves.
        process = subprocess.run([sys.executable, "-I", "-S", "-B", HARNESS, results] + tests, cwd=workspace,
                                 env=environment, capture_output=True, text=True, timeout=120)
        with open(results, encoding="utf-8") as handle:
            events = [json.loads(line) for line in handle if line.strip()]
        return HarnessRun(events, process.stdout + process.stderr, process.returncode)


def run_program(program, solution_lines):
    """Program mode: `program` is the solution (its first `solution_lines` lines) and its tests."""
    return run_harness({"program.py": program}, tests=["program.py"],
                       env={"SELFDEBUG_PROGRAM": "program.py", "SELFDEBUG_SOLUTION_LINES": str(solution_lines)})
