"""The Hugging Face cache shared with the official client. `read REPO PATH` prints the SHA-256 of the file as
hf_hub_download returns it (run with HF_HUB_OFFLINE=1 to prove it came from the cache alone); `snapshot REPO`
downloads the repo with snapshot_download and prints the snapshot folder. Cache from HF_HUB_CACHE."""
import hashlib
import os
import sys

import hfcompat  # noqa: F401  (before huggingface_hub)

from huggingface_hub import hf_hub_download, snapshot_download  # noqa: E402

mode, repo = sys.argv[1], sys.argv[2]
token = os.environ.get("HF_TOKEN")
if mode == "read":
    path = hf_hub_download(repo, sys.argv[3], repo_type="dataset", token=token)
    with open(path, "rb") as f:
        print(hashlib.sha256(f.read()).hexdigest())
else:
    print(snapshot_download(repo, repo_type="dataset", token=token))
