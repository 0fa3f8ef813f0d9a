// The Python test harness: what runs inside the sandbox for Python tests (`PythonTestRunner`
// starts it). Kept as a string so the selfdebug binary is self-contained; Sandbox/README.md
// describes what it does and what it defends.
public enum PythonHarness {
    /// The file name it is written under (outside the workspace).
    public static let fileName = "selfdebug_harness.py"

    /// The harness's source.
    public static let source = #"""
"""selfdebug's Python test harness: runs pytest-style test functions and unittest cases fast,
without pytest's start-up, and reports each test as one JSON line. Plain `assert` statements in
the test files are rewritten so a failure shows the values of both sides. Tests that need what
only pytest provides (fixtures, conftest.py) are run by pytest itself, in-process, reporting
the same JSON lines."""
import ast, inspect, io, json, os, sys, time, traceback, types, unittest, contextlib

RESULTS = open(sys.argv[1], "w", buffering=1)
TEST_FILES = sys.argv[2:]
WORKSPACE = os.getcwd()
HARNESS = os.path.abspath(__file__)
sys.path.insert(0, WORKSPACE)
sys.dont_write_bytecode = True
OUTPUT_LIMIT = 2000


def emit(**event):
    RESULTS.write(json.dumps(event) + "\n")
    RESULTS.flush()


def rel(path):
    path = os.path.abspath(path)
    if path.startswith(WORKSPACE + os.sep):
        return os.path.relpath(path, WORKSPACE)
    return path


def frames_of(tb):
    frames = []
    for entry in traceback.extract_tb(tb):
        path = os.path.abspath(entry.filename)
        if path == HARNESS or not path.startswith(WORKSPACE + os.sep):
            continue
        frames.append({"file": rel(path), "line": entry.lineno or 0, "function": entry.name, "code": entry.line or ""})
    return frames


def short_repr(value, limit=300):
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not break the report
        text = "<repr failed: %s>" % type(error).__name__
    return text if len(text) <= limit else text[:limit] + "... (%d characters)" % len(text)


OPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
       ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


class AssertionDetails(AssertionError):
    """An assertion failure that carries the values of its sides."""

    def __init__(self, message, details):
        super().__init__(message)
        self.details = details


def describe(source, value):
    shown = short_repr(value)
    return shown if shown == source else "%s = %s" % (source, shown)


def assertion_failed(source, op, left_source, left, right_source, right, message):
    details = []
    if op is None:
        if left_source is not None:
            details.append("value: " + describe(left_source, left))
    else:
        details.append("left:  " + describe(left_source, left))
        details.append("right: " + describe(right_source, right))
    text = "assert " + source
    if message is not None:
        text += "\n" + str(message)
    return AssertionDetails(text, details)


class AssertRewriter(ast.NodeTransformer):
    """Rewrites `assert a OP b, msg` so that each side is evaluated once and shown on failure."""

    counter = 0

    def visit_Assert(self, node):
        AssertRewriter.counter += 1
        n = AssertRewriter.counter
        source = ast.unparse(node.test)
        msg = node.msg if node.msg is not None else ast.Constant(None)
        statements = []
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in OPS:
            left, right = "__sd_l%d" % n, "__sd_r%d" % n
            statements.append(ast.Assign([ast.Name(left, ast.Store())], test.left))
            statements.append(ast.Assign([ast.Name(right, ast.Store())], test.comparators[0]))
            check = ast.Compare(ast.Name(left, ast.Load()), test.ops, [ast.Name(right, ast.Load())])
            args = [ast.Constant(source), ast.Constant(OPS[type(test.ops[0])]),
                    ast.Constant(ast.unparse(test.left)), ast.Name(left, ast.Load()),
                    ast.Constant(ast.unparse(test.comparators[0])), ast.Name(right, ast.Load()), msg]
        else:
            value = "__sd_v%d" % n
            statements.append(ast.Assign([ast.Name(value, ast.Store())], test))
            check = ast.Name(value, ast.Load())
            shown = ast.Constant(ast.unparse(test)) if isinstance(test, (ast.Call, ast.Name, ast.Attribute, ast.Subscript)) else ast.Constant(None)
            args = [ast.Constant(source), ast.Constant(None), shown, ast.Name(value, ast.Load()),
                    ast.Constant(None), ast.Constant(None), msg]
        fail = ast.Raise(ast.Call(ast.Name("__sd_assertion_failed", ast.Load()), args, []), None)
        statements.append(ast.If(ast.UnaryOp(ast.Not(), check), [fail], []))
        for statement in statements:
            ast.copy_location(statement, node)
        return statements


# Every test source is read before any code under test runs, so code that rewrites a test file
# while it runs cannot change what is tested.
SOURCES = {}
for _path in TEST_FILES:
    with open(_path, encoding="utf-8") as _handle:
        SOURCES[_path] = _handle.read()
CONFTEST = os.path.exists(os.path.join(WORKSPACE, "conftest.py"))


def load_test_module(path):
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(1, directory)
    name = os.path.splitext(os.path.basename(path))[0]
    source = SOURCES[path]
    tree = AssertRewriter().visit(ast.parse(source, filename=path))
    ast.fix_missing_locations(tree)
    module = types.ModuleType(name)
    module.__file__ = os.path.abspath(path)
    module.__dict__["__sd_assertion_failed"] = assertion_failed
    sys.modules[name] = module
    exec(compile(tree, os.path.abspath(path), "exec"), module.__dict__)
    return module


def report_collection_error(path, error):
    event = {"file": rel(path), "type": type(error).__name__, "message": str(error),
             "traceback": frames_of(error.__traceback__)}
    if isinstance(error, SyntaxError):
        event.update(file=rel(error.filename or path), line=error.lineno, column=error.offset,
                     source=(error.text or "").rstrip("\n"), message=error.msg)
    elif event["traceback"]:
        last = event["traceback"][-1]
        event.update(file=last["file"], line=last["line"], source=last["code"])
    emit(event="collection_error", **event)


def marks(function):
    return getattr(function, "pytestmark", []) or []


def needs_pytest(module):
    """Whether a test takes arguments that parametrize does not provide (fixtures)."""
    for name, value in vars(module).items():
        if name.startswith("test") and inspect.isfunction(value):
            provided = set()
            for mark in marks(value):
                if getattr(mark, "name", "") == "parametrize" and mark.args:
                    names = mark.args[0]
                    provided.update(n.strip() for n in (names.split(",") if isinstance(names, str) else names))
            parameters = set(inspect.signature(value).parameters)
            if parameters - provided:
                return True
    return False


def expand(name, function):
    """The calls a test function stands for: (id, kwargs, skip reason or None, xfail)."""
    cases = [(name, {}, None, False)]
    for mark in reversed(marks(function)):
        kind = getattr(mark, "name", "")
        if kind == "parametrize" and len(mark.args) >= 2:
            names = mark.args[0]
            names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
            expanded = []
            for case_id, kwargs, skip, xfail in cases:
                for index, values in enumerate(mark.args[1]):
                    values = getattr(values, "values", values)
                    if len(names) == 1 and not (isinstance(values, (tuple, list)) and len(values) == 1 and hasattr(mark.args[1][index], "values")):
                        values = (values,)
                    expanded.append(("%s[%d]" % (case_id, index), dict(kwargs, **dict(zip(names, values))), skip, xfail))
            cases = expanded
        elif kind == "skip":
            cases = [(i, k, mark.kwargs.get("reason", "skipped"), x) for i, k, s, x in cases]
        elif kind == "skipif" and mark.args and mark.args[0]:
            cases = [(i, k, mark.kwargs.get("reason", "skipped"), x) for i, k, s, x in cases]
        elif kind == "xfail":
            cases = [(i, k, s, True) for i, k, s, x in cases]
    return cases


def is_skip(error):
    return type(error).__name__ in ("Skipped", "SkipTest") or isinstance(error, unittest.SkipTest)


def result_of(name, error, output, started, location=None):
    event = {"name": name, "duration": round(time.monotonic() - started, 4)}
    if output:
        event["output"] = output[-OUTPUT_LIMIT:]
    if error is None:
        event["outcome"] = "passed"
        return event
    if is_skip(error):
        event.update(outcome="skipped", message=str(error))
        return event
    frames = frames_of(error.__traceback__)
    event["traceback"] = frames
    if isinstance(error, AssertionError):
        event["outcome"] = "failed"
        event["message"] = str(error) or "assertion failed"
        event["details"] = getattr(error, "details", [])
    else:
        event["outcome"] = "error"
        event["message"] = "%s: %s" % (type(error).__name__, error)
    if frames:
        event["location"] = "%s:%d" % (frames[0]["file"], frames[0]["line"]) if location is None else location
    return event


def run_function(name, function, kwargs):
    buffer = io.StringIO()
    started = time.monotonic()
    error = None
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        try:
            function(**kwargs)
        except KeyboardInterrupt:
            raise
        except BaseException as caught:  # SystemExit from the code under test is a failure too
            error = caught
    return result_of(name, error, buffer.getvalue(), started)


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


def run_case(name, case):
    buffer = io.StringIO()
    started = time.monotonic()
    result = CollectingResult()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        case.run(result)
    if result.skipped_reason is not None:
        return {"name": name, "outcome": "skipped", "message": result.skipped_reason, "duration": 0}
    event = result_of(name, result.error, buffer.getvalue(), started)
    if result.subtest is not None:
        event["details"] = ["in subTest %s" % result.subtest] + event.get("details", [])
    return event


def collect(module):
    tests = []
    for name, value in list(vars(module).items()):
        if name.startswith("test") and inspect.isfunction(value) and value.__module__ == module.__name__:
            for case_id, kwargs, skip, xfail in expand(name, value):
                tests.append((case_id, ("function", value, kwargs, skip, xfail)))
        elif inspect.isclass(value) and issubclass(value, unittest.TestCase) and value.__module__ == module.__name__:
            for method in unittest.TestLoader().getTestCaseNames(value):
                tests.append(("%s.%s" % (name, method), ("case", value(method))))
    return tests


def run_with_pytest(files, reason):
    emit(event="runner", runner="pytest", reason=reason)
    import pytest

    class Reporter:
        def pytest_runtest_logstart(self, nodeid, location):
            emit(event="start", name=nodeid.split("::", 1)[-1])

        def pytest_runtest_logreport(self, report):
            if report.when != "call" and not (report.failed or report.skipped):
                return
            name = report.nodeid.split("::", 1)[-1]
            event = {"name": name, "duration": round(report.duration, 4)}
            if report.passed:
                event["outcome"] = "passed"
            elif report.skipped:
                event["outcome"] = "skipped"
            else:
                crash = getattr(report.longrepr, "reprcrash", None)
                message = crash.message if crash is not None else ""
                event["outcome"] = "failed" if message.startswith("assert") or message.startswith("AssertionError") else "error"
                event["message"] = crash.message if crash is not None else str(report.longrepr)[-800:]
                if crash is not None:
                    event["location"] = "%s:%d" % (rel(crash.path), crash.lineno)
                event["details"] = str(report.longrepr).splitlines()[-30:]
            emit(event="result", **event)

        def pytest_collectreport(self, report):
            if report.failed:
                emit(event="collection_error", file=report.nodeid or "", type="CollectionError",
                     message=str(report.longrepr)[-2000:], traceback=[])

    code = pytest.main(["-q", "-p", "no:cacheprovider", "--no-header", "-rN", *files], plugins=[Reporter()])
    emit(event="done", exit_code=int(code))


def main():
    if CONFTEST:
        return run_with_pytest(TEST_FILES, "conftest.py present")
    modules = []
    for path in TEST_FILES:
        try:
            modules.append(load_test_module(path))
        except BaseException as error:
            report_collection_error(path, error)
    if len(modules) < len(TEST_FILES):
        emit(event="done", exit_code=2)
        return
    if any(needs_pytest(module) for module in modules):
        for module in modules:
            sys.modules.pop(module.__name__, None)
        return run_with_pytest(TEST_FILES, "tests use fixtures")
    tests = [test for module in modules for test in collect(module)]
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


main()
RESULTS.close()
sys.stdout.flush()
os._exit(0)
"""#
}
