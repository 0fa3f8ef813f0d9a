"""The slow path: tests that need pytest itself (fixtures, conftest.py, plugins) run under the real
pytest, in-process, and report the same JSON lines as the fast path."""
import sys

import selfdebug_context as context
from selfdebug_outcomes import SkipFromSolution, guarded, skip_kind
from selfdebug_context import emit, rel


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
                if where and rel(report.longrepr[0]) not in context.PRISTINE and not report.longrepr[0].startswith("<"):
                    emit(event="collection_error", file=rel(report.longrepr[0]), line=report.longrepr[1], type="SkipFromSolution",
                         message="the code under test skipped the whole test module (%s): a skip raised by the solution is a failure" % reason, traceback=[])
                else:
                    emit(event="result", name=report.nodeid or "(module)", outcome="skipped", message=str(reason), duration=0)
            if report.failed:
                emit(event="collection_error", file=report.nodeid or "", type="CollectionError",
                     message=str(report.longrepr)[-2000:], traceback=[])

    code = pytest.main(["-qq", "-p", "no:cacheprovider", "--no-header", "-rN", "--tb=short", *files], plugins=[Reporter()])
    emit(event="done", exit_code=int(code))
