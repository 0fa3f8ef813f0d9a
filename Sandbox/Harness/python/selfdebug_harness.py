"""selfdebug's Python test harness: runs pytest-style test functions and unittest cases fast,
without pytest's start-up, and reports each test as one JSON line. Plain `assert` statements in
the test files are rewritten so a failure shows the values of both sides. It starts with `-S`
(no site-packages) and answers `import pytest` with a small built-in module when the tests use
only what it provides (raises, approx, mark.parametrize/skip/skipif/xfail, param, fail, skip,
warns, importorskip); tests that need more (fixtures, conftest.py, plugins) are run by the real
pytest, in-process, reporting the same JSON lines.

Usage: python3 -I -S -B selfdebug_harness.py RESULTS TEST_FILE..., in the workspace. The harness is
this file and its selfdebug_*.py modules beside it (one folder, written outside the workspace)."""
import io
import os
import sys
import time

sys.dont_write_bytecode = True
# `-I` leaves this folder off sys.path: the harness's modules are imported from it, then it is taken
# off again, so the code under test sees the sys.path it saw when the harness was one file (the
# workspace, then the standard library).
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import selfdebug_context as context  # noqa: E402 (after the path is set)
from selfdebug_context import emit, rel, report_collection_error  # noqa: E402
from selfdebug_fastpath import collect, install_shim, load_test_module, needs_pytest, run_case, run_function, shim_covers, trace_test  # noqa: E402
from selfdebug_outcomes import result_of  # noqa: E402
from selfdebug_realpytest import run_with_pytest  # noqa: E402
sys.path.remove(HERE)


def run_program(path):
    """Benchmark sets: the solution and its tests are one program; it passes when it runs to the
    end (or exits with status 0). Its asserts are rewritten to show both sides."""
    name = "tests"
    emit(event="start", name=name)
    buffer = io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = buffer
    started = time.monotonic()
    error = None
    try:
        load_test_module(path, int(os.environ.get("SELFDEBUG_SOLUTION_LINES", "0") or 0))
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            error = exit_
    except KeyboardInterrupt:
        raise
    except BaseException as caught:
        error = caught
    finally:
        sys.stdout, sys.stderr = saved
    event = result_of(name, error, buffer.getvalue(), started)
    if isinstance(error, SyntaxError) and error.lineno:
        # Where and what, as for a test file that does not compile (not "(program.py, line 12)"
        # inside the message, which names a file the model never wrote and shows no code).
        source = (error.text or "").rstrip("\n")
        caret = " " * max(0, (error.offset or 1) - 1 - (len(source) - len(source.lstrip()))) + "^"
        event.update(message="SyntaxError: %s" % error.msg, location="%s:%d" % (rel(error.filename or path), error.lineno),
                     details=[source.strip(), caret] if source.strip() else [], traceback=[])
    if event["outcome"] == "skipped":  # a program has no skips: it runs to its end or fails
        event.update(outcome="error", message="the program raised %s(%r): a skip is not a pass" % (type(error).__name__, str(error)))
    if isinstance(error, SystemExit):
        event.update(outcome="failed", message="the program exited with status %s" % error.code)
    emit(event="result", **event)
    emit(event="done", exit_code=0)


def main():
    program = os.environ.get("SELFDEBUG_PROGRAM")
    if program:
        if shim_covers({program: context.SOURCES[program]}):
            install_shim()
        return run_program(program)
    if context.CONFTEST:
        return run_with_pytest(context.TEST_FILES, "conftest.py present")
    if os.environ.get("SELFDEBUG_REAL_PYTEST") == "1":
        return run_with_pytest(context.TEST_FILES, "asked for")
    if not shim_covers(context.SOURCES):
        return run_with_pytest(context.TEST_FILES, "tests use pytest features beyond raises, approx, mark and param")
    install_shim()
    modules = []
    for path in context.TEST_FILES:
        try:
            modules.append(load_test_module(path))
        except BaseException as error:
            report_collection_error(path, error)
    if len(modules) < len(context.TEST_FILES):
        emit(event="done", exit_code=2)
        return
    if any(needs_pytest(module) for module in modules):
        for name in [name for name in sys.modules if name in [m.__name__ for m in modules] or name == "pytest"]:
            sys.modules.pop(name, None)
        return run_with_pytest(context.TEST_FILES, "tests use fixtures")
    tests = [test for module in modules for test in collect(module)]
    traced = os.environ.get("SELFDEBUG_TRACE")
    if traced:
        for name, spec in tests:
            if name == traced:
                text = trace_test(name, spec)
                if text:
                    emit(event="trace", test=name, text=text)
        emit(event="done", exit_code=0)
        return
    emit(event="collected", tests=[name for name, _ in tests])
    for name, spec in tests:
        emit(event="start", name=name)
        if spec[0] == "case":
            result = run_case(name, spec[1])
        else:
            _, function, kwargs, skip, xfail = spec
            if skip is not None:
                result = {"name": name, "outcome": "skipped", "message": skip, "duration": 0}
            else:
                result = run_function(name, function, kwargs)
                if xfail:
                    result = dict(result, outcome="skipped" if result["outcome"] != "passed" else "failed",
                                  message="xfail" if result["outcome"] != "passed" else "unexpectedly passed (xfail)")
        emit(event="result", **result)
    emit(event="done", exit_code=0)


if __name__ == "__main__":
    context.start(sys.argv[1], sys.argv[2:])
    sys.path.insert(0, context.WORKSPACE)
    main()
    context.RESULTS.close()
    sys.stdout.flush()
    os._exit(0)
