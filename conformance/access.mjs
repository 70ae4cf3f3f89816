// Access rules as the official JS client sees them, one role at a time: the tokens of alice (write), bob
// (write) and carol (read) in ALICE, BOB and CAROL; the server also knows the organization acme (alice admin, bob
// read). Run with node --test.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createRepo, deleteRepo, downloadFile, listFiles, repoExists, uploadFiles, whoAmI } from "@huggingface/hub";

const hubUrl = process.env.HF_ENDPOINT;
const { ALICE: alice, BOB: bob, CAROL: carol } = process.env;
assert.ok(hubUrl && alice && bob && carol, "HF_ENDPOINT and three tokens are needed");
const secret = { type: "dataset", name: "alice/secret" };
const internal = { type: "dataset", name: "acme/internal" };
const open = { type: "dataset", name: "bob/open" };
const file = (text) => [{ path: "rows.txt", content: new Blob([text]) }];
const text = async (repo, token) => (await (await downloadFile({ repo, path: "rows.txt", accessToken: token, hubUrl })).text());
// The JS client answers null for a file it may not see, or throws with the status: either way, a 404.
const unseen = async (repo, token) => {
  const outcome = await downloadFile({ repo, path: "rows.txt", accessToken: token, hubUrl }).catch((e) => e);
  assert.ok(outcome === null || outcome.statusCode === 404, `expected 404, got ${outcome?.statusCode ?? "the file"}`);
};
const status = (code) => (e) => e.statusCode === code;

test("write role: a user creates and fills repos in their own namespace only", async () => {
  await createRepo({ repo: secret, accessToken: alice, hubUrl, private: true });
  await uploadFiles({ repo: secret, accessToken: alice, hubUrl, useXet: false, files: file("private rows\n") });
  assert.equal(await text(secret, alice), "private rows\n");
  await createRepo({ repo: open, accessToken: bob, hubUrl });
  await uploadFiles({ repo: open, accessToken: bob, hubUrl, useXet: false, files: file("public rows\n") });
  await assert.rejects(createRepo({ repo: { type: "dataset", name: "alice/planted" }, accessToken: bob, hubUrl }), status(403));
  await assert.rejects(uploadFiles({ repo: open, accessToken: alice, hubUrl, useXet: false, files: file("vandal\n") }), status(403));
});

test("a private repo looks to everyone outside its namespace as if it did not exist", async () => {
  for (const token of [bob, carol, undefined]) {
    assert.equal(await repoExists({ repo: secret, accessToken: token, hubUrl }), false);
    await unseen(secret, token);
    await assert.rejects((async () => { for await (const _ of listFiles({ repo: secret, accessToken: token, hubUrl })); })(), status(404));
  }
});

test("read role: reads what is public, writes nothing, not even in its own namespace", async () => {
  assert.equal(await text(open, carol), "public rows\n");
  await assert.rejects(createRepo({ repo: { type: "dataset", name: "carol/mine" }, accessToken: carol, hubUrl }), status(403));
  await assert.rejects(uploadFiles({ repo: open, accessToken: carol, hubUrl, useXet: false, files: file("x\n") }), status(403));
});

test("organizations: admin members create and delete, read members read, others see nothing", async () => {
  await createRepo({ repo: internal, accessToken: alice, hubUrl, private: true });
  await uploadFiles({ repo: internal, accessToken: alice, hubUrl, useXet: false, files: file("org rows\n") });
  assert.equal(await repoExists({ repo: internal, accessToken: bob, hubUrl }), true);
  assert.equal(await text(internal, bob), "org rows\n");
  await assert.rejects(uploadFiles({ repo: internal, accessToken: bob, hubUrl, useXet: false, files: file("x\n") }), status(403));
  await assert.rejects(deleteRepo({ repo: internal, accessToken: bob, hubUrl }), status(403));
  assert.equal(await repoExists({ repo: internal, accessToken: carol, hubUrl }), false);
  await unseen(internal, carol);
  await deleteRepo({ repo: internal, accessToken: alice, hubUrl });
  assert.equal(await repoExists({ repo: internal, accessToken: alice, hubUrl }), false);
});

test("whoAmI names the user and their organizations with their role", async () => {
  const who = await whoAmI({ accessToken: bob, hubUrl });
  assert.equal(who.name, "bob");
  assert.deepEqual(who.orgs.map((o) => [o.name, o.roleInOrg]), [["acme", "read"]]);
  const reader = await whoAmI({ accessToken: carol, hubUrl });
  assert.equal(reader.name, "carol");
  assert.deepEqual(reader.orgs, []);
});
