"""Google's libphonenumber (`phonenumbers` on PyPI, pinned in requirements.txt) is the oracle
that crates/core/tests/number_oracle.rs measures our number parser against. That test reads
its answers from crates/core/tests/fixtures/numbers.tsv; this one holds the file to what the
pinned oracle says today, so the fixture can never drift into a copy of our own output.
"""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "crates" / "core" / "tests" / "fixtures" / "numbers.tsv"
SCRIPT = REPO / "scripts" / "number-oracle.py"


def test_the_number_fixture_is_what_libphonenumber_says():
    written = subprocess.run(
        [sys.executable, str(SCRIPT)], check=True, capture_output=True, text=True
    ).stdout
    committed = FIXTURE.read_text()
    assert written == committed, (
        "crates/core/tests/fixtures/numbers.tsv differs from the oracle's answers: regenerate it "
        "with target/venv-official/bin/python scripts/number-oracle.py > " + str(FIXTURE)
    )
