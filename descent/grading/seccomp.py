"""A seccomp filter for the sandbox, written as a classic BPF program (no library needed).

Bubblewrap loads it (``--seccomp FD``) just before it starts the learner's code. The filter
refuses, with EPERM, the system calls that could change the sandbox from inside: mounts,
namespaces, kernel keyrings, BPF, tracing other processes, kernel modules and the clock.
``clone`` stays allowed for threads and processes, but not with flags that create namespaces;
``clone3`` answers ENOSYS so that the C library falls back to ``clone``. A system call of
another architecture (32-bit calls on a 64-bit kernel) ends the process.
"""

from __future__ import annotations

import errno
import os
import platform
import struct

DENIED = (
    "mount umount2 pivot_root chroot unshare setns mount_setattr open_tree move_mount fsopen "
    "fsconfig fsmount fspick keyctl add_key request_key bpf ptrace process_vm_readv "
    "process_vm_writev pidfd_getfd perf_event_open userfaultfd kexec_load kexec_file_load "
    "init_module finit_module delete_module open_by_handle_at name_to_handle_at swapon swapoff "
    "reboot acct quotactl syslog settimeofday clock_settime clock_adjtime adjtimex sethostname "
    "setdomainname lookup_dcookie vhangup io_uring_setup io_uring_enter io_uring_register"
).split()

# System call numbers, from <asm/unistd_64.h> (x86_64) and <asm-generic/unistd.h> (aarch64).
NUMBERS = {
    "x86_64": {
        "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272,
        "setns": 308, "mount_setattr": 442, "open_tree": 428, "move_mount": 429, "fsopen": 430,
        "fsconfig": 431, "fsmount": 432, "fspick": 433, "keyctl": 250, "add_key": 248,
        "request_key": 249, "bpf": 321, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "pidfd_getfd": 438, "perf_event_open": 298,
        "userfaultfd": 323, "kexec_load": 246, "kexec_file_load": 320, "init_module": 175,
        "finit_module": 313, "delete_module": 176, "open_by_handle_at": 304,
        "name_to_handle_at": 303, "swapon": 167, "swapoff": 168, "reboot": 169, "acct": 163,
        "quotactl": 179, "syslog": 103, "settimeofday": 164, "clock_settime": 227,
        "clock_adjtime": 305, "adjtimex": 159, "sethostname": 170, "setdomainname": 171,
        "lookup_dcookie": 212, "vhangup": 153, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "iopl": 172, "ioperm": 173, "clone": 56, "clone3": 435,
    },
    "aarch64": {
        "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268,
        "mount_setattr": 442, "open_tree": 428, "move_mount": 429, "fsopen": 430,
        "fsconfig": 431, "fsmount": 432, "fspick": 433, "keyctl": 219, "add_key": 217,
        "request_key": 218, "bpf": 280, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "pidfd_getfd": 438, "perf_event_open": 241,
        "userfaultfd": 282, "kexec_load": 104, "kexec_file_load": 294, "init_module": 105,
        "finit_module": 273, "delete_module": 106, "open_by_handle_at": 265,
        "name_to_handle_at": 264, "swapon": 224, "swapoff": 225, "reboot": 142, "acct": 89,
        "quotactl": 60, "syslog": 116, "settimeofday": 170, "clock_settime": 112,
        "clock_adjtime": 266, "adjtimex": 171, "sethostname": 161, "setdomainname": 162,
        "lookup_dcookie": 18, "vhangup": 58, "io_uring_setup": 425, "io_uring_enter": 426,
        "io_uring_register": 427, "clone": 220, "clone3": 435,
    },
}  # fmt: skip
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
X32_BIT = 0x40000000  # x86_64 system calls of the x32 ABI carry this bit
CLONE_NEW_FLAGS = 0x7E020080  # CLONE_NEW{NS,CGROUP,UTS,IPC,USER,PID,NET,TIME}

LOAD, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06  # BPF_LD|W|ABS, BPF_JMP|..|K, BPF_RET|K
ALLOW, KILL = 0x7FFF0000, 0x80000000
OFFSET_NR, OFFSET_ARCH, OFFSET_ARG0 = 0, 4, 16  # fields of struct seccomp_data


def _errno(code: int) -> int:
    return 0x00050000 | code  # SECCOMP_RET_ERRNO


def program(machine: str | None = None) -> bytes:
    """The filter for this machine's architecture, as bytes of ``struct sock_filter``."""
    machine = machine or platform.machine()
    if machine not in NUMBERS:
        raise RuntimeError(f"no seccomp filter for the {machine} architecture")
    nr = NUMBERS[machine]
    code = [(LOAD, 0, 0, OFFSET_ARCH), (JEQ, 1, 0, AUDIT_ARCH[machine]), (RET, 0, 0, KILL)]
    code.append((LOAD, 0, 0, OFFSET_NR))
    if machine == "x86_64":
        code += [(JGE, 0, 1, X32_BIT), (RET, 0, 0, KILL)]
    denied = [nr[name] for name in DENIED] + [nr[n] for n in ("iopl", "ioperm") if n in nr]
    for number in denied:
        code += [(JEQ, 0, 1, number), (RET, 0, 0, _errno(errno.EPERM))]
    code += [(JEQ, 0, 1, nr["clone3"]), (RET, 0, 0, _errno(errno.ENOSYS))]
    code += [
        (JEQ, 0, 3, nr["clone"]),
        (LOAD, 0, 0, OFFSET_ARG0),
        (JSET, 0, 1, CLONE_NEW_FLAGS),
        (RET, 0, 0, _errno(errno.EPERM)),
        (RET, 0, 0, ALLOW),
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in code)


def program_fd(machine: str | None = None) -> int:
    """A file descriptor, at offset 0, that holds the filter (for ``bwrap --seccomp FD``)."""
    fd = os.memfd_create("descent-seccomp")
    os.write(fd, program(machine))
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
