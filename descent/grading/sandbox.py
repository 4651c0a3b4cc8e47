"""How a learner's code is started: inside bubblewrap when it works here, else a plain process.

Under bubblewrap (the default) the learner's process runs as an unprivileged host user of its
own (one per worker slot, never root), without capabilities, under a seccomp filter that
refuses mounts, namespaces, tracing and kernel keyrings (:mod:`descent.grading.seccomp`), with
no network and a read-only view of only the system, the Python environment and the course
package: the solutions, the hidden tests and other submissions do not exist there. Its working
folder, /tmp and /dev/shm are small tmpfs that vanish with it (the rest of /dev is read-only),
and its number of processes is capped (the limit holds for a non-root user). When it ends,
every process of its user is killed.

A plain process (``process``) gets the same resource limits, a fresh working folder and its own
session, but no isolation: it is used only when asked for, or with ``allow_unsandboxed``.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import importlib.metadata
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import descent
from descent.grading import seccomp, warmup

BWRAP = (
    "bubblewrap (unprivileged user, no capabilities, seccomp, no network, read-only system; "
    "solutions and grader data invisible)"
)
PROCESS = "separate process only (UNSANDBOXED: no network, file or user isolation)"
UID_BASE = 2_100_000_000  # sandbox users: UID_BASE + worker slot (no passwd entry needed)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission, all enforced from outside the learner's process."""

    memory_bytes: int = 2 * 2**30  # address space of each process
    seconds_per_test: float = 10.0
    seconds_per_setup: float = 60.0  # running the notebook's cells
    seconds_per_submission: float = 120.0
    file_bytes: int = 64 * 2**20  # largest file a process may write
    disk_bytes: int = 64 * 2**20  # size of each tmpfs: the working folder, /tmp, /dev/shm
    processes: int = 256  # processes and threads of the sandbox's user
    line_bytes: int = 4 * 2**20  # longest report line read from the child
    output_bytes: int = 32 * 2**20  # all report lines of one child together


class Unsandboxed(RuntimeError):
    """Raised when no working sandbox exists and unsandboxed grading was not allowed."""


_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, MS_BIND, MS_REC, MS_PRIVATE = 0x20000, 4096, 16384, 1 << 18
PR_SET_CHILD_SUBREAPER = 36


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def _python() -> str:
    """This Python's interpreter, by a path inside its environment (not via a symlink to it)."""
    inside = Path(sys.prefix).resolve() / "bin" / Path(sys.executable).name
    return str(inside if inside.exists() else Path(sys.executable))


def _readable() -> list[Path]:
    """Folders the sandbox shows read-only at their own paths: Python and the course package."""
    package = Path(descent.__file__).resolve().parent
    return sorted({Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), package})


@functools.cache
def bwrap_works() -> bool:
    """Whether the full sandbox (unprivileged user, seccomp, tmpfs) starts Python here."""
    if not shutil.which("bwrap"):
        return False
    try:
        with _started(["-c", "import os; assert os.getuid() != 0"], Limits(), 0) as process:
            process.communicate(timeout=60)
            return process.returncode == 0
    except (OSError, subprocess.SubprocessError, RuntimeError):
        return False


def isolation(requested: str = "auto", allow_unsandboxed: bool = False) -> str:
    """The isolation to use: ``bwrap``, ``process``, or ``auto`` (bwrap, which must work
    unless ``allow_unsandboxed`` lets it fall back to a plain process)."""
    if requested == "process":
        return "process"
    if bwrap_works():
        return "bwrap"
    why = (
        "the sandbox does not work here: it needs bubblewrap (apt-get install bubblewrap), "
        "root to start it as an unprivileged user, and a kernel with user namespaces and seccomp"
    )
    if requested == "bwrap" or not allow_unsandboxed:
        raise Unsandboxed(
            f"{why}. Refusing to run submissions unsandboxed: pass --allow-unsandboxed "
            "(or --isolation process) to grade in plain processes, only for code you trust"
        )
    return "process"


def _bwrap_arguments(views: list[tuple[str, Path]], limits: Limits, seccomp_fd: int) -> list:
    """Bubblewrap's arguments. Later mounts cover earlier ones, so /tmp comes first: the
    course may itself live under /tmp (a CI clone), and its binds must stay visible."""
    size = str(limits.disk_bytes)
    args = ["bwrap", "--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/dev/shm"]
    args += ["--remount-ro", "/dev", "--size", size, "--tmpfs", "/tmp"]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("/lib", "/lib64", "/bin", "/etc/alternatives", "/etc/ld.so.cache"):
        args += ["--ro-bind-try", top, top]
    for view, path in views:
        args += ["--ro-bind", view, str(path)]
    args += ["--size", size, "--tmpfs", "/submission", "--chdir", "/submission"]
    args += ["--dir", f"/submission/{warmup.CONFIG}"]
    if fonts := warmup.font_list():
        args += ["--ro-bind", str(fonts), f"/submission/{warmup.CONFIG}/{fonts.name}"]
    args += ["--remount-ro", "/", "--unshare-all", "--unshare-user", "--disable-userns"]
    args += ["--cap-drop", "ALL", "--seccomp", str(seccomp_fd)]
    return args + ["--die-with-parent", "--new-session"]


def _environment(home: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": f"{home}/{warmup.CONFIG}",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }


def _set_limits(limits: Limits, count_processes: bool = True) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.seconds_per_submission) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if count_processes:  # counts every process of the user: only for a user of its own
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


def _enter_sandbox_user(views: list[tuple[str, Path]], uid: int, limits: Limits):
    """What the forked child does before it runs bubblewrap: in a private mount namespace,
    show each readable folder at a path the sandbox user may reach (its real path may lie
    below a folder that user cannot enter, like /root), then become that user."""

    def apply() -> None:
        _check(_libc.unshare(CLONE_NEWNS), "unshare")
        _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount private")
        for view, path in views:
            _check(_libc.mount(os.fsencode(path), os.fsencode(view), None, MS_BIND, None), view)
        _set_limits(limits)
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)

    return apply


@contextlib.contextmanager
def _started(harness_args: list[str], limits: Limits, slot: int, fds: tuple[int, ...] = ()):
    """A sandboxed Python process running ``harness_args``. Started by root, it runs as the
    user of worker ``slot`` (every process of that user is killed on leaving); started by
    another user, as that user (bubblewrap then needs unprivileged user namespaces)."""
    privileged, uid = os.getuid() == 0, UID_BASE + slot
    folder = Path(tempfile.mkdtemp(prefix="descent-view-")) if privileged else None
    views = []
    for i, path in enumerate(_readable()):
        if folder is None:
            views.append((str(path), path))
            continue
        (folder / str(i)).mkdir(mode=0o755)
        views.append((str(folder / str(i)), path))
    if folder is not None:
        folder.chmod(0o755)
        prepare = _enter_sandbox_user(views, uid, limits)
    else:
        prepare = functools.partial(_set_limits, limits, count_processes=False)
    seccomp_fd = seccomp.program_fd()
    command = _bwrap_arguments(views, limits, seccomp_fd) + [_python(), "-I", *harness_args]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd="/",
            env=_environment("/submission"),
            preexec_fn=prepare,
            start_new_session=True,
            pass_fds=(seccomp_fd, *fds),
        )
    finally:
        for fd in (seccomp_fd, *fds):
            os.close(fd)
    try:
        yield process
    finally:
        stop(process)
        if folder is not None:
            kill_user(uid)
            with contextlib.suppress(OSError):  # empty folders: the mounts were the child's
                for view, _ in views:
                    os.rmdir(view)
                folder.rmdir()


def kill_user(uid: int, patience: float = 5.0) -> None:
    """Kill every process of ``uid`` until none is left (forks included)."""
    deadline = time.monotonic() + patience
    while (pids := _processes_of(uid)) and time.monotonic() < deadline:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)


def _processes_of(uid: int) -> list[int]:
    """The living processes of ``uid`` (zombies are dead already: their parent reaps them)."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if entry.stat().st_uid == uid:
                    stat = Path(entry.path, "stat").read_text()
                    if stat.rsplit(")", 1)[1].split()[0] not in "ZX":
                        found.append(int(entry.name))
    return found


def stop(process: subprocess.Popen) -> None:
    """Kill the child's process group and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for stream in (process.stdin, process.stdout):
        with contextlib.suppress(OSError):
            stream.close()


# --- plain processes (no sandbox) -------------------------------------------------------------

_registry_lock = threading.Lock()
_ours: set[int] = set()  # grader-started children that are running now
_before: set[int] = set()  # children the host process had before process-mode grading began
_adopting: list[bool] = []  # not empty while a plain-process batch adopts orphans


def _children() -> set[int]:
    """Processes whose parent is this process."""
    me, found = os.getpid(), set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                    found.add(int(entry.name))
    return found


def adopt_orphans() -> None:
    """Make this process the parent of orphaned descendants (so that none can escape)."""
    _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl")
    with _registry_lock:
        _before.update(_children())
        _adopting.append(True)


def release_orphans() -> None:
    """Stop adopting orphans (after a plain-process batch)."""
    _check(_libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0), "prctl")
    with _registry_lock:
        _adopting.clear()
        _before.clear()


def kill_orphans(patience: float = 5.0) -> None:
    """Kill descendants that outlived their plain-process child (setsid daemons included)."""
    deadline = time.monotonic() + patience
    while _adopting and time.monotonic() < deadline:
        with _registry_lock:
            strays = _children() - _ours - _before
        if not strays:
            return
        for pid in strays:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _remove_tree(folder: Path) -> None:
    """Delete a folder however deep it is nested (no recursion in this process)."""
    subprocess.run(["rm", "-rf", "--one-file-system", "--", str(folder)], check=False)


@contextlib.contextmanager
def _plain(harness_args: list[str], limits: Limits, fds: tuple[int, ...]):
    folder = Path(tempfile.mkdtemp(prefix="descent-submission-"))
    (folder / warmup.CONFIG).mkdir()
    if fonts := warmup.font_list():
        shutil.copy(fonts, folder / warmup.CONFIG)

    def apply() -> None:
        _set_limits(limits)

    with _registry_lock:
        try:
            process = subprocess.Popen(
                [_python(), "-I", *harness_args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=folder,
                env=_environment(str(folder)),
                preexec_fn=apply,
                start_new_session=True,
                pass_fds=fds,
            )
        finally:
            for fd in fds:
                os.close(fd)
        _ours.add(process.pid)
    try:
        yield process
    finally:
        stop(process)
        with _registry_lock:
            _ours.discard(process.pid)
        kill_orphans()
        _remove_tree(folder)


SLOT_LOCKS = Path(tempfile.gettempdir()) / ".descent-grader-slots"  # shared by all batches


@contextlib.contextmanager
def _slot():
    """A worker slot no other running child holds, in this batch or in any other batch on
    this machine (a lock file per slot): its sandbox user is this child's alone, so that
    stopping it never kills another batch's children."""
    SLOT_LOCKS.mkdir(mode=0o700, exist_ok=True)
    slot = 0
    while True:
        slot += 1
        handle = os.open(SLOT_LOCKS / str(slot), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            os.close(handle)
    try:
        yield slot
    finally:
        os.close(handle)  # releases the lock


def _package_parent() -> str:
    """The folder holding the grader's own ``descent`` package."""
    return str(Path(descent.__file__).resolve().parent.parent)


def _child_code(code: str) -> list[str]:
    """Python's arguments that run ``code`` with the grader's ``descent`` first on the path."""
    return ["-c", f"import sys; sys.path.insert(0, {_package_parent()!r}); {code}"]


HARNESS = "from descent.grading import harness; harness.main()"
PROBE = (
    "import json, descent, importlib.metadata as m\n"
    "try:\n    version = m.version('descent')\nexcept Exception:\n    version = ''\n"
    "print(json.dumps([descent.__file__, version]))"
)


class WrongPackage(RuntimeError):
    """The sandboxed child imports another ``descent`` than the grader."""


def _identity() -> list[str]:
    """The grader's own ``descent``: its file and installed version."""
    try:
        version = importlib.metadata.version("descent")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return [str(Path(descent.__file__).resolve()), version]


def check_package(kind: str, limits: Limits) -> None:
    """Raise WrongPackage unless a child started as the submissions' are imports the very
    ``descent`` (same file, same version) the grader runs: otherwise every submission would
    fail for a reason that is not the learner's."""
    with started(kind, limits, PROBE) as process:
        try:
            out, _ = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            out = b""
    try:
        found = json.loads(out.decode("utf-8", "replace").strip().splitlines()[-1])
        found[0] = str(Path(found[0]).resolve())
    except (ValueError, IndexError, TypeError, OSError):
        found = None
    if found != _identity():
        seen = f"{found[0]} (version {found[1] or 'unknown'})" if found else "nothing it reported"
        raise WrongPackage(
            f"the grading child does not import the grader's descent package: the grader runs "
            f"{_identity()[0]} (version {_identity()[1] or 'unknown'}), the child found {seen} "
            f"(exit code {process.returncode}). Install the course package in the environment "
            "that runs the grader, or run the grader from the course checkout"
        )


@contextlib.contextmanager
def started(kind: str, limits: Limits, code: str = HARNESS, fds: tuple[int, ...] = ()):
    """The running harness (or ``code``), isolated as ``kind`` says; everything of it is gone
    on leaving. ``fds`` are handed to it under the same numbers and closed here once it has
    them (so that the grader sees the end of a pipe when the child's end is closed)."""
    harness_args = _child_code(code)
    if kind != "bwrap":
        with _plain(harness_args, limits, fds) as process:
            yield process
        return
    with _slot() as slot, _started(harness_args, limits, slot, fds) as process:
        yield process
