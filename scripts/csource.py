"""Just enough C lexing for the lint rules (Python 3 standard library only).

The rules must not fire on words inside comments or string literals ("asm(" in
a comment, a brace in a format string), and the stale-reference rule reads the
comments alone. So a file is split once into three views of the same length,
line for line, where everything that is not part of the view is blanked to
spaces (newlines are kept, so a character's line number is the same in every
view):
  code     the text with comments and string/character literals blanked
           (the quotes stay, so `"x"` becomes `" "`)
  code_npp code, with preprocessor directives blanked as well (what the
           compiler proper sees, minus macro expansion)
  comments the comments alone
"""

import re


class Source:
    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.code, self.comments = _split(text)
        self.code_npp = _blank_directives(self.code)

    def line_of(self, offset):
        return self.text.count("\n", 0, offset) + 1


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return Source(path, f.read())


def _blank(s):
    return re.sub(r"[^\n]", " ", s)


def _split(text):
    """One pass over the text: (code, comments), both as long as text."""
    code, comments = [], []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            code.append(_blank(text[i:j]))
            comments.append(text[i:j])
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            code.append(_blank(text[i:j]))
            comments.append(text[i:j])
            i = j
        elif c in "\"'":
            # A literal runs to the same unescaped quote (or, if broken, the line's end).
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j, n - 1)
            end = j + 1 if text[j] == c else j
            code.append(c + _blank(text[i + 1 : end - 1]) + (c if end > i + 1 else ""))
            comments.append(_blank(text[i:end]))
            i = end
        else:
            code.append(c)
            comments.append(c if c == "\n" else " ")
            i += 1
    return "".join(code), "".join(comments)


def _blank_directives(code):
    """Blank every preprocessor directive, with its backslash-continued lines."""
    out = []
    in_directive = False
    for line in code.split("\n"):
        if in_directive or line.lstrip().startswith("#"):
            in_directive = line.rstrip().endswith("\\")
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


# Words that may stand before "(" and then "{" at file scope without naming a
# function (a compound literal after "=" or a GCC attribute, say).
NOT_FUNCTION_NAMES = {
    "if", "for", "while", "switch", "return", "sizeof", "_Alignof", "_Alignas",
    "__attribute__", "typeof", "__typeof__", "_Generic", "_Static_assert",
}


def functions(src):
    """(name, first_line, last_line) of every function body in src.

    A function body is a "{" at file scope (brace depth 0, outside any
    parenthesis) whose previous non-blank character in code_npp is the ")"
    closing a parenthesised list that follows an identifier: the parameter
    list after the function's name. Struct, union and enum bodies follow a
    tag or keyword, and initialisers follow "=", so none of them match.
    first_line holds the "{", last_line the matching "}".
    """
    code = src.code_npp
    found = []
    depth = 0
    start = None
    name = None
    for i, c in enumerate(code):
        if c == "{":
            if depth == 0:
                name = _function_name_before(code, i)
                start = i if name else None
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and start is not None:
                found.append((name, src.line_of(start), src.line_of(i)))
                start = None
            depth = max(depth, 0)
    return found


def _function_name_before(code, brace):
    j = brace - 1
    while j >= 0 and code[j].isspace():
        j -= 1
    if j < 0 or code[j] != ")":
        return None
    level = 0
    while j >= 0:
        if code[j] == ")":
            level += 1
        elif code[j] == "(":
            level -= 1
            if level == 0:
                break
        j -= 1
    j -= 1
    while j >= 0 and code[j].isspace():
        j -= 1
    m = re.search(r"[A-Za-z_]\w*$", code[max(0, j - 200) : j + 1])
    if not m or m.group(0) in NOT_FUNCTION_NAMES:
        return None
    return m.group(0)
