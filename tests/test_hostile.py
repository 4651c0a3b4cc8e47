"""The grader against hostile submissions (tests/hostile), each graded beside an honest one.

One batch grades every attack at once, in the sandbox. Afterwards: the batch wrote every
report, the honest neighbour kept full marks, each attack got its expected score and a clear
message, the limits held, and nothing of a submission is left on disk or running.
"""

import csv
import errno
import json
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from descent.grading import grade, gradescope, report, sandbox, seccomp
from tests.conftest import ROOT
from tests.hostile import ATTACKS, RELAY, Attack, build, odd_files
from tests.test_grading import hidden_numbers, scores

SOLUTION = ROOT / "solutions" / "gradient_descent.ipynb"
LIMITS = sandbox.Limits(seconds_per_test=2.0, seconds_per_setup=20.0, seconds_per_submission=40.0)
needs_sandbox = pytest.mark.skipif(
    not sandbox.bwrap_works(), reason="the sandbox needs bubblewrap, run as root"
)


def leftovers() -> set[str]:
    return {p.name for p in Path("/tmp").glob("descent-*")}


def sandbox_processes() -> list[int]:
    """Living processes of the sandbox users (zombies are dead, waiting for init to reap)."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                uid = entry.stat().st_uid
                state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if sandbox.UID_BASE <= uid < sandbox.UID_BASE + 1000 and state not in "ZX":
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Every attack and odd file, with an honest submission, graded in one batch."""
    folder = tmp_path_factory.mktemp("hostile") / "in"
    folder.mkdir()
    honest = folder / "honest.ipynb"
    honest.write_bytes(SOLUTION.read_bytes())
    for attack in ATTACKS:
        build(folder, SOLUTION, attack)
    odd = odd_files(folder, SOLUTION)
    before, started = leftovers(), time.monotonic()
    out = folder.parent / "out"
    results = grade.grade(
        [folder], out, ROOT, jobs=2, exercise_set="gradient_descent", limits=LIMITS
    )
    seconds = time.monotonic() - started
    return {g.submission: g for g in results}, out, odd, before, seconds, len(results)


def text_of(graded) -> str:
    return " ".join([t.output for t in graded.tests] + graded.problems)


@needs_sandbox
def test_the_batch_completes_and_the_honest_neighbour_keeps_full_marks(batch):
    graded, out, odd, _, seconds, count = batch
    assert count == len(ATTACKS) + len(odd) + 1
    assert graded["honest"].score == pytest.approx(4.0)
    assert graded["honest"].problems == []
    rows = list(csv.reader((out / "grades.csv").open(encoding="utf-8")))
    assert len(rows) == count + 1
    assert len(list((out / "results").glob("*.json"))) == count  # one each, none overwritten
    assert (out / "summary.txt").read_text(encoding="utf-8").count("\n") == count + 4
    print(f"{count} submissions graded in {seconds:.1f} s")


@needs_sandbox
@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_each_attack_gets_its_score_and_a_clear_message(batch, attack):
    graded = batch[0][attack.name]
    got = scores(graded)
    assert got.get("update_parameters_with_gd", 0.0) == pytest.approx(attack.gd), text_of(graded)
    assert got.get("numerical_gradient", 0.0) == pytest.approx(attack.ng), text_of(graded)
    if attack.says:
        assert any(s in text_of(graded) for s in attack.says), text_of(graded)[:600]


@needs_sandbox
def test_the_escape_probe_is_refused(batch):
    text = text_of(batch[0]["escape_probe"])
    probe = text[text.index("PROBE") :].split(".")[0].split()
    found = dict(item.split("=", 1) for item in probe[1:] if "=" in item)
    assert found["remount"] == "EPERM" and found["unshare"] == "EPERM", probe
    writes = [item for item in probe if item.startswith("write")]
    assert len(writes) == 5 and all(w.split("=")[1] in ("EROFS", "EACCES", "EPERM") for w in writes)
    assert found["procsys"] in ("EROFS", "EACCES", "EPERM")
    assert int(found["uid"]) >= sandbox.UID_BASE
    assert not list(Path(sys.prefix).rglob("descent-pwned.pth"))


@needs_sandbox
def test_limits_hold_and_nothing_is_left_behind(batch):
    graded, _, _, before, _, _ = batch
    assert all(g.seconds <= LIMITS.seconds_per_submission + 10 for g in graded.values())
    assert leftovers() <= before  # no work folder, no mount points
    deadline = time.monotonic() + 5
    while sandbox_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sandbox_processes() == []
    assert "FORKS NOT LIMITED" not in text_of(graded["fork_bomb"])
    assert "DISK NOT LIMITED" not in text_of(graded["fills_the_disk"])


@needs_sandbox
def test_hidden_inputs_and_hidden_errors_stay_hidden(batch):
    graded, out, _, _, _, _ = batch
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()]
    from descent.grading.assignment import load_assignments

    leaked = [n for n in hidden_numbers(load_assignments(ROOT)) if any(n in t for t in texts)]
    assert not leaked
    for name in ("exit_code_in_hidden_tests", "hidden_input_snoop"):
        hidden = [t.output for t in graded[name].tests if "hidden" in t.name]
        assert hidden and not any("77" in o or "SNOOP" in o for o in hidden), hidden


@needs_sandbox
def test_odd_files_are_refused_or_named_safely(batch):
    graded, out, odd, _, _, _ = batch
    assert graded["link_to_solution"].score == 0
    assert "symbolic link" in text_of(graded["link_to_solution"])
    assert graded["fifo"].score == 0 and "not a regular file" in text_of(graded["fifo"])
    for name in ("=HYPERLINK(1)", "@SUM(1)", "+1", "-1", "a" * 245, "x/gradient_descent"):
        assert graded[name].score == pytest.approx(4.0), name
    assert graded[os.fsdecode(b"caf\xe9")].score == pytest.approx(4.0)
    cells = [row[0] for row in csv.reader((out / "grades.csv").open(encoding="utf-8"))]
    assert not any(c[:1] in "=+-@" for c in cells)
    assert "'=HYPERLINK(1)" in cells and "caf\\udce9" in cells
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert not [line for line in summary.split("\n") if line.startswith("forged 9.99")], summary
    assert "evil\\nforged" in summary
    names = [p.name for p in (out / "results").iterdir()]
    assert max(len(n) for n in names) <= 120


def test_a_batch_of_mixed_sets_is_refused_without_set(tmp_path):
    (tmp_path / "a.ipynb").write_bytes(SOLUTION.read_bytes())
    (tmp_path / "b.ipynb").write_bytes((ROOT / "exercises" / "minibatches.ipynb").read_bytes())
    with pytest.raises(grade.SetMismatch, match="gradient_descent \\(1\\), minibatches \\(1\\)"):
        grade.grade([tmp_path], tmp_path / "out", ROOT)


def test_auto_isolation_refuses_to_grade_unsandboxed(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: False)
    with pytest.raises(sandbox.Unsandboxed, match="--allow-unsandboxed"):
        grade.grade([SOLUTION], tmp_path / "out", ROOT, exercise_set="gradient_descent")
    assert sandbox.isolation("auto", allow_unsandboxed=True) == "process"
    assert not (tmp_path / "out").exists()
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "a.ipynb").write_bytes(SOLUTION.read_bytes())
    path = gradescope.run_autograder(
        ROOT, tmp_path / "submission", tmp_path / "results", "gradient_descent"
    )
    result = json.loads(path.read_text())
    assert result["score"] == 0 and "cannot grade safely" in result["output"]


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_the_seccomp_filter_refuses_mounts_and_namespaces(machine):
    code = seccomp.program(machine)
    instructions = [struct.unpack("=HBBI", code[i : i + 8]) for i in range(0, len(code), 8)]
    numbers = seccomp.NUMBERS[machine]
    for name in ("mount", "umount2", "pivot_root", "unshare", "setns", "keyctl", "bpf", "ptrace"):
        at = instructions.index((seccomp.JEQ, 0, 1, numbers[name]))
        assert instructions[at + 1] == (seccomp.RET, 0, 0, 0x00050000 | errno.EPERM), name
    assert instructions[-1] == (seccomp.RET, 0, 0, seccomp.ALLOW)
    assert len(instructions) < 256  # jumps are one byte


@needs_sandbox
def test_gradescope_grades_the_configured_set_not_the_claimed_one(tmp_path):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "minibatches.ipynb").write_bytes(SOLUTION.read_bytes())
    path = gradescope.run_autograder(
        ROOT, tmp_path / "submission", tmp_path / "results", "minibatches"
    )
    result = json.loads(path.read_text())
    assert result["score"] == 0 and "not 'minibatches'" in result["output"]
    assert sum(t["max_score"] for t in result["tests"]) == pytest.approx(3.0)
    unconfigured = gradescope.run_autograder(ROOT, tmp_path / "submission", tmp_path / "r2")
    assert "not configured" in json.loads(unconfigured.read_text())["output"]


DAEMON = """
import os, time
def _daemon(target):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(3)
            open(target, "w").write("pwned")
        os._exit(0)
"""


def test_process_mode_kills_daemons_before_it_reports(tmp_path):
    target = tmp_path / "out" / "grades.csv"
    nb = json.loads(SOLUTION.read_text())
    cell = next(c for c in nb["cells"] if c.get("id") == "update_parameters_with_gd")
    source = "".join(cell["source"])
    source = source.replace(
        "def update_parameters_with_gd", DAEMON + "\ndef update_parameters_with_gd"
    ).replace("    L = len(parameters) // 2", f"    _daemon({str(target)!r})\n    L = 0", 1)
    cell["source"] = source
    (tmp_path / "daemon.ipynb").write_text(json.dumps(nb))
    grade.grade(
        [tmp_path / "daemon.ipynb"],
        tmp_path / "out",
        ROOT,
        exercise_set="gradient_descent",
        isolation="process",
        limits=LIMITS,
    )
    written = target.read_text()
    time.sleep(4)
    assert target.read_text() == written and "pwned" not in written
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "descent.grading" not in ps


def test_report_names_are_escaped():
    assert report.csv_cell("=1+1") == "'=1+1" and report.csv_cell("a\nb") == "a\\nb"
    assert report.clean("\ud800") == "\\ud800"
    assert len(report.short("x" * 500)) == 80
    assert report.short("x" * 500) != report.short("x" * 499 + "y")


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found = [root]
    for pid in found:
        found += [child for child, parent in parents.items() if parent == pid]
    return found


@needs_sandbox
def test_the_sandbox_runs_as_an_unprivileged_host_user_without_capabilities():
    with sandbox.started("bwrap", LIMITS) as process:
        deadline = time.monotonic() + 10
        while len(_tree(process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        tree = _tree(process.pid)
        uids = {os.stat(f"/proc/{pid}").st_uid for pid in tree}
        status = Path(f"/proc/{tree[-1]}/status").read_text()
    assert len(tree) >= 3 and all(uid >= sandbox.UID_BASE for uid in uids), uids
    assert "CapEff:\t0000000000000000" in status and "Seccomp:\t2" in status


def test_two_batches_never_share_a_sandbox_user():
    with sandbox._slot() as slot:  # held here; another grader process must pick another
        claim = "from descent.grading import sandbox\nwith sandbox._slot() as s: print(s)"
        other = subprocess.run([sys.executable, "-c", claim], capture_output=True, text=True)
        assert int(other.stdout) != slot, other.stderr


@needs_sandbox
def test_hidden_inputs_stolen_before_the_fork_reach_no_report(tmp_path):
    """Code run with the cells keeps copies of the hidden child's pipes and of the visible
    channel, then relays what arrives on the hidden input to both: nothing of it is shown
    (the hidden tests it robbed of their input fail, which costs only this learner)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "honest.ipynb").write_bytes(SOLUTION.read_bytes())
    build(tmp_path / "in", SOLUTION, Attack("relay", RELAY))
    graded = {
        g.submission.split(".")[0]: g
        for g in grade.grade([tmp_path / "in"], tmp_path / "out", ROOT, limits=LIMITS)
    }
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert texts and not any("STOLEN" in t for t in texts)
    assert graded["honest"].score == graded["honest"].max_score
    visible = [t for t in graded["relay"].tests if "hidden" not in t.name]
    assert visible and all(t.score == t.max_score for t in visible)
