"""The fast path: loads the test files with their asserts rewritten, collects pytest-style test
functions (parametrize, skip, skipif, xfail) and unittest cases, and runs each one, without
pytest's start-up; `import pytest` is answered by the built-in module when it covers the tests."""
import _ast as ast  # the C module: the `ast` package would add ~5 ms of imports
import io
import os
import sys
import time
import types

import selfdebug_context as context
from selfdebug_asserts import AssertRewriter, assertion_failed, parse, walk, without_solution_statements
from selfdebug_outcomes import guarded, result_of
from selfdebug_context import emit, rel, short_repr


SHIM_NAMES = {"raises", "approx", "mark", "param", "fail", "skip", "importorskip", "warns"}
SHIM_MARKS = {"parametrize", "skip", "skipif", "xfail"}


def shim_covers(sources):
    """Whether every use of pytest in the test sources is something the built-in module provides."""
    for path, source in sources.items():
        try:
            tree = parse(source)
        except SyntaxError:
            return False
        aliases = set()
        for node in walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "pytest":
                        aliases.add(alias.asname or "pytest")
                    elif alias.name.startswith("pytest.") or alias.name.startswith("_pytest"):
                        return False
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("pytest", "_pytest"):
                if node.module != "pytest" or any(alias.name not in SHIM_NAMES for alias in node.names):
                    return False
        for node in walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                if node.attr not in SHIM_NAMES:
                    return False
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "mark"
                    and isinstance(node.value.value, ast.Name) and node.value.value.id in aliases and node.attr not in SHIM_MARKS):
                return False
            if isinstance(node, ast.Name) and node.id in aliases and not isinstance(getattr(node, "ctx", None), ast.Load):
                return False
    return True


def install_shim():
    module = types.ModuleType("pytest")
    module.__file__ = "<selfdebug pytest shim>"
    with open(os.path.join(context.HARNESS_DIR, "selfdebug_pytest_shim.py"), encoding="utf-8") as handle:
        source = handle.read()
    exec(compile(source, "<selfdebug pytest shim>", "exec"), module.__dict__)
    sys.modules["pytest"] = module
    context.SHIM = module


def load_test_module(path, solution_lines=0):
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(1, directory)
    name = os.path.splitext(os.path.basename(path))[0]
    source = context.SOURCES[path]
    tree = parse(source, path)
    # The solution's own top-level code is cut before the asserts are rewritten: a rewritten assert
    # becomes assignments (its operands) and a check, and the assignments would stay (and run).
    if solution_lines:
        dropped = without_solution_statements(tree, solution_lines)
        if dropped:
            emit(event="left_out", lines=["%d-%d" % span if span[0] != span[1] else "%d" % span[0] for span in dropped])
    tree = AssertRewriter(source).visit(tree)
    module = types.ModuleType(name)
    module.__file__ = os.path.abspath(path)
    module.__dict__["__sd_assertion_failed"] = assertion_failed
    sys.modules[name] = module
    exec(compile(tree, os.path.abspath(path), "exec"), module.__dict__)
    return module


def marks(function):
    return getattr(function, "pytestmark", []) or []


def required_arguments(function):
    """Arguments without defaults: pytest fills these from fixtures (or parametrize)."""
    code = function.__code__
    positional = code.co_varnames[:code.co_argcount]
    defaults = len(function.__defaults__ or ())
    keyword = code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]
    return set(positional[:len(positional) - defaults]) | (set(keyword) - set(function.__kwdefaults__ or {}))


def needs_pytest(module):
    """Whether a test takes arguments that parametrize does not provide (fixtures)."""
    for name, value in vars(module).items():
        if name.startswith("test") and isinstance(value, types.FunctionType):
            provided = set()
            for mark in marks(value):
                if getattr(mark, "name", "") == "parametrize" and mark.args:
                    names = mark.args[0]
                    provided.update(n.strip() for n in (names.split(",") if isinstance(names, str) else names))
            if required_arguments(value) - provided:
                return True
    return False


def expand(name, function):
    """The calls a test function stands for: (id, kwargs, skip reason or None, xfail)."""
    cases = [(name, {}, None, False)]
    for mark in marks(function):
        kind = getattr(mark, "name", "")
        if kind == "parametrize" and len(mark.args) >= 2:
            names = mark.args[0]
            names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
            expanded = []
            for case_id, kwargs, skip, xfail in cases:
                for index, entry in enumerate(mark.args[1]):
                    values = getattr(entry, "values", entry)
                    if len(names) == 1 and not hasattr(entry, "values"):
                        values = (values,)
                    given = getattr(entry, "id", None)
                    ids = mark.kwargs.get("ids")
                    if given is None and isinstance(ids, (list, tuple)) and index < len(ids):
                        given = ids[index]
                    label = given if given is not None else "-".join(parameter_id(value, arg, index) for arg, value in zip(names, values))
                    suffix = label if case_id == name else case_id[len(name) + 1:-1] + "-" + label
                    expanded.append(("%s[%s]" % (name, suffix), dict(kwargs, **dict(zip(names, values))), skip, xfail))
            cases = expanded
        elif kind == "skip":
            cases = [(i, k, mark.kwargs.get("reason", "skipped"), x) for i, k, s, x in cases]
        elif kind == "skipif" and mark.args and mark.args[0]:
            cases = [(i, k, mark.kwargs.get("reason", "skipped"), x) for i, k, s, x in cases]
        elif kind == "xfail":
            cases = [(i, k, s, True) for i, k, s, x in cases]
    return cases


def parameter_id(value, argname, index):
    """The id pytest gives one parameter value: the value itself when simple, else name + index."""
    if isinstance(value, (bool, int, float, complex, type(None))):
        return str(value)
    if isinstance(value, str):
        return value.encode("unicode_escape").decode("ascii")
    return "%s%d" % (argname, index)


def collect(module):
    unittest = sys.modules.get("unittest")  # only tests that imported it can define TestCases
    tests = []
    for name, value in list(vars(module).items()):
        if name.startswith("test") and isinstance(value, types.FunctionType) and value.__module__ == module.__name__:
            for case_id, kwargs, skip, xfail in expand(name, value):
                tests.append((case_id, ("function", value, kwargs, skip, xfail)))
        elif unittest is not None and isinstance(value, type) and issubclass(value, unittest.TestCase) and value.__module__ == module.__name__:
            for method in unittest.TestLoader().getTestCaseNames(value):
                tests.append(("%s.%s" % (name, method), ("case", value(method))))
    return tests


def run_function(name, function, kwargs):
    buffer = io.StringIO()
    started = time.monotonic()
    error = None
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = buffer
    try:
        function(**kwargs)
    except KeyboardInterrupt:
        raise
    except BaseException as caught:  # SystemExit from the code under test is a failure too
        error = caught
    finally:
        sys.stdout, sys.stderr = saved
    return result_of(name, error, buffer.getvalue(), started)


def run_case(name, case):
    import unittest

    class CollectingResult(unittest.TestResult):
        def __init__(self):
            super().__init__()
            self.error = None
            self.skipped_reason = None
            self.subtest = None

        def addFailure(self, test, err):
            self.error = err[1]

        def addError(self, test, err):
            self.error = err[1]

        def addSkip(self, test, reason):
            self.skipped_reason = reason

        def addSubTest(self, test, subtest, err):
            # A failing subTest fails its test; the first failure is reported, with its parameters.
            if err is not None and self.error is None:
                self.error = err[1]
                try:
                    self.subtest = subtest._subDescription()
                except Exception:
                    self.subtest = str(subtest)

        def addUnexpectedSuccess(self, test):
            self.error = AssertionError("unexpected success of a test marked expectedFailure")

    # A skip the code under test raises from setUp or the test is a failure (a skip decorator's is not).
    for method in ("setUp", case._testMethodName):
        setattr(case, method, guarded(getattr(case, method)))
    buffer = io.StringIO()
    started = time.monotonic()
    result = CollectingResult()
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = buffer
    try:
        case.run(result)
    finally:
        sys.stdout, sys.stderr = saved
    if result.skipped_reason is not None:
        return {"name": name, "outcome": "skipped", "message": result.skipped_reason, "duration": 0}
    event = result_of(name, result.error, buffer.getvalue(), started)
    if result.subtest is not None:
        event["details"] = ["in subTest %s" % result.subtest] + event.get("details", [])
    return event


def trace_test(name, spec, limit=10):
    """Runs one test under a tracer and describes the solution's blocks (``trace_call``)."""
    tests = {os.path.abspath(path) for path in context.TEST_FILES}

    def follows(code):
        if code.co_filename.startswith("<"):  # frozen modules, the pytest shim
            return False
        path = os.path.abspath(code.co_filename)
        return path.startswith(context.WORKSPACE + os.sep) and path not in tests and not context.is_harness(path)

    def run():
        if spec[0] == "case":
            run_case(name, spec[1])
        else:
            run_function(name, spec[1], spec[2])

    traced = trace_call(run, follows, lambda frame: "%s:%s" % (rel(frame.f_code.co_filename), frame.f_code.co_name), limit)
    if traced is None:
        return None
    blocks, total = traced
    return ("Trace of %s (the solution's variables after each block of lines, in order; %d block%s):\n" % (name, total, "" if total == 1 else "s")
            + "\n".join(blocks))


def trace_call(run, follows, describe, limit=10, steps=20000):
    """Runs `run()` under a tracer, following the frames whose code `follows` accepts, and describes
    their blocks (LDB-style): the variables after each run of consecutive lines, and return values,
    capped at `limit` blocks (the first and the last: loops hide the middle) and `steps` lines.
    Returns the blocks' lines and how many blocks there were, or None when nothing was followed.
    (The benchmark's examples program calls it too, to trace a failing example.)"""
    head, tail, state, total, budget = [], [], {}, [0], [steps]

    def variables(frame):
        shown = ["%s = %s" % (key, short_repr(value, 80)) for key, value in frame.f_locals.items() if not key.startswith("__")]
        return ", ".join(shown[:8]) or "(no variables)"

    def message(error):
        try:
            text = str(error)
        except Exception:  # a broken __str__ must not break the trace
            text = "?"
        return text if len(text) <= 120 else text[:120] + "..."

    def close(frame, end, note=""):
        start = state[frame][0]
        total[0] += 1
        where = "line %d" % start if start == end else "lines %d-%d" % (start, end)
        block = "[%d] %s %s: %s%s" % (total[0], describe(frame), where, variables(frame), note)
        if len(head) < limit // 2:
            head.append(block)
        else:
            tail.append(block)
            if len(tail) > limit - limit // 2:
                tail.pop(0)

    def local(frame, event, arg):
        budget[0] -= 1
        if budget[0] < 0:
            return None
        if event == "line":
            start, last = state.get(frame, (None, None))
            if start is None:
                state[frame] = (frame.f_lineno, frame.f_lineno)
            elif frame.f_lineno != last + 1:
                close(frame, last)
                state[frame] = (frame.f_lineno, frame.f_lineno)
            else:
                state[frame] = (start, frame.f_lineno)
        elif event == "exception" and frame in state and state[frame][0] is not None:
            close(frame, state[frame][1], " -> raises %s: %s" % (arg[0].__name__, message(arg[1])))
            state[frame] = (None, None)  # a line next: caught here, a new block; a return: unwinding
        elif event == "return" and frame in state:
            if state[frame][0] is not None:
                close(frame, state[frame][1], " -> returns %s" % short_repr(arg, 120))
            del state[frame]
        return local

    def start(frame, event, arg):
        if event == "call" and budget[0] > 0 and follows(frame.f_code):
            return local
        return None

    sys.settrace(start)
    try:
        run()
    finally:
        sys.settrace(None)
    if not head:
        return None
    hidden = total[0] - len(head) - len(tail)
    middle = ["[... %d blocks not shown ...]" % hidden] if hidden > 0 else []
    stopped = ["[the trace stopped after %d lines]" % steps] if budget[0] < 0 else []
    return head + middle + tail + stopped, total[0]
