"""Access control as huggingface_hub sees it: argv = alice's token, bob's token; the server knows alice and bob
(write) and the organization acme (bob: read). Alice's private repo must look to bob exactly like a repo that does
not exist, his writes to her namespace must be refused, and whoami must list his organizations. Prints "ok"."""
import os
import sys

import hfcompat  # noqa: F401  (before huggingface_hub)

from huggingface_hub import HfApi, hf_hub_download  # noqa: E402
from huggingface_hub.utils import HfHubHTTPError, RepositoryNotFoundError  # noqa: E402

endpoint = os.environ["HF_ENDPOINT"]
alice = HfApi(endpoint=endpoint, token=sys.argv[1])
bob = HfApi(endpoint=endpoint, token=sys.argv[2])
kw = {"repo_type": "dataset"}

alice.create_repo("alice/secret", private=True, **kw)
alice.upload_file(path_or_fileobj=b"private rows\n", path_in_repo="rows.txt", repo_id="alice/secret", **kw)
assert alice.file_exists("alice/secret", "rows.txt", **kw)

assert not bob.repo_exists("alice/secret", **kw), "bob sees alice's private repo"
for call in (
    lambda: bob.dataset_info("alice/secret"),
    lambda: bob.list_repo_files("alice/secret", **kw),
    lambda: hf_hub_download("alice/secret", "rows.txt", endpoint=endpoint, token=sys.argv[2], cache_dir=os.environ["CACHE"], **kw),
):
    try:
        call()
        raise AssertionError("bob read alice's private repo")
    except RepositoryNotFoundError:
        pass

try:
    bob.create_repo("alice/planted", **kw)
    raise AssertionError("bob created a repo in alice's namespace")
except HfHubHTTPError as error:
    assert error.response.status_code == 403, error.response.status_code

who = bob.whoami()
assert who["name"] == "bob", who
assert [(o["name"], o["roleInOrg"]) for o in who["orgs"]] == [("acme", "read")], who["orgs"]
print("ok")
