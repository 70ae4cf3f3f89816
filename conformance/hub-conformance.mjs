// Drives the official @huggingface/hub client against a running alimentar Hub.
// Usage: HF_ENDPOINT=http://127.0.0.1:PORT HF_TOKEN=hf_... node hub-conformance.mjs
// The server must run with a low multipart threshold (1 MiB, 256 KiB parts) and a tree page size of 3.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import {
  createRepo, repoExists, uploadFiles, commit, listCommits, listFiles, fileExists, downloadFile,
} from "@huggingface/hub";

const hubUrl = process.env.HF_ENDPOINT;
const accessToken = process.env.HF_TOKEN;
assert.ok(hubUrl && accessToken, "HF_ENDPOINT and HF_TOKEN must be set");
const suffix = randomBytes(4).toString("hex");
const repo = { type: "dataset", name: `conformance/js-${suffix}` };
const common = { repo, accessToken, hubUrl, useXet: false };

function deterministic(size, seed) {
  const out = Buffer.alloc(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x = (x * 1664525 + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
const sha256 = (buf) => createHash("sha256").update(buf).digest("hex");
const blob = (buf) => new Blob([buf]);

const regular = Buffer.from("id,text\n1,hello\n2,world\n");
const basicLfs = deterministic(600 * 1024, 1);      // below the 1 MiB multipart threshold, LFS by extension
const multipart = deterministic(3 * 1024 * 1024 + 123, 2); // 13 parts of 256 KiB
const empty = Buffer.alloc(0);

async function bytesOf(path, revision) {
  const file = await downloadFile({ ...common, path, revision });
  assert.ok(file, `downloadFile(${path}) returned null`);
  return Buffer.from(await file.arrayBuffer());
}

test("createRepo, then 409 for an existing repo", async () => {
  const created = await createRepo({ repo, accessToken, hubUrl });
  assert.match(created.repoUrl, new RegExp(`/datasets/${repo.name}$`));
  await assert.rejects(createRepo({ repo, accessToken, hubUrl }), (e) => e.statusCode === 409);
});

test("repoExists", async () => {
  assert.equal(await repoExists({ repo, accessToken, hubUrl }), true);
  assert.equal(await repoExists({ repo: { type: "dataset", name: `conformance/missing-${suffix}` }, accessToken, hubUrl }), false);
});

test("uploadFiles: regular, basic LFS, multipart LFS, empty file", async () => {
  const out = await uploadFiles({
    ...common,
    commitTitle: "Upload four files",
    files: [
      { path: "data/train.csv", content: blob(regular) },
      { path: "data/basic.parquet", content: blob(basicLfs) },
      { path: "data/big.bin", content: blob(multipart) },
      { path: "empty.txt", content: blob(empty) },
    ],
  });
  assert.match(out.commit.oid, /^[0-9a-f]{40}$/);
  assert.deepEqual(await bytesOf("data/train.csv"), regular);
  assert.equal(sha256(await bytesOf("data/basic.parquet")), sha256(basicLfs));
  assert.equal(sha256(await bytesOf("data/big.bin")), sha256(multipart));
  assert.equal((await bytesOf("empty.txt")).length, 0);
});

test("uploadFiles: an already-stored LFS object is not uploaded again", async () => {
  await uploadFiles({ ...common, commitTitle: "Same bytes, new path", files: [{ path: "copy/basic-again.parquet", content: blob(basicLfs) }] });
  assert.equal(sha256(await bytesOf("copy/basic-again.parquet")), sha256(basicLfs));
});

test("commit with a delete", async () => {
  await commit({ ...common, title: "Delete the copy", operations: [{ operation: "delete", path: "copy/basic-again.parquet" }] });
  assert.equal(await fileExists({ ...common, path: "copy/basic-again.parquet" }), false);
  assert.equal(await fileExists({ ...common, path: "data/train.csv" }), true);
});

test("listCommits", async () => {
  const titles = [];
  for await (const c of listCommits({ repo, accessToken, hubUrl, batchSize: 2 })) {
    titles.push(c.title);
    assert.match(c.oid, /^[0-9a-f]{40}$/);
  }
  assert.deepEqual(titles, ["Delete the copy", "Same bytes, new path", "Upload four files", "initial commit"]);
});

test("listFiles recursive and paginated", async () => {
  const paths = [];
  for await (const f of listFiles({ repo, accessToken, hubUrl, recursive: true })) {
    paths.push(f.path);
    if (f.path === "data/big.bin") {
      assert.equal(f.size, multipart.length);
      assert.equal(f.lfs.oid, sha256(multipart));
    }
  }
  for (const expected of [".gitattributes", "data", "data/train.csv", "data/basic.parquet", "data/big.bin", "empty.txt"]) {
    assert.ok(paths.includes(expected), `missing ${expected} in ${paths.join(",")}`);
  }
  const top = [];
  for await (const f of listFiles({ repo, accessToken, hubUrl })) top.push(f.path);
  assert.deepEqual(top.sort(), [".gitattributes", "data", "empty.txt"]);
});

test("fileExists", async () => {
  assert.equal(await fileExists({ ...common, path: "data/basic.parquet" }), true);
  assert.equal(await fileExists({ ...common, path: "nope.txt" }), false);
});

test("downloadFile whole, as a byte range, and missing", async () => {
  const file = await downloadFile({ ...common, path: "data/big.bin" });
  assert.equal(file.size, multipart.length);
  const slice = Buffer.from(await file.slice(1000, 300000).arrayBuffer());
  assert.deepEqual(slice, multipart.subarray(1000, 300000));
  assert.equal(await downloadFile({ ...common, path: "missing.bin" }), null);
  const raw = await downloadFile({ ...common, path: "data/big.bin", raw: true });
  assert.match(await raw.text(), /^version https:\/\/git-lfs.github.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize \d+\n$/);
});

test("a private repo is invisible without a token", async () => {
  const secret = { type: "dataset", name: `conformance/private-${suffix}` };
  await createRepo({ repo: secret, accessToken, hubUrl, private: true });
  await uploadFiles({ repo: secret, accessToken, hubUrl, useXet: false, files: [{ path: "a.txt", content: blob(Buffer.from("secret")) }] });
  assert.equal(await repoExists({ repo: secret, hubUrl }), false);
  assert.equal(await repoExists({ repo: secret, accessToken, hubUrl }), true);
  await assert.rejects(downloadFile({ repo: secret, hubUrl, path: "a.txt" }));
  assert.deepEqual(Buffer.from(await (await downloadFile({ repo: secret, accessToken, hubUrl, path: "a.txt" })).arrayBuffer()), Buffer.from("secret"));
});

test("a pull request commit", async () => {
  const out = await uploadFiles({ ...common, isPullRequest: true, commitTitle: "Proposal", files: [{ path: "pr.txt", content: blob(Buffer.from("pr")) }] });
  assert.match(out.pullRequestUrl, /\/discussions\/\d+$/);
  assert.equal(await fileExists({ ...common, path: "pr.txt" }), false);
  const n = out.pullRequestUrl.split("/").pop();
  assert.deepEqual(await bytesOf("pr.txt", `refs/pr/${n}`), Buffer.from("pr"));
});
