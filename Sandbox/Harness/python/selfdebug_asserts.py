"""Assert rewriting (a failing `assert` shows the values of both sides) and program mode's cut of
the solution's own top-level code, on the tree of the C `_ast` module."""
import _ast as ast  # the C module: the `ast` package would add ~5 ms of imports

from selfdebug_context import short_repr


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
