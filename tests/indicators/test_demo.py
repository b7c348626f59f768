"""The demo data (indicators/demo/): the project's copy of the seed SAR page."""

import pytest

from indicators.demo import SEED_FILE
from tests.conftest import REPO_ROOT

# The user's own document, beside a checkout that has ../shared: the project's copy must
# not drift from it. A bare clone has no ../shared, and every other test reads the copy.
SHARED_SEED = REPO_ROOT.parent / "shared" / "seeds" / "000_212ba7b679b3eb1d.txt"


@pytest.mark.skipif(
    not SHARED_SEED.exists(),
    reason=f"no shared seed at {SHARED_SEED} (a bare clone): nothing to compare the copy with",
)
def test_the_project_copy_is_the_shared_seed() -> None:
    copy = SEED_FILE.read_text(encoding="utf-8")
    assert copy == SHARED_SEED.read_text(encoding="utf-8"), f"{SEED_FILE} differs from the seed"
