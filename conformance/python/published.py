"""What a `datasets` user's Python tooling sees of a published dataset, through the official huggingface_hub
client unchanged: the files listed, the SHA-256 of each as downloaded, and the card's metadata as DatasetCard.load
reads it. Prints one JSON object. Usage: published.py namespace/name (HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1,
PYTHONPATH at ../shared/clients/huggingface_hub/src)."""
import hashlib
import json
import os
import sys
import tempfile

import hfcompat  # noqa: F401  (before huggingface_hub)

from huggingface_hub import DatasetCard, HfApi, hf_hub_download  # noqa: E402

repo = sys.argv[1]
api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
files = sorted(api.list_repo_files(repo, repo_type="dataset"))
hashes = {}
with tempfile.TemporaryDirectory() as cache:
    for path in files:
        local = hf_hub_download(repo, path, repo_type="dataset", cache_dir=cache)
        with open(local, "rb") as f:
            hashes[path] = hashlib.sha256(f.read()).hexdigest()
    card = DatasetCard.load(repo, repo_type="dataset", token=os.environ["HF_TOKEN"])
print(json.dumps({"files": files, "sha256": hashes, "card": card.data.to_dict()}))
