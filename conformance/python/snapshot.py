"""snapshot_download of a repo (optionally only some patterns) into a plain folder, for the pull benchmark.
Usage: snapshot.py namespace/name /local/dir [pattern]"""
import os
import sys

import hfcompat  # noqa: F401  (before huggingface_hub)

from huggingface_hub import snapshot_download  # noqa: E402

patterns = [sys.argv[3]] if len(sys.argv) > 3 else None
print(snapshot_download(sys.argv[1], repo_type="dataset", local_dir=sys.argv[2], allow_patterns=patterns, token=os.environ.get("HF_TOKEN")))
