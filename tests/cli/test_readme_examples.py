"""The README's command-line examples, run line by line on a fresh demo, exactly as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from minqing.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- cli-examples -->", 1)[1].split("```", 2)[1]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_every_readme_example_runs_on_a_fresh_demo(db_path, capsys, monkeypatch):
    lines = readme_examples()
    assert lines[0].startswith("minqing demo") and len(lines) >= 10
    outputs = {}
    for line in lines:
        words = shlex.split(line)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            monkeypatch.setenv(name, value)
            continue
        assert words[0] == "minqing", line
        code = main(["--db", str(db_path), *words[1:]])
        out, err = capsys.readouterr()
        assert code == 0, f"{line}\n{err}"
        outputs[line] = out
    said = "\n".join(outputs.values())
    assert "已受理：" in said and "已转到“办理”" in said
    show = next(out for line, out in outputs.items() if " case show " in line)
    assert show.startswith("编号：2026-00042")
    # Chinese labels only: no `reply_method: visit` style lines.
    assert not re.search(r"^[a-z_]+\s*:", show, re.M)
    search = next(out for line, out in outputs.items() if line.endswith("search 杨艳倩"))
    assert "杨艳倩" in search
    initials = next(out for line, out in outputs.items() if line.endswith("search yyq"))
    assert "杨艳倩" in initials
