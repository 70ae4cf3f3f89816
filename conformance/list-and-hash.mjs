// What a `datasets` user's JS tooling sees of a repo: every file listed by the official client and the SHA-256 of
// each one downloaded with it. Prints {"files": [...], "sha256": {"path": "hex"}}.
// Usage: HF_ENDPOINT=... HF_TOKEN=... node list-and-hash.mjs datasets/ns/name [REVISION]
import { createHash } from "node:crypto";
import { downloadFile, listFiles } from "@huggingface/hub";

const [repoDesignation, revision = "main"] = process.argv.slice(2);
const [type, ...name] = repoDesignation.split("/");
const repo = { type: type.replace(/s$/, ""), name: name.join("/") };
const credentials = { hubUrl: process.env.HF_ENDPOINT, accessToken: process.env.HF_TOKEN };
const files = [];
for await (const entry of listFiles({ repo, revision, recursive: true, ...credentials })) {
  if (entry.type === "file") files.push(entry.path);
}
files.sort();
const sha256 = {};
for (const path of files) {
  const blob = await downloadFile({ repo, path, revision, ...credentials });
  sha256[path] = createHash("sha256").update(Buffer.from(await blob.arrayBuffer())).digest("hex");
}
console.log(JSON.stringify({ files, sha256 }));
