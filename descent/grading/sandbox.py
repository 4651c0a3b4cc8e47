"""How a learner's code is started: inside bubblewrap when it works here, else a plain process.

Both ways get a fresh empty working directory, resource limits (memory, CPU time, file size)
and their own process group. Bubblewrap adds what a plain process cannot: no network, a
read-only view of only the system, the Python environment and the course package, so the
learner's code cannot see the solutions, the hidden tests or other submissions.
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import descent

BWRAP = "bubblewrap (no network, read-only system, solutions and grader data invisible)"
PROCESS = "separate process only (bubblewrap unavailable: no network or file isolation)"


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission."""

    memory_bytes: int = 2 * 2**30
    seconds_per_test: float = 10.0
    seconds_per_setup: float = 60.0  # running the notebook's cells
    seconds_per_submission: float = 120.0
    file_bytes: int = 64 * 2**20


@functools.cache
def bwrap_works() -> bool:
    """Whether bubblewrap is installed and can start a process here."""
    if not shutil.which("bwrap"):
        return False
    probe = subprocess.run(
        ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"], capture_output=True, timeout=30
    )
    return probe.returncode == 0


def isolation(requested: str = "auto") -> str:
    """The isolation to use: ``bwrap``, ``process`` or ``auto`` (bwrap when it works)."""
    if requested == "bwrap" and not bwrap_works():
        raise RuntimeError(
            "bubblewrap was requested but does not work here (apt-get install bubblewrap)"
        )
    if requested == "auto":
        return "bwrap" if bwrap_works() else "process"
    return requested


def _bwrap_prefix(workdir: Path) -> list[str]:
    """Bubblewrap's arguments. Later mounts cover earlier ones, so /tmp comes first: the
    course may itself live under /tmp (a CI clone), and its binds must stay visible."""
    package = Path(descent.__file__).resolve().parent
    readable = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), package}
    args = [
        "bwrap",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for top in ("/lib", "/lib64", "/bin", "/etc/alternatives", "/etc/ld.so.cache"):
        args += ["--ro-bind-try", top, top]
    for path in sorted(readable):
        args += ["--ro-bind", str(path), str(path)]
    args += ["--bind", str(workdir), "/submission", "--chdir", "/submission"]
    return args + ["--unshare-all", "--die-with-parent", "--new-session"]


def _environment(home: str) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": home,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "LANG": "C.UTF-8",
    }


def _limit(limits: Limits):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        cpu = int(limits.seconds_per_submission) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if os.getuid() != 0:  # root ignores this limit; a kill of the group ends forks then
            resource.setrlimit(resource.RLIMIT_NPROC, (256, 256))

    return apply


def start(kind: str, workdir: Path, limits: Limits) -> subprocess.Popen:
    """Start the harness in ``workdir``, isolated as ``kind`` says."""
    harness = [sys.executable, "-I", "-m", "descent.grading.harness"]
    if kind == "bwrap":
        command, home = _bwrap_prefix(workdir) + harness, "/submission"
    else:
        command, home = harness, str(workdir)
    return subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=workdir,
        env=_environment(home),
        preexec_fn=_limit(limits),
        start_new_session=True,
    )
