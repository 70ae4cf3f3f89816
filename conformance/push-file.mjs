// Uploads one local file with the official client; prints the elapsed seconds.
// Usage: HF_ENDPOINT=... HF_TOKEN=... node push-file.mjs ns/name path-in-repo /local/file
import { createRepo, uploadFiles } from "@huggingface/hub";
import { pathToFileURL } from "node:url";

const [name, pathInRepo, local] = process.argv.slice(2);
const repo = { type: "dataset", name };
const hubUrl = process.env.HF_ENDPOINT;
const accessToken = process.env.HF_TOKEN;
await createRepo({ repo, hubUrl, accessToken }).catch((e) => { if (e.statusCode !== 409) throw e; });
const started = performance.now();
await uploadFiles({ repo, hubUrl, accessToken, useXet: false, files: [{ path: pathInRepo, content: pathToFileURL(local) }] });
console.log(((performance.now() - started) / 1000).toFixed(3));
