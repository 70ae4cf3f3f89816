// Downloads every file of a repo (or those under a prefix) with the official client's downloadFile, streamed to
// disk, a few at a time; for the pull benchmark.
// Usage: HF_ENDPOINT=... HF_TOKEN=... node download-folder.mjs ns/name /local/dir [prefix]
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { downloadFile, listFiles } from "@huggingface/hub";

const [name, local, prefix = ""] = process.argv.slice(2);
const repo = { type: "dataset", name };
const credentials = { hubUrl: process.env.HF_ENDPOINT, accessToken: process.env.HF_TOKEN };
const paths = [];
for await (const entry of listFiles({ repo, recursive: true, ...credentials })) {
  if (entry.type === "file" && entry.path.startsWith(prefix)) paths.push(entry.path);
}
let next = 0;
async function worker() {
  while (next < paths.length) {
    const path = paths[next++];
    const blob = await downloadFile({ repo, path, ...credentials });
    const target = join(local, path);
    await mkdir(dirname(target), { recursive: true });
    await pipeline(Readable.fromWeb(blob.stream()), createWriteStream(target));
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
console.log(paths.length);
