"""The official huggingface_hub client, unchanged, against `alimentar hub serve`: the calls that read repo
information (which failed on the server's timestamps) and a round trip of bytes. Run by the test suite with
HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1 and PYTHONPATH pointing at ../shared/clients/huggingface_hub/src."""
import os
import sys
import tempfile

import hfcompat  # noqa: F401  (before huggingface_hub)

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402

repo = sys.argv[1]
api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
api.create_repo(repo, repo_type="dataset", exist_ok=True)
payload = os.urandom(3000)
api.upload_file(path_or_fileobj=payload, path_in_repo="data/blob.bin", repo_id=repo, repo_type="dataset", commit_message="add blob")
api.upload_file(path_or_fileobj=b"---\nlicense: mit\n---\n# Demo\n", path_in_repo="README.md", repo_id=repo, repo_type="dataset")

assert api.repo_exists(repo, repo_type="dataset"), "repo_exists"
info = api.dataset_info(repo)
assert info.last_modified is not None and info.last_modified.tzinfo is not None, info.last_modified
assert info.created_at is not None, "created_at"
commits = api.list_repo_commits(repo, repo_type="dataset")
assert len(commits) >= 2 and all(c.created_at.tzinfo is not None for c in commits), commits
assert commits[0].title, commits[0]
files = api.list_repo_files(repo, repo_type="dataset")
assert sorted(files) == [".gitattributes", "README.md", "data/blob.bin"] or sorted(files) == ["README.md", "data/blob.bin"], files
entries = list(api.list_repo_tree(repo, repo_type="dataset", recursive=True, expand=True))
dated = [e for e in entries if getattr(e, "last_commit", None) is not None]
assert dated and all(e.last_commit.date.tzinfo is not None for e in dated), entries
with tempfile.TemporaryDirectory() as cache:
    path = hf_hub_download(repo, "data/blob.bin", repo_type="dataset", cache_dir=cache)
    with open(path, "rb") as f:
        assert f.read() == payload, "downloaded bytes differ"
print("ok")
