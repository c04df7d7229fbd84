"""``python -m devart_oracle bench`` and the bench scripts' ``--plot``: argument checks.

Bad input is refused the argparse way (usage, message, status 2) before any
benchmark starts; no benchmark runs here (the scripts that ``bench`` would
run are recorded, not started).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from devart_oracle import __main__ as cli

BENCH = Path(__file__).resolve().parents[2] / "bench"
EXTRA = "pip install 'devart_oracle[bench]'"


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert err.startswith("usage: python -m devart_oracle") and "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "pools,bogus"], "argument --only: expected names from parse, connect, pools, server, devart, got 'bogus'"),
        (["--only", ""], "argument --only: expected names from parse, connect, pools, server, devart, got ''"),
        (["--clients", "1,x"], "argument --clients: expected a whole number of at least 1, got 'x'"),
        (["--clients", "0"], "argument --clients: expected a whole number of at least 1, got '0'"),
        (["--duration", "0"], "argument --duration: expected a number of seconds above 0, got '0'"),
        (["--duration", "inf"], "argument --duration: expected a number of seconds above 0, got 'inf'"),
        (["--plot", ""], "argument --plot: expected a directory for the charts, got an empty path"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bench_refuses_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert message in _refused(["bench", *argv], capsys)


def test_bench_refuses_a_file_as_the_chart_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taken = tmp_path / "taken.png"
    taken.write_bytes(b"")
    err = _refused(["bench", "--plot", str(taken)], capsys)
    assert f"argument --plot: {str(taken)!r} is a file, not a directory" in err


def test_bench_without_matplotlib_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # find_spec() then finds none
    err = _refused(["bench", "--plot", str(tmp_path)], capsys)
    assert "argument --plot: charts need matplotlib, which is not installed" in err and EXTRA in err


def _as_if_matplotlib_were_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """What --plot checks (an importable matplotlib), without needing it: nothing is drawn here."""
    fake = ModuleType("matplotlib")
    fake.__spec__ = importlib.machinery.ModuleSpec("matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib", fake)


class Recorder:
    """Stands in for subprocess.run: records each command, answers with a status."""

    def __init__(self, failing: str = "") -> None:
        self.commands: list[list[str]] = []
        self.failing = failing

    def __call__(self, command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        env = kwargs["env"]
        assert isinstance(env, dict) and env["PYTHONPATH"].split(":")[0] == str(BENCH.parent)
        return subprocess.CompletedProcess(command, 3 if command[1].endswith(self.failing or "-") else 0)


def test_bench_runs_the_chosen_scripts_in_order_and_hands_on_the_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _as_if_matplotlib_were_installed(monkeypatch)
    recorder = Recorder()
    monkeypatch.setattr(cli.subprocess, "run", recorder)
    argv = ["bench", "--only", "server,parse,pools,server", "--plot", str(tmp_path), "--clients", "1,4", "--duration", "0.5"]
    assert cli.main(argv) == 0
    python = sys.executable
    assert recorder.commands == [
        [python, str(BENCH / "bench_server.py"), "--duration", "0.5", "--clients", "1,4", "--plot", str(tmp_path)],
        [python, str(BENCH / "bench_parse.py")],  # it draws no chart: no --plot
        [python, str(BENCH / "bench_pools.py"), "--plot", str(tmp_path)],
    ]
    assert capsys.readouterr().out.splitlines() == ["== bench_server.py ==", "== bench_parse.py ==", "== bench_pools.py =="]


def test_bench_goes_on_after_a_failed_script_and_says_which(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recorder = Recorder(failing="bench_connect.py")
    monkeypatch.setattr(cli.subprocess, "run", recorder)
    assert cli.main(["bench"]) == 1
    assert [Path(command[1]).name for command in recorder.commands] == [
        "bench_parse.py", "bench_connect.py", "bench_pools.py", "bench_server.py", "bench_devart.py"]
    assert recorder.commands[3][2:] == ["--duration", "2.0", "--clients", "1,2,4,8,16"]
    assert capsys.readouterr().err == "bench: failed: bench_connect.py (status 3)\n"


def _harness() -> ModuleType:
    """bench/_harness.py, loaded as the scripts load it."""
    spec = importlib.util.spec_from_file_location("bench_harness_under_test", BENCH / "_harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_charting_script_gets_the_same_plot_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    harness = _harness()
    parser = harness.command_line("a bench.\n\ndetails", charts=("a.png", "b.png"))
    assert "also write a.png, b.png into DIR" in parser.format_help()
    assert "--plot" not in harness.command_line("draws nothing").format_help()
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(SystemExit) as info:
        parser.parse_args(["--plot", str(tmp_path)])
    assert info.value.code == 2 and EXTRA in capsys.readouterr().err


CHARTING = ["bench_connect.py", "bench_pools.py", "bench_server.py", "bench_devart.py"]


def test_charting_scripts_refuse_a_file_for_plot_before_measuring(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("")
    runs = {script: subprocess.Popen([sys.executable, str(BENCH / script), "--plot", str(taken)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for script in CHARTING}  # side by side: each one only starts Python and argparse
    for script, run in runs.items():
        out, err = run.communicate(timeout=60)
        assert run.returncode == 2, (script, out, err)
        assert f"argument --plot: {str(taken)!r} is a file, not a directory" in err, script
        assert out == "", script  # refused before any server started
