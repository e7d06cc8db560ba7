"""Where the book's files live, found from the package itself (never from the working directory)."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
DATAPACKAGE = DATA_DIR / "datapackage.json"
