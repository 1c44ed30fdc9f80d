"""The README's query examples: each is a block

    <!-- kg query NAME [options] -->   (or: kg sparql -f FILE)
    ...the Markdown table that command prints on the example build...
    <!-- end -->

`tests/test_examples.py` checks every block against a fresh build of
examples/notices; after a reviewed change of the extractors, refresh them with

    python -m tests.readme
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
READMES = (README, ROOT / "examples" / "queries" / "README.md")
BLOCK = re.compile(
    r"<!-- (kg (?:query|sparql) [^>]*?) -->\n(.*?)<!-- end -->", re.DOTALL
)


def query_blocks(text: str) -> list[tuple[str, str]]:
    """(command, table) of every query block of the README text."""
    return [(m[1], m[2].strip()) for m in BLOCK.finditer(text)]


def run_block(command: str, out: Path) -> str:
    """The Markdown table `command` prints against the build in `out`."""
    from click.testing import CliRunner

    from kg.cli import main

    args = shlex.split(command)[1:] + ["-o", str(out), "--format", "markdown"]
    args = [str(ROOT / a) if a.endswith(".rq") else a for a in args]
    result = CliRunner().invoke(main, args)
    if result.exit_code != 0:
        raise RuntimeError(f"{command}: {result.output}")
    return result.output.strip()


def refresh(readmes: tuple[Path, ...] = READMES) -> None:
    from kg.build import build_corpus

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        build_corpus(
            [ROOT / "examples" / "notices"],
            out,
            jobs=1,
            prune=False,
            gazetteers=[],
            progress=False,
            html=False,
        )
        for readme in readmes:
            text = BLOCK.sub(
                lambda m: f"<!-- {m[1]} -->\n{run_block(m[1], out)}\n<!-- end -->",
                readme.read_text(encoding="utf-8"),
            )
            readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    refresh()
    sys.exit(0)
