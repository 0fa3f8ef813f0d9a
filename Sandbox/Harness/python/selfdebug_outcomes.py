"""How a test's end becomes its outcome (passed, failed, error, skipped), and the rule behind the
skips: a skip the tests decide stays a skip, a skip the code under test raises is an error."""
import os
import sys
import time

import selfdebug_context as context
from selfdebug_context import frames_of, rel


def skip_classes():
    """The skip exceptions of the test frameworks in use: a skip is known by its class, never by
    its name (code under test can name its own exception `Skipped`)."""
    classes = []
    unittest = sys.modules.get("unittest")
    if unittest is not None:
        classes.append(unittest.SkipTest)
    for module in (context.SHIM, sys.modules.get("_pytest.outcomes")):
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
        if not name.startswith("<") and not context.is_harness(path) and path.startswith(context.WORKSPACE + os.sep) and rel(path) not in context.PRISTINE:
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


# Standard-library modules whose names small models use without importing them (`reduce`,
# `Counter`, `sqrt`, ...): searched, in this order, for a name a NameError says is not defined.
HINT_MODULES = ("math", "functools", "itertools", "collections", "heapq", "bisect", "re", "string",
                "operator", "typing", "statistics", "fractions", "decimal", "datetime", "copy", "random")


def hint_for(error):
    """A line that says how to fix an error when the fix is certain from the error alone: a name
    that is a standard-library module or one of its functions but was not imported, or a module
    that is not installed here. None for anything else."""
    if isinstance(error, NameError) and not isinstance(error, UnboundLocalError):
        name = getattr(error, "name", None)
        if not name or name.startswith("_"):
            return None
        if name in getattr(sys, "stdlib_module_names", ()):
            return "hint: `%s` is a standard-library module that the code uses without importing it: add `import %s` at the top of the file." % (name, name)
        for module_name in HINT_MODULES:
            try:
                module = __import__(module_name)
            except ImportError:
                continue
            if hasattr(module, name) and name in getattr(module, "__all__", dir(module)):
                return ("hint: `%s` is not defined; the standard library has it in `%s`: add `from %s import %s` at the top of the file."
                        % (name, module_name, module_name, name))
        return None
    if isinstance(error, ModuleNotFoundError) and error.name:
        top = error.name.split(".")[0]
        if top not in getattr(sys, "stdlib_module_names", ()):
            return "hint: the module `%s` is not installed here: only Python's standard library is available, so write the code without it." % top
    return None


def result_of(name, error, output, started, location=None):
    event = {"name": name, "duration": round(time.monotonic() - started, 4)}
    if output:
        event["output"] = output[-context.OUTPUT_LIMIT:]
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
        hint = hint_for(error)
        if hint:
            event["details"] = [hint]
    # Notes added to the exception (PEP 678; `--feedback trace` adds the failing example's trace).
    notes = [str(note) for note in getattr(error, "__notes__", None) or [] if str(note)]
    if notes:
        event["details"] = list(event.get("details", [])) + notes
    if isinstance(error, SkipFromSolution):
        event["location"] = error.location
    elif frames:
        event["location"] = "%s:%d" % (frames[0]["file"], frames[0]["line"]) if location is None else location
    return event
