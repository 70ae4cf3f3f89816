"""The official huggingface_hub client, unchanged, against `alimentar hub serve`: the calls people make every day,
each checked, and every downloaded byte compared with what was uploaded. Run by the test suite (PythonClientTests)
with HF_ENDPOINT, HF_TOKEN, HF_HUB_DISABLE_XET=1 and PYTHONPATH at ../shared/clients/huggingface_hub/src; the server
uses a 1 MiB multipart threshold. Prints "ok" and the names of the steps that ran."""
import hashlib
import os
import sys
import tempfile

import hfcompat  # noqa: F401  (before huggingface_hub)

from huggingface_hub import (  # noqa: E402
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    DatasetCard,
    HfApi,
    HfFileSystem,
    hf_hub_download,
    snapshot_download,
)
from huggingface_hub.utils import RepositoryNotFoundError  # noqa: E402

steps = []


def step(name):
    steps.append(name)


ns = sys.argv[1]
repo = f"{ns}/suite"
api = HfApi(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
kw = {"repo_type": "dataset"}

# create, exist_ok, private
api.create_repo(repo, **kw)
api.create_repo(repo, exist_ok=True, **kw)
try:
    api.create_repo(repo, **kw)
    raise AssertionError("a second create_repo must fail")
except Exception as e:  # noqa: BLE001
    assert "409" in str(e) or "already" in str(e).lower(), e
api.create_repo(f"{ns}/hidden", private=True, **kw)
assert api.dataset_info(f"{ns}/hidden").private is True
step("create_repo")

# upload_file, upload_folder (regular, LFS, multipart above 1 MiB)
small = b"id,text\n1,hello\n2,world\n"
medium = os.urandom(200_000)
large = os.urandom(3 * 1024 * 1024 + 17)
api.upload_file(path_or_fileobj=small, path_in_repo="data/small.csv", repo_id=repo, **kw)
with tempfile.TemporaryDirectory() as folder:
    os.makedirs(os.path.join(folder, "bin"))
    with open(os.path.join(folder, "bin", "medium.bin"), "wb") as f:
        f.write(medium)
    with open(os.path.join(folder, "bin", "large.bin"), "wb") as f:
        f.write(large)
    with open(os.path.join(folder, "README.md"), "w") as f:
        f.write("---\nlicense: mit\npretty_name: Suite\n---\n# Suite\n")
    api.upload_folder(folder_path=folder, repo_id=repo, commit_message="folder", **kw)
expected = {"data/small.csv": small, "bin/medium.bin": medium, "bin/large.bin": large}
step("upload_file/upload_folder")

# create_commit with add, copy and delete
ops = [
    CommitOperationAdd(path_in_repo="tmp/a.txt", path_or_fileobj=b"temporary"),
    CommitOperationAdd(path_in_repo="tmp/b.txt", path_or_fileobj=b"temporary too"),
]
api.create_commit(repo, ops, commit_message="temporaries", **kw)
api.create_commit(
    repo,
    [
        CommitOperationCopy(src_path_in_repo="bin/large.bin", path_in_repo="copies/large.bin"),
        CommitOperationCopy(src_path_in_repo="data/small.csv", path_in_repo="copies/small.csv"),
        CommitOperationDelete(path_in_repo="tmp/a.txt"),
    ],
    commit_message="copy and delete",
    **kw,
)
expected["copies/large.bin"] = large
expected["copies/small.csv"] = small
api.delete_file("tmp/b.txt", repo, **kw)
api.upload_file(path_or_fileobj=b"x", path_in_repo="gone/one.txt", repo_id=repo, **kw)
api.delete_folder("gone", repo, **kw)
step("create_commit add/copy/delete, delete_file, delete_folder")

files = set(api.list_repo_files(repo, **kw)) - {".gitattributes"}
assert files == set(expected) | {"README.md"}, files
tree = list(api.list_repo_tree(repo, recursive=True, expand=True, **kw))
assert {t.path for t in tree if hasattr(t, "lfs")} >= set(expected), tree
lfs = {t.path: t.lfs for t in tree if getattr(t, "lfs", None)}
assert lfs["bin/large.bin"].sha256 == hashlib.sha256(large).hexdigest(), lfs
info = api.get_paths_info(repo, ["bin/large.bin", "data", "missing.txt"], **kw)
assert sorted(i.path for i in info) == ["bin/large.bin", "data"], info
step("list_repo_files, list_repo_tree, get_paths_info")

commits = api.list_repo_commits(repo, **kw)
assert commits[0].title == "Delete folder gone with huggingface_hub", [c.title for c in commits]
api.create_branch(repo, branch="dev", **kw)
api.create_tag(repo, tag="v1.0", **kw)
api.upload_file(path_or_fileobj=b"only on dev", path_in_repo="dev.txt", repo_id=repo, revision="dev", **kw)
refs = api.list_repo_refs(repo, **kw)
assert {b.name for b in refs.branches} == {"main", "dev"}, refs
assert [t.name for t in refs.tags] == ["v1.0"] and refs.tags[0].target_commit == commits[0].commit_id, refs
assert api.file_exists(repo, "dev.txt", revision="dev", **kw)
assert not api.file_exists(repo, "dev.txt", **kw)
step("list_repo_commits, branches, tags, refs, file_exists")

with tempfile.TemporaryDirectory() as cache:
    for path, content in expected.items():
        local = hf_hub_download(repo, path, cache_dir=cache, **kw)
        with open(local, "rb") as f:
            assert f.read() == content, path
    at_tag = hf_hub_download(repo, "data/small.csv", revision="v1.0", cache_dir=cache, **kw)
    with open(at_tag, "rb") as f:
        assert f.read() == small
    snap = snapshot_download(repo, revision="dev", allow_patterns=["bin/*", "dev.txt"], cache_dir=cache, **kw)
    got = {os.path.relpath(os.path.join(d, n), snap) for d, _, ns_ in os.walk(snap) for n in ns_}
    assert got == {"bin/medium.bin", "bin/large.bin", "dev.txt"}, got
    with open(os.path.join(snap, "bin", "large.bin"), "rb") as f:
        assert f.read() == large
step("hf_hub_download, snapshot_download at a revision with patterns")

fs = HfFileSystem(endpoint=os.environ["HF_ENDPOINT"], token=os.environ["HF_TOKEN"])
listing = fs.ls(f"datasets/{repo}/bin", detail=False)
assert sorted(listing) == [f"datasets/{repo}/bin/large.bin", f"datasets/{repo}/bin/medium.bin"], listing
with fs.open(f"datasets/{repo}/bin/large.bin", "rb") as f:
    f.seek(1_000_000)
    assert f.read(4096) == large[1_000_000:1_004_096]
step("HfFileSystem ls and ranged read")

card = DatasetCard.load(repo, token=os.environ["HF_TOKEN"])
assert card.data.license == "mit" and card.data.pretty_name == "Suite", card.data
step("DatasetCard.load")

api.update_repo_settings(repo, private=True, **kw)
assert api.dataset_info(repo).private is True
api.update_repo_settings(repo, private=False, **kw)
assert api.dataset_info(repo).private is False
step("update_repo_settings")

api.move_repo(repo, f"{ns}/moved", **kw)
assert not api.repo_exists(repo, **kw) and api.repo_exists(f"{ns}/moved", **kw)
api.delete_branch(f"{ns}/moved", branch="dev", **kw)
api.delete_tag(f"{ns}/moved", tag="v1.0", **kw)
refs = api.list_repo_refs(f"{ns}/moved", **kw)
assert [b.name for b in refs.branches] == ["main"] and refs.tags == [], refs
step("move_repo, delete_branch, delete_tag")

api.delete_repo(f"{ns}/moved", **kw)
assert not api.repo_exists(f"{ns}/moved", **kw)
try:
    api.dataset_info(f"{ns}/moved")
    raise AssertionError("a deleted repo must be gone")
except RepositoryNotFoundError:
    pass
api.delete_repo(f"{ns}/moved", missing_ok=True, **kw)
step("delete_repo")

print("ok " + "; ".join(steps))
