// Prints {"path": "sha256", ...} for files downloaded with the official client.
// Usage: HF_ENDPOINT=... HF_TOKEN=... node download-sha256.mjs datasets/ns/name REVISION path [path...]
import { createHash } from "node:crypto";
import { downloadFile } from "@huggingface/hub";

const [repoDesignation, revision, ...paths] = process.argv.slice(2);
const [type, ...name] = repoDesignation.split("/");
const repo = { type: type.replace(/s$/, ""), name: name.join("/") };
const out = {};
for (const path of paths) {
  const file = await downloadFile({ repo, path, revision, hubUrl: process.env.HF_ENDPOINT, accessToken: process.env.HF_TOKEN });
  out[path] = file ? createHash("sha256").update(Buffer.from(await file.arrayBuffer())).digest("hex") : null;
}
console.log(JSON.stringify(out));
