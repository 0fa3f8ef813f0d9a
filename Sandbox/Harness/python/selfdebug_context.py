"""The run's context (the workspace, the task's own files, the test sources) and the events the
harness writes: one JSON line each, to the results file the runner reads."""
import os

OUTPUT_LIMIT = 2000
HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))  # every file of the harness is in this folder
RESULTS = None  # the results file, opened by start()
TEST_FILES = []
WORKSPACE = os.getcwd()
# The task's own files (tests and their helpers), relative to the workspace: everything else in the
# workspace is code under test.
PRISTINE = set()
SOURCES = {}
CONFTEST = False
SHIM = None  # the built-in pytest module, once installed


def start(results_path, test_files):
    """Opens the results file and reads the run's context; the workspace is the current folder."""
    global RESULTS, TEST_FILES, WORKSPACE, PRISTINE, SOURCES, CONFTEST
    RESULTS = open(results_path, "w", buffering=1)
    TEST_FILES = test_files
    WORKSPACE = os.getcwd()
    PRISTINE = set(path for path in os.environ.get("SELFDEBUG_PRISTINE", "").split("\n") if path) | set(os.path.normpath(p) for p in TEST_FILES)
    # Every test source is read before any code under test runs, so code that rewrites a test file
    # while it runs cannot change what is tested.
    SOURCES = {}
    for path in TEST_FILES:
        with open(path, encoding="utf-8") as handle:
            SOURCES[path] = handle.read()
    CONFTEST = os.path.exists(os.path.join(WORKSPACE, "conftest.py"))


def is_harness(path):
    """Whether an absolute path is one of the harness's own files."""
    return os.path.dirname(path) == HARNESS_DIR


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
        if is_harness(path) or not path.startswith(WORKSPACE + os.sep):
            continue
        frames.append({"file": rel(path), "line": entry.lineno or 0, "function": entry.name, "code": entry.line or ""})
    return frames


def short_repr(value, limit=300):
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not break the report
        text = "<repr failed: %s>" % type(error).__name__
    return text if len(text) <= limit else text[:limit] + "... (%d characters)" % len(text)


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
