# ruff: noqa: E501 - the table of attacks keeps one attack per line
"""Hostile submissions for the grader's tests: each attack of the security review, as code.

Every attack is a copy of the gradient-descent solution with the graded function
``update_parameters_with_gd`` (2 points) changed; ``numerical_gradient`` (2 points) stays
right, so each hostile notebook should still score its 2 points there.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from descent import notebooks as nbs

GD = "update_parameters_with_gd"
DEF = "def update_parameters_with_gd"
BODY = "    L = len(parameters) // 2"
RETURN = "    return parameters"
STEP = 'parameters[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]'

CHANNEL = """
import os as _os, stat as _stat, fcntl as _fcntl
def _channel():
    for fd in range(3, 64):
        try:
            mode = _fcntl.fcntl(fd, _fcntl.F_GETFL) & _os.O_ACCMODE
            if _stat.S_ISFIFO(_os.fstat(fd).st_mode) and mode == _os.O_WRONLY:
                return fd
        except OSError:
            pass
def _forge(line):
    _os.write(_channel(), line)
"""

PROBE = """
import ctypes, errno, os, sys
def _probe():
    libc = ctypes.CDLL(None, use_errno=True)
    found = []
    import descent, numpy
    package = os.path.dirname(descent.__file__)
    site = os.path.dirname(os.path.dirname(numpy.__file__))
    code = libc.mount(package.encode(), package.encode(), None, 32 | 4096, None)
    found.append(f"remount={errno.errorcode.get(ctypes.get_errno(), code)}")
    code = libc.unshare(0x10000000 | 0x20000)
    found.append(f"unshare={errno.errorcode.get(ctypes.get_errno(), code)}")
    for folder in (package, site, sys.base_prefix, "/usr/lib", "/etc"):
        try:
            with open(os.path.join(folder, "descent-pwned.pth"), "w") as file:
                file.write("import os")
            found.append(f"write:{folder}=OK")
        except OSError as error:
            found.append(f"write={errno.errorcode[error.errno]}")
    try:
        with open("/proc/sys/vm/swappiness", "w") as file:
            file.write("60")
        found.append("procsys=OK")
    except OSError as error:
        found.append(f"procsys={errno.errorcode[error.errno]}")
    found.append(f"uid={os.getuid()}")
    raise RuntimeError("PROBE " + " ".join(found))
"""

SNOOP = """
import gc, os, sys
def _snoop():
    seen = []
    for obj in gc.get_objects():
        if type(obj).__name__ == "Case":
            seen.append(repr(obj.args)[:300])
    frame = sys._getframe()
    while frame is not None:
        seen.append(repr(frame.f_locals.get("job"))[:300])
        frame = frame.f_back
    try:
        os.set_blocking(0, False)
        seen.append(repr(os.read(0, 1 << 16))[:300])
    except OSError:
        pass
    raise RuntimeError("SNOOP " + " ".join(seen)[:450])
"""

RELAY = """
import os, sys, threading
def _relay():
    frame = sys._getframe()
    while "hidden_fds" not in (frame.f_locals.get("job") or {}):
        frame = frame.f_back
    hidden_in, hidden_out = (os.dup(fd) for fd in frame.f_locals["job"]["hidden_fds"])
    visible = os.dup(frame.f_locals["channel"].fileno())
    def steal():
        data = os.read(hidden_in, 1 << 20)
        line = ('{"key": "x", "error": "STOLEN %s"}\\n' % data.hex()[:3000]).encode()
        for fd in (visible, hidden_out):
            try:
                os.write(fd, line)
            except OSError:
                pass
    threading.Thread(target=steal, daemon=True).start()
_relay()
"""

DISK = """
import os
_filled = []
def _fill():
    if _filled:
        return
    total = 0
    for folder in ("/tmp", ".", "/dev/shm", "/dev"):
        for i in range(40):
            try:
                with open(os.path.join(folder, f"fill{i}"), "wb") as file:
                    file.write(b"x" * (8 * 2**20))
                total += 8 * 2**20
            except OSError:
                break
    _filled.append(total)
    if total > 300 * 2**20:
        raise RuntimeError(f"DISK NOT LIMITED: {total} bytes written")
"""

FOLDERS = """
import os
def _nest():
    home = os.getcwd()
    if os.path.exists("d"):
        return
    for _ in range(1500):
        os.mkdir("d")
        os.chdir("d")
    with open("f", "wb") as file:
        file.write(b"x" * 2**20)
    os.chdir(home)
"""

FORKS = """
import os, time
_forked = []
def _bomb():
    if _forked:
        return
    count = 0
    for _ in range(700):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        count += 1
    _forked.append(count)
    if count >= 600:
        raise RuntimeError(f"FORKS NOT LIMITED: {count}")
"""

KEEPALIVE = (
    CHANNEL
    + """
import threading, time
def _keepalive():
    def beat():
        while True:
            _forge(b'{"ready": true}\\n')
            time.sleep(0.3)
    threading.Thread(target=beat, daemon=True).start()
    time.sleep(25)
"""
)


@dataclass
class Attack:
    """One hostile submission: how it is built and what the grader must make of it."""

    name: str
    helper: str = ""  # code put before the graded function's def, in its cell
    body: str = ""  # a line put at the start of the graded function's body
    replace: tuple = ()  # (old, new) text replacements in the graded function's cell
    gd: float = 0.0  # the points update_parameters_with_gd must get
    says: tuple = ()  # one of these must appear in its tests' outputs or problems
    ng: float = 2.0  # the points numerical_gradient must get
    raw: bytes | None = None  # the file's bytes, instead of an edited solution
    edits: list = field(default_factory=list)


ATTACKS = [
    Attack("escape_probe", PROBE, "    _probe()", says=("PROBE remount=EPERM",)),
    Attack("complex_result", replace=(RETURN, "    return {k: v + 0j for k, v in parameters.items()}"), says=("complex128",)),
    Attack("huge_int_result", replace=(RETURN, "    return 10**400"), says=("too large",)),
    Attack("text_array_result", replace=(RETURN, "    return np.array(['x' * 128])"), says=("dtype <U128",)),
    Attack("lone_surrogate_error", "raise ValueError('bad \\ud800 char')", says=("ValueError: bad",)),
    Attack("in_place_patched_equal", "import numpy\nnumpy.array_equal = lambda *a, **k: True", replace=(STEP, STEP.replace("] = parameters[f\"W{l}\"] -", "] -=")), says=("in place",)),
    Attack("in_place_patched_values", "import descent.values\ndescent.values.arrays = lambda *a, **k: iter(())", replace=(STEP, STEP.replace("] = parameters[f\"W{l}\"] -", "] -=")), says=("in place",)),
    Attack("hidden_input_snoop", SNOOP, "    _snoop()", says=("SNOOP",)),
    Attack("exit_code_in_hidden_tests", body="    import os; os._exit(77)", says=("exited with code 77",)),
    Attack("keepalive_lines", KEEPALIVE, "    _keepalive()", says=("garbled report", "time-out")),
    Attack("twelve_mib_line", CHANNEL, "    _forge(b'[' + b'1,' * (6 * 2**20) + b'1]\\n')", says=("larger than the grader accepts",)),
    Attack("forged_list_line", CHANNEL, "    _forge(b'[]\\n')", says=("garbled report",)),
    Attack("forged_empty_dict_line", CHANNEL, "    _forge(b'{}\\n')", says=("garbled report",)),
    Attack("forged_deep_line", CHANNEL, "    _forge(b'[' * 100000 + b']' * 100000 + b'\\n')", says=("garbled report",)),
    Attack("forged_unknown_dtype", CHANNEL, "    _forge(b'{\"key\": \"k\", \"output\": {\"__ndarray__\": [\"' + b'x' * 4000 + b'\"], \"dtype\": \"<U128\"}, \"inputs\": []}\\n')", says=("garbled report",)),
    Attack("forged_huge_int", CHANNEL, "    _forge(b'{\"key\": \"k\", \"output\": ' + b'9' * 5000 + b', \"inputs\": []}\\n')", says=("garbled report",)),
    Attack("fills_the_disk", DISK, "    _fill()", gd=2.0),
    Attack("nested_folders", FOLDERS, "    _nest()", gd=2.0),
    Attack("fork_bomb", FORKS, "    _bomb()", gd=2.0),
    Attack("source_is_a_number", says=("source is not text",)),
    Attack("metadata_of_wrong_type", gd=2.0),
    Attack("ast_recursion", gd=2.0, says=("cannot be read as Python",)),
    Attack("ast_memory", gd=2.0, says=("cannot be read as Python",)),
    Attack("json_nested_100000_deep", ng=0.0, says=("nested too deeply",), raw=b'{"cells": [], "metadata": ' + b"[" * 100000 + b"]" * 100000 + b"}"),
    Attack("cell_list_of_numbers", ng=0.0, says=("not a Jupyter notebook", "not a notebook cell", "is none of"), raw=b'{"cells": [1, 2, 3], "metadata": {}}'),
]  # fmt: skip


def build(folder: Path, solution: Path, attack: Attack) -> Path:
    """Write ``attack`` as a notebook in ``folder``; return its path."""
    path = folder / f"{attack.name}.ipynb"
    if attack.raw is not None:
        path.write_bytes(attack.raw)
        return path
    nb = nbs.read(solution)
    cell = next(c for c in nb.cells if c.get("id") == GD)
    if attack.helper:
        cell.source = cell.source.replace(DEF, attack.helper + "\n" + DEF)
    if attack.body:
        cell.source = cell.source.replace(BODY, attack.body + "\n" + BODY)
    if attack.replace:
        old, new = attack.replace
        assert old in cell.source, attack.name
        cell.source = cell.source.replace(old, new)
    if attack.name == "metadata_of_wrong_type":
        nb.metadata["descent"] = ["not", "a", "dict"]
    nbs.write(nb, path)
    if attack.name in ("source_is_a_number", "ast_recursion", "ast_memory"):
        raw = json.loads(path.read_text())
        if attack.name == "source_is_a_number":
            next(c for c in raw["cells"] if c.get("id") == GD)["source"] = 42
        else:
            code = "x = " + (
                "1+" * 100000 + "1" if attack.name == "ast_recursion" else "-" * 100000 + "1"
            )
            raw["cells"].append({"cell_type": "code", "id": "bomb", "metadata": {}, "source": code, "outputs": [], "execution_count": None})  # fmt: skip
        path.write_text(json.dumps(raw))
    return path


def odd_files(folder: Path, solution: Path) -> dict[str, Path]:
    """Files whose name or type is the attack: links, FIFOs, names that forge or break reports."""
    data = solution.read_bytes()
    made = {}
    link = folder / "link_to_solution.ipynb"
    link.symlink_to(solution)
    made["link_to_solution"] = link
    fifo = folder / "fifo.ipynb"
    os.mkfifo(fifo)
    made["fifo"] = fifo
    for name in ("evil\nforged 9.99 of 4.00", "=HYPERLINK(1)", "@SUM(1)", "+1", "-1", "a" * 245):
        (folder / f"{name}.ipynb").write_bytes(data)
        made[name] = folder / f"{name}.ipynb"
    undecodable = os.path.join(os.fsencode(folder), b"caf\xe9.ipynb")
    with open(undecodable, "wb") as file:
        file.write(data)
    made[os.fsdecode(b"caf\xe9")] = Path(os.fsdecode(undecodable))
    for sub in ("x", "y"):
        (folder / sub).mkdir()
        (folder / sub / "gradient_descent.ipynb").write_bytes(data)
        made[f"{sub}/gradient_descent"] = folder / sub / "gradient_descent.ipynb"
    (folder / "gradient_descent-2.ipynb").write_bytes(data)
    made["gradient_descent-2"] = folder / "gradient_descent-2.ipynb"
    return made
