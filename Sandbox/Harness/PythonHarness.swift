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
the test files are rewritten so a failure shows the values of both sides. It starts with `-S`
(no site-packages) and answers `import pytest` with a small built-in module when the tests use
only what it provides (raises, approx, mark.parametrize/skip/skipif/xfail, param, fail, skip,
warns, importorskip); tests that need more (fixtures, conftest.py, plugins) are run by the real
pytest, in-process, reporting the same JSON lines."""
import _ast as ast  # the C module: the `ast` package would add ~5 ms of imports
import io, os, sys, time, types

RESULTS = open(sys.argv[1], "w", buffering=1)
TEST_FILES = sys.argv[2:]
WORKSPACE = os.getcwd()
HARNESS = os.path.abspath(__file__)
sys.path.insert(0, WORKSPACE)
sys.dont_write_bytecode = True
OUTPUT_LIMIT = 2000
# The task's own files (tests and their helpers), relative to the workspace: everything else in the
# workspace is code under test.
PRISTINE = set(path for path in os.environ.get("SELFDEBUG_PRISTINE", "").split("\n") if path) | set(os.path.normpath(p) for p in TEST_FILES)
SHIM = None  # the built-in pytest module, once installed


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def to_json(value):
    """JSON text for the harness's events (the json package would add ~5 ms of imports)."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else "null"
    if isinstance(value, str):
        return '"' + "".join(_ESCAPES.get(c) or (c if " " <= c and not "\ud800" <= c <= "\udfff" else "\\u%04x" % ord(c)) for c in value) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(to_json(str(key)) + ": " + to_json(item) for key, item in value.items()) + "}"
    return to_json(str(value))


def emit(**event):
    RESULTS.write(to_json(event) + "\n")
    RESULTS.flush()


def rel(path):
    path = os.path.abspath(path)
    if path.startswith(WORKSPACE + os.sep):
        return os.path.relpath(path, WORKSPACE)
    return path


def frames_of(tb):
    import traceback  # only failures need it
    frames = []
    for entry in traceback.extract_tb(tb):
        if entry.filename.startswith("<"):  # the pytest shim and other generated code
            continue
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



def walk(node):
    """Every node under `node`, itself included (ast.walk without the ast package)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for field in current._fields:
            value = getattr(current, field, None)
            if isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, ast.AST))
            elif isinstance(value, ast.AST):
                stack.append(value)


def parse(source, filename="<unknown>"):
    return compile(source, filename, "exec", ast.PyCF_ONLY_AST)


def locate(node, origin):
    """Gives `node` and its children without a position the position of `origin`."""
    for child in walk(node):
        if "lineno" in child._attributes and not hasattr(child, "lineno"):
            child.lineno, child.col_offset = origin.lineno, origin.col_offset
            child.end_lineno, child.end_col_offset = origin.end_lineno, origin.end_col_offset
    return node


class SourceText:
    """The exact source text of a node, from its positions (ast.unparse without the ast package)."""

    def __init__(self, source):
        self.lines = source.encode("utf-8").splitlines(keepends=True)

    def of(self, node):
        try:
            first, last = node.lineno - 1, node.end_lineno - 1
            if first == last:
                text = self.lines[first][node.col_offset:node.end_col_offset]
            else:
                text = self.lines[first][node.col_offset:] + b"".join(self.lines[first + 1:last]) + self.lines[last][:node.end_col_offset]
            return " ".join(text.decode("utf-8").split())
        except (AttributeError, IndexError, TypeError):
            return "?"


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


class AssertRewriter:
    """Rewrites `assert a OP b, msg` so that each side is evaluated once and shown on failure."""

    counter = 0

    def __init__(self, source):
        self.text = SourceText(source)

    def visit(self, node):
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, list):
                rewritten = []
                for item in value:
                    if isinstance(item, ast.Assert):
                        rewritten.extend(self.rewrite(item))
                    else:
                        if isinstance(item, ast.AST):
                            self.visit(item)
                        rewritten.append(item)
                setattr(node, field, rewritten)
            elif isinstance(value, ast.AST):
                self.visit(value)
        return node

    def rewrite(self, node):
        AssertRewriter.counter += 1
        n = AssertRewriter.counter
        source = self.text.of(node.test)
        msg = node.msg if node.msg is not None else ast.Constant(None)
        statements = []
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in OPS:
            left, right = "__sd_l%d" % n, "__sd_r%d" % n
            statements.append(ast.Assign([ast.Name(left, ast.Store())], test.left))
            statements.append(ast.Assign([ast.Name(right, ast.Store())], test.comparators[0]))
            check = ast.Compare(ast.Name(left, ast.Load()), test.ops, [ast.Name(right, ast.Load())])
            args = [ast.Constant(source), ast.Constant(OPS[type(test.ops[0])]),
                    ast.Constant(self.text.of(test.left)), ast.Name(left, ast.Load()),
                    ast.Constant(self.text.of(test.comparators[0])), ast.Name(right, ast.Load()), msg]
        else:
            value = "__sd_v%d" % n
            statements.append(ast.Assign([ast.Name(value, ast.Store())], test))
            check = ast.Name(value, ast.Load())
            shown = ast.Constant(self.text.of(test)) if isinstance(test, (ast.Call, ast.Name, ast.Attribute, ast.Subscript)) else ast.Constant(None)
            args = [ast.Constant(source), ast.Constant(None), shown, ast.Name(value, ast.Load()),
                    ast.Constant(None), ast.Constant(None), msg]
        fail = ast.Raise(ast.Call(ast.Name("__sd_assertion_failed", ast.Load()), args, []), None)
        statements.append(ast.If(ast.UnaryOp(ast.Not(), check), [fail], []))
        return [locate(statement, node) for statement in statements]


# Every test source is read before any code under test runs, so code that rewrites a test file
# while it runs cannot change what is tested.
SOURCES = {}
for _path in TEST_FILES:
    with open(_path, encoding="utf-8") as _handle:
        SOURCES[_path] = _handle.read()
CONFTEST = os.path.exists(os.path.join(WORKSPACE, "conftest.py"))


KEPT_AT_TOP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Try)


def without_solution_statements(tree, last_line):
    """Program mode: the solution's own top-level code (its checks, prints, asserts, `if __name__`
    blocks: lines up to `last_line`) is left out; its imports, definitions and assignments stay."""
    kept, dropped = [], []
    for node in tree.body:
        if node.lineno <= last_line and not isinstance(node, KEPT_AT_TOP):
            dropped.append((node.lineno, getattr(node, "end_lineno", node.lineno)))
        else:
            kept.append(node)
    tree.body = kept
    return dropped


def load_test_module(path, solution_lines=0):
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(1, directory)
    name = os.path.splitext(os.path.basename(path))[0]
    source = SOURCES[path]
    tree = AssertRewriter(source).visit(parse(source, path))
    if solution_lines:
        dropped = without_solution_statements(tree, solution_lines)
        if dropped:
            emit(event="left_out", lines=["%d-%d" % span if span[0] != span[1] else "%d" % span[0] for span in dropped])
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


def skip_classes():
    """The skip exceptions of the test frameworks in use: a skip is known by its class, never by
    its name (code under test can name its own exception `Skipped`)."""
    classes = []
    unittest = sys.modules.get("unittest")
    if unittest is not None:
        classes.append(unittest.SkipTest)
    for module in (SHIM, sys.modules.get("_pytest.outcomes")):
        skipped = getattr(module, "Skipped", None)
        if isinstance(skipped, type):
            classes.append(skipped)
    return tuple(classes)


def solution_frame(tb):
    """The innermost frame of the code under test in a traceback: a workspace file that is not one
    of the task's pristine files (tests and their helpers). None when there is none."""
    found = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        path = os.path.abspath(name)
        if not name.startswith("<") and path != HARNESS and path.startswith(WORKSPACE + os.sep) and rel(path) not in PRISTINE:
            found = "%s:%d" % (rel(path), tb.tb_lineno)
        tb = tb.tb_next
    return found


class SkipFromSolution(Exception):
    """A skip raised by the code under test: the test did not run to its end, so it failed."""

    def __init__(self, error, where):
        super().__init__("the code under test raised %s(%r) at %s: a skip raised by the solution is a failure, "
                         "not a skip (the test must run to its end and pass)" % (type(error).__name__, str(error), where))
        self.location = where


def skip_kind(error):
    """'skip' for a skip the tests decided, a SkipFromSolution for one the code under test raised, None otherwise."""
    if error is None or isinstance(error, SkipFromSolution):
        return None
    classes = skip_classes()
    if not classes or not isinstance(error, classes):
        return None
    where = solution_frame(error.__traceback__)
    return SkipFromSolution(error, where) if where else "skip"


def guarded(function):
    """`function`, with a skip that the code under test raises turned into a failure."""
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except BaseException as error:
            kind = skip_kind(error)
            if isinstance(kind, SkipFromSolution):
                raise kind from error
            raise
    for name in ("__name__", "__qualname__", "__doc__", "__unittest_skip__", "__unittest_skip_why__", "__unittest_expecting_failure__"):
        if hasattr(function, name):
            try:
                setattr(call, name, getattr(function, name))
            except (AttributeError, TypeError):
                pass
    return call


def result_of(name, error, output, started, location=None):
    event = {"name": name, "duration": round(time.monotonic() - started, 4)}
    if output:
        event["output"] = output[-OUTPUT_LIMIT:]
    if error is None:
        event["outcome"] = "passed"
        return event
    kind = skip_kind(error)
    if kind == "skip":
        event.update(outcome="skipped", message=str(error) or "skipped")
        return event
    if isinstance(kind, SkipFromSolution):
        kind.__cause__ = error
        error = kind
    frames = frames_of((error.__cause__ if isinstance(error, SkipFromSolution) else error).__traceback__)
    event["traceback"] = frames
    if isinstance(error, AssertionError):
        event["outcome"] = "failed"
        event["message"] = str(error) or "assertion failed"
        event["details"] = getattr(error, "details", [])
    else:
        event["outcome"] = "error"
        event["message"] = "%s: %s" % (type(error).__name__, error)
    if isinstance(error, SkipFromSolution):
        event["location"] = error.location
    elif frames:
        event["location"] = "%s:%d" % (frames[0]["file"], frames[0]["line"]) if location is None else location
    return event


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


def run_with_pytest(files, reason):
    emit(event="runner", runner="pytest", reason=reason)
    sys.modules.pop("pytest", None)
    import site
    site.main()  # the harness starts without site-packages (-S); pytest lives there
    import pytest

    class Reporter:
        """Turns pytest's reports into the harness's JSON lines: one result per test, the first
        failure kept (subtests and teardown report on the same test more than once)."""

        def __init__(self):
            self.pending = {}
            self.solution_skips = {}

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_call(self, item):
            # unittest cases under pytest: their skips are caught by unittest before pytest sees them.
            case = getattr(item, "_testcase", None)
            if case is not None and hasattr(case, "_testMethodName"):
                for method in ("setUp", case._testMethodName):
                    setattr(case, method, guarded(getattr(case, method)))
            yield

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item, call):
            # Before pytest turns the exception into a report (and unittest.SkipTest into its own skip).
            kind = skip_kind(call.excinfo.value if call.excinfo is not None else None)
            if isinstance(kind, SkipFromSolution):
                self.solution_skips[item.nodeid] = kind
            yield

        def pytest_runtest_logstart(self, nodeid, location):
            emit(event="start", name=nodeid.split("::", 1)[-1].replace("::", "."))

        def pytest_runtest_logreport(self, report):
            if report.when != "call" and not (report.failed or report.skipped):
                return
            name = report.nodeid.split("::", 1)[-1].replace("::", ".")
            event = {"name": name, "duration": round(report.duration, 4)}
            solution_skip = self.solution_skips.get(report.nodeid) if report.skipped else None
            if report.passed:
                event["outcome"] = "passed"
            elif solution_skip is not None:
                event.update(outcome="error", message="SkipFromSolution: %s" % solution_skip, location=solution_skip.location)
            elif report.skipped:
                event["outcome"] = "skipped"
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) and len(report.longrepr) > 2 else getattr(report, "wasxfail", "")
                event["message"] = str(reason).replace("Skipped: ", "", 1) or "skipped"
            else:
                crash = getattr(report.longrepr, "reprcrash", None)
                message = crash.message if crash is not None else ""
                failed = ("assert", "AssertionError", "Failed")
                event["outcome"] = "failed" if message.startswith(failed) and report.when == "call" else "error"
                event["message"] = crash.message if crash is not None else str(report.longrepr)[-800:]
                if crash is not None:
                    event["location"] = "%s:%d" % (rel(crash.path), crash.lineno)
                event["details"] = str(report.longrepr).splitlines()[-30:]
            previous = self.pending.get(report.nodeid)
            if previous is None or previous["outcome"] in ("passed", "skipped"):
                self.pending[report.nodeid] = event

        def pytest_runtest_logfinish(self, nodeid, location):
            event = self.pending.pop(nodeid, None)
            if event is not None:
                emit(event="result", **event)

        def pytest_collectreport(self, report):
            if report.skipped:
                # A whole module skipped at import: its tests never ran (said, never counted as passed).
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) and len(report.longrepr) > 2 else str(report.longrepr)
                where = "%s:%s" % (rel(report.longrepr[0]), report.longrepr[1]) if isinstance(report.longrepr, tuple) else ""
                if where and rel(report.longrepr[0]) not in PRISTINE and not report.longrepr[0].startswith("<"):
                    emit(event="collection_error", file=rel(report.longrepr[0]), line=report.longrepr[1], type="SkipFromSolution",
                         message="the code under test skipped the whole test module (%s): a skip raised by the solution is a failure" % reason, traceback=[])
                else:
                    emit(event="result", name=report.nodeid or "(module)", outcome="skipped", message=str(reason), duration=0)
            if report.failed:
                emit(event="collection_error", file=report.nodeid or "", type="CollectionError",
                     message=str(report.longrepr)[-2000:], traceback=[])

    code = pytest.main(["-qq", "-p", "no:cacheprovider", "--no-header", "-rN", "--tb=short", *files], plugins=[Reporter()])
    emit(event="done", exit_code=int(code))



PYTEST_SHIM = r"""
import math as _math  # re and warnings are imported where used: they cost ~4 ms


class Failed(AssertionError):
    pass


class Skipped(Exception):
    pass


def fail(reason="", pytrace=True):
    raise Failed(reason)


fail.Exception = Failed


def skip(reason="", allow_module_level=False):
    raise Skipped(reason)


skip.Exception = Skipped


def importorskip(name, minversion=None, reason=None):
    try:
        return __import__(name)
    except ImportError:
        raise Skipped(reason or "could not import %r" % name)


class Mark:
    def __init__(self, name, args, kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs


class MarkDecorator:
    def __init__(self, name, args=(), kwargs=None):
        self.name, self.args, self.kwargs = name, args, kwargs or {}

    def __call__(self, *args, **kwargs):
        # As pytest decides: one callable (not a lambda) and no keywords means "apply to it".
        if len(args) == 1 and not kwargs and callable(args[0]) and getattr(args[0], "__name__", "<lambda>") != "<lambda>":
            target = args[0]
            target.pytestmark = list(getattr(target, "pytestmark", [])) + [Mark(self.name, self.args, self.kwargs)]
            return target
        return MarkDecorator(self.name, self.args + args, dict(self.kwargs, **kwargs))


class MarkGenerator:
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return MarkDecorator(name)


mark = MarkGenerator()


class ParameterSet:
    def __init__(self, values, id=None, marks=()):
        self.values, self.id, self.marks = values, id, marks


def param(*values, id=None, marks=()):
    return ParameterSet(values, id, marks)


class ExceptionInfo:
    def __init__(self):
        self.type = self.value = self.tb = None

    @property
    def typename(self):
        return self.type.__name__

    def match(self, regexp):
        import re as _re
        if not _re.search(regexp, str(self.value)):
            raise AssertionError("Regex pattern did not match.\n Regex: %r\n Input: %r" % (regexp, str(self.value)))
        return True

    def __repr__(self):
        return "<ExceptionInfo %r>" % (self.value,)


class RaisesContext:
    def __init__(self, expected, match):
        self.expected, self.match_expr, self.info = expected, match, ExceptionInfo()

    def __enter__(self):
        return self.info

    def __exit__(self, kind, value, tb):
        if kind is None:
            raise Failed("DID NOT RAISE %r" % (self.expected,))
        if not issubclass(kind, self.expected):
            return False
        self.info.type, self.info.value, self.info.tb = kind, value, tb
        if self.match_expr is not None:
            self.info.match(self.match_expr)
        return True


def raises(expected, *args, match=None, **kwargs):
    if args:
        with RaisesContext(expected, match) as info:
            args[0](*args[1:], **kwargs)
        return info
    return RaisesContext(expected, match)


class WarnsContext:
    def __init__(self, expected, match):
        self.expected, self.match_expr = expected, match

    def __enter__(self):
        import warnings as _warnings
        self.catcher = _warnings.catch_warnings(record=True)
        self.records = self.catcher.__enter__()
        _warnings.simplefilter("always")
        return self.records

    def __exit__(self, kind, value, tb):
        self.catcher.__exit__(kind, value, tb)
        import re as _re
        if kind is not None:
            return False
        for record in self.records:
            if issubclass(record.category, self.expected) and (self.match_expr is None or _re.search(self.match_expr, str(record.message))):
                return False
        raise Failed("DID NOT WARN. No warnings of type %r were emitted." % (self.expected,))


def warns(expected=Warning, *args, match=None, **kwargs):
    if args:
        with WarnsContext(expected, match):
            return args[0](*args[1:], **kwargs)
    return WarnsContext(expected, match)


class ApproxBase:
    def __init__(self, expected, rel=None, abs=None, nan_ok=False):
        self.expected, self.rel, self.abs, self.nan_ok = expected, rel, abs, nan_ok

    def _close(self, actual, expected):
        numbers = (int, float, complex)
        if not (isinstance(expected, numbers) and isinstance(actual, numbers)) or isinstance(expected, bool):
            return actual == expected
        if actual == expected:
            return True
        if isinstance(expected, float) and _math.isnan(expected):
            return self.nan_ok and isinstance(actual, float) and _math.isnan(actual)
        if _math.isinf(abs(expected)):
            return False
        absolute = 1e-12 if self.abs is None else self.abs
        relative = (0 if self.abs is not None else 1e-6) if self.rel is None else self.rel
        return abs(actual - expected) <= max(relative * abs(expected), absolute)

    def __eq__(self, actual):
        expected = self.expected
        if isinstance(expected, dict):
            return isinstance(actual, dict) and actual.keys() == expected.keys() and all(self._close(actual[k], expected[k]) for k in expected)
        if isinstance(expected, (list, tuple)):
            return isinstance(actual, (list, tuple)) and len(actual) == len(expected) and all(self._close(a, e) for a, e in zip(actual, expected))
        return self._close(actual, expected)

    def __ne__(self, actual):
        return not self == actual

    __hash__ = None

    def __repr__(self):
        return "approx(%r)" % (self.expected,)


def approx(expected, rel=None, abs=None, nan_ok=False):
    return ApproxBase(expected, rel, abs, nan_ok)
"""

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
    exec(compile(PYTEST_SHIM, "<selfdebug pytest shim>", "exec"), module.__dict__)
    sys.modules["pytest"] = module
    global SHIM
    SHIM = module


def trace_test(name, spec, limit=10):
    """Runs one test under a tracer and describes the solution's blocks: the variables after each
    run of consecutive lines, and return values (LDB-style), capped at `limit` blocks."""
    tests = {os.path.abspath(path) for path in TEST_FILES}
    harness = HARNESS
    head, tail, state, total = [], [], {}, [0]  # the first and the last blocks: loops hide the middle

    def variables(frame):
        shown = ["%s = %s" % (key, short_repr(value, 80)) for key, value in frame.f_locals.items() if not key.startswith("__")]
        return ", ".join(shown[:8]) or "(no variables)"

    def close(frame, end, note=""):
        start = state[frame][0]
        total[0] += 1
        where = "line %d" % start if start == end else "lines %d-%d" % (start, end)
        block = "[%d] %s:%s %s: %s%s" % (total[0], rel(frame.f_code.co_filename), frame.f_code.co_name, where, variables(frame), note)
        if len(head) < limit // 2:
            head.append(block)
        else:
            tail.append(block)
            if len(tail) > limit - limit // 2:
                tail.pop(0)

    def local(frame, event, arg):
        if event == "line":
            start, last = state.get(frame, (None, None))
            if start is None:
                state[frame] = (frame.f_lineno, frame.f_lineno)
            elif frame.f_lineno != last + 1:
                close(frame, last)
                state[frame] = (frame.f_lineno, frame.f_lineno)
            else:
                state[frame] = (start, frame.f_lineno)
        elif event == "exception" and frame in state:
            close(frame, state[frame][1], " -> raises %s: %s" % (arg[0].__name__, short_repr(arg[1], 80)))
            state[frame] = (frame.f_lineno, frame.f_lineno)
        elif event == "return" and frame in state:
            close(frame, state[frame][1], " -> returns %s" % short_repr(arg, 120))
            del state[frame]
        return local

    def start(frame, event, arg):
        if frame.f_code.co_filename.startswith("<"):  # frozen modules, the pytest shim
            return None
        path = os.path.abspath(frame.f_code.co_filename)
        if event == "call" and path.startswith(WORKSPACE + os.sep) and path not in tests and path != harness:
            return local
        return None

    sys.settrace(start)
    try:
        if spec[0] == "case":
            run_case(name, spec[1])
        else:
            run_function(name, spec[1], spec[2])
    finally:
        sys.settrace(None)
    if not head:
        return None
    hidden = total[0] - len(head) - len(tail)
    middle = ["[... %d blocks not shown ...]" % hidden] if hidden > 0 else []
    return ("Trace of %s (the solution's variables after each block of lines, in order; %d block%s):\n" % (name, total[0], "" if total[0] == 1 else "s")
            + "\n".join(head + middle + tail))



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
    if event["outcome"] == "skipped":  # a program has no skips: it runs to its end or fails
        event.update(outcome="error", message="the program raised %s(%r): a skip is not a pass" % (type(error).__name__, str(error)))
    if isinstance(error, SystemExit):
        event.update(outcome="failed", message="the program exited with status %s" % error.code)
    emit(event="result", **event)
    emit(event="done", exit_code=0)


def main():
    program = os.environ.get("SELFDEBUG_PROGRAM")
    if program:
        if shim_covers({program: SOURCES[program]}):
            install_shim()
        return run_program(program)
    if CONFTEST:
        return run_with_pytest(TEST_FILES, "conftest.py present")
    if os.environ.get("SELFDEBUG_REAL_PYTEST") == "1":
        return run_with_pytest(TEST_FILES, "asked for")
    if not shim_covers(SOURCES):
        return run_with_pytest(TEST_FILES, "tests use pytest features beyond raises, approx, mark and param")
    install_shim()
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
        for name in [name for name in sys.modules if name in [m.__name__ for m in modules] or name == "pytest"]:
            sys.modules.pop(name, None)
        return run_with_pytest(TEST_FILES, "tests use fixtures")
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


main()
RESULTS.close()
sys.stdout.flush()
os._exit(0)
"""#
}
