"""The built-in `pytest`: what the harness answers `import pytest` with when the tests use only
this (raises, approx, mark, param, fail, skip, importorskip, warns), saving pytest's start-up.
The harness runs this file's text as a module named `pytest` (selfdebug_fastpath.install_shim)."""
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
